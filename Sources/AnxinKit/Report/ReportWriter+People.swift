import AnxinCore
import XLSX

/// The sheets about people: Screening, Review, Pending, Districts and areas.
extension ReportWriter {
    /// The Screening sheet, and the parts its rows need (added now, before the sheets after it).
    func screeningTable() throws -> SheetTable {
        let h = labels.screeningHeader
        return try SheetTable(book: book, name: labels.screeningSheet,
                              expectedRows: people.screened.reduce(0) { $0 + max(1, screenedHits($1).count) },
                              columns: personColumns + [
            .init(title: h[0], maxWidth: 16), .init(title: h[1], maxWidth: 12), .init(title: h[2], maxWidth: 28),
            .init(title: h[3], minWidth: 12), .init(title: h[4], maxWidth: 60, wrap: true),
            .init(title: h[5], maxWidth: 40, wrap: true),
        ])
    }

    /// The records that screened `p` out.
    private func screenedHits(_ p: ReportPeople.Person) -> [ReportInputs.Hit] {
        (inputs.hits[p.idNumber] ?? []).filter { $0.outcome == "screened" || $0.outcome == "screened_by_decision" }
    }

    /// Every screened person, one row per reason: the police record and the rule that applied.
    /// With Review, the only sheet that shows police details.
    func writeScreening(_ table: SheetTable) throws {
        for p in people.screened {
            let hits = screenedHits(p)
            if hits.isEmpty {
                // Not expected (every screening has its record), but never drop a person.
                let categories = p.reasons.filter { $0.hasPrefix("screened:") }.map { labels.category(String($0.dropFirst(9))) }
                try table.add(personCells(p) + [.blank, .blank, .text(categories.joined(separator: "; ")), .blank, .blank, .blank])
                continue
            }
            for hit in hits {
                let by = hit.outcome == "screened" ? labels.screenedByPolicy
                    : "\(labels.screenedByDecision): \(labels.decision(hit.decision))"
                try table.add(personCells(p) + [
                    .text(hit.recordID), .text(labels.kinds[hit.kind] ?? hit.kind), .text(labels.category(hit.category)),
                    .date(hit.date), .text(labels.rule(hit.rule)), .text(by),
                ])
            }
        }
        try table.finish()
    }

    /// The review queue, laid out as the next night's `review_decisions`: the header row holds
    /// the canonical column names, so an official can choose a decision, fill in who and when,
    /// and save the sheet as CSV. Its id_number column holds the full ID number (a decision
    /// applies to nothing else), and is marked confidential; the candidate records follow.
    func reviewTable() throws -> SheetTable {
        let c = labels.reviewContext
        let dateColumn = try book.workbook.addFormat(.init(numberFormat: "yyyy-mm-dd"))
        // The notice heads a column of its own, beyond the data, without wrapping: it neither
        // hides data nor makes the frozen header row tall.
        let noticeFormat = try book.workbook.addFormat(.init(bold: true, fontColor: .white, background: .init(rgb: 0xC00000),
                                                             verticalAlignment: .center))
        let columns: [SheetTable.Column] = [
            .init(title: "id_number", minWidth: 21, headerFormat: book.confidentialHeader),
            .init(title: "decision", minWidth: 10),
            .init(title: "decided_by", minWidth: 12),
            .init(title: "decided_on", minWidth: 12, columnFormat: dateColumn),
            .init(title: "note", minWidth: 20, maxWidth: 20),
            .init(title: c[0], minWidth: 8, maxWidth: 16), .init(title: c[1], maxWidth: 24, wrap: true),
            .init(title: c[2], maxWidth: 24, wrap: true), .init(title: c[3], minWidth: 60, maxWidth: 60, wrap: true),
            .init(title: labels.reviewNotice, minWidth: 6, maxWidth: 6, headerFormat: noticeFormat),
        ]
        let table = try SheetTable(book: book, name: labels.reviewSheet, expectedRows: people.review.count, columns: columns)
        table.finishSheet = { sheet, rows in
            // The drop-down covers the data rows, or the first empty one when there are none.
            try sheet.addDropDown(["clear", "screen"], to: CellRange(rows: 1...max(1, rows), columns: 1...1))
        }
        return table
    }

    /// Writes the review queue's rows (see `reviewTable()`).
    func writeReview(_ table: SheetTable) throws {
        let separator = labels.language == .zh ? "；" : "; "
        for p in people.review {
            let hits = inputs.hits[p.idNumber]?.filter { $0.outcome == "review" } ?? []
            let why = p.reasons.filter { $0.hasPrefix("review:") }
                .map { labels.explainPersonReason($0, eligibility: config.eligibility) }
            // Each candidate record in two lines: what it is, then how it matched and what it would mean.
            let records = hits.map { h in
                [h.recordID, labels.kinds[h.kind] ?? h.kind, labels.category(h.category), h.date?.description ?? ""]
                    .filter { !$0.isEmpty }.joined(separator: " · ")
                    + "\n" + (labels.matchWords[h.match] ?? h.match) + separator + labels.rule(h.rule)
            }
            try table.add([
                .text(p.idNumber), .blank, .blank, .blank, .blank,
                .text(p.name), .text(institutionName(p.institutionID)), .text(why.joined(separator: "\n")),
                .text(records.joined(separator: "\n")),
            ])
        }
        try table.finish()
    }

    /// The Pending sheet, and the parts its rows need: one row per person pending.
    func pendingTable() throws -> SheetTable {
        let h = labels.pendingHeader
        return try SheetTable(book: book, name: labels.pendingSheet, expectedRows: people.pending.count, columns: personColumns + [
            .init(title: h[0], minWidth: 20, maxWidth: 50, wrap: true), .init(title: h[1], minWidth: 12),
        ])
    }

    /// Everyone waiting for something other than screening or review, in plain words.
    func writePending(_ table: SheetTable) throws {
        // The rows are made on a second thread while this one writes them.
        let (pending, names, eligibility) = (people.pending, names, config.eligibility)
        let feed = RowFeed<Bool> { sink in
            let separator = names.labels.language == .zh ? "；" : "; "
            // Few combinations of reasons recur across a city: each is put in words once.
            var explained: [[String]: String] = [:]
            for p in pending {
                let words: String
                if let known = explained[p.reasons] {
                    words = known
                } else {
                    words = p.reasons.map { names.labels.explainPersonReason($0, eligibility: eligibility) }.joined(separator: separator)
                    if explained.count < 10_000 { explained[p.reasons] = words }
                }
                try sink.row { rows in
                    names.appendPerson(p, to: &rows)
                    rows.append(words, tag: CellTag.text)
                    rows.append(ReportCell.date(p.healthCheckedOn))
                }
            }
            return true
        }
        defer { feed.cancel() }
        while let batch = try feed.next() {
            try table.add(batch)
        }
        try table.finish()
    }

    /// People, screened and cards per district (left) and per service area (right), side by side
    /// under one frozen header row.
    func writeDistricts() throws {
        let sheet = try book.addSheet(labels.districtsSheet)
        let dh = labels.districtsHeader
        let ah = labels.areasHeader
        let areaColumn = dh.count + 1
        try book.writeHeader(dh, to: sheet, row: 0)
        try book.writeHeader(ah, to: sheet, row: 0, column: areaColumn)
        try sheet.freezePanes(row: 1, column: 0)
        try book.setPrint(sheet, repeatRows: 0...0)

        // Districts of the reference list first, in its order; any other code after.
        let (byDistrict, byArea, tally) = (people.byDistrict, people.byArea, people.tally)
        let districts = inputs.districtOrder.filter { byDistrict[$0] != nil }
            + byDistrict.keys.filter { inputs.districtNames[$0] == nil }.sorted()
        let areas = inputs.areaOrder.filter { byArea[$0] != nil } + byArea.keys.filter { inputs.areaNames[$0] == nil }.sorted()
        var districtRows: [([ReportCell], RowStyle)] = districts.map { code in
            let t = people.byDistrict[code]!
            return ([.text(districtName(code)), .int(t.people), .int(t.screened), .int(t.review), .int(t.pending), .int(t.card)],
                    .normal)
        }
        districtRows.append(([.text(labels.total), .int(tally.people), .int(tally.screened), .int(tally.review),
                              .int(tally.pending), .int(tally.card)], .bold))
        let areaRows: [[ReportCell]] = areas.map { code in
            let t = people.byArea[code]!
            return [.text(inputs.areaNames[code] ?? code), .int(t.registered), .int(t.screened), .int(t.qualified)]
        }
        // Before the rows: constant_memory mode wants the filter set above the current row.
        try sheet.setAutofilter(CellRange(rows: 0...max(1, areaRows.count), columns: areaColumn...(areaColumn + ah.count - 1)))
        var nameWidth = (districts: displayWidth(dh[0]), areas: displayWidth(ah[0]))
        for row in 0..<max(districtRows.count, areaRows.count) {
            if row < districtRows.count {
                let (cells, style) = districtRows[row]
                for (i, cell) in cells.enumerated() {
                    try book.write(cell, to: sheet, row: row + 1, column: i, format: try book.format(for: cell, style: style))
                }
                if case .text(let s) = cells[0] { nameWidth.districts = max(nameWidth.districts, displayWidth(s)) }
            }
            if row < areaRows.count {
                for (i, cell) in areaRows[row].enumerated() {
                    try book.write(cell, to: sheet, row: row + 1, column: areaColumn + i, format: try book.format(for: cell, style: .normal))
                }
                if case .text(let s) = areaRows[row][0] { nameWidth.areas = max(nameWidth.areas, displayWidth(s)) }
            }
        }
        try sheet.setColumn(0, width: Double(min(30, nameWidth.districts + 2)))
        for (i, title) in dh.enumerated().dropFirst() { try sheet.setColumn(i, width: Double(max(10, displayWidth(title) + 3))) }
        try sheet.setColumn(dh.count, width: 3)
        try sheet.setColumn(areaColumn, width: Double(min(36, nameWidth.areas + 2)))
        for (i, title) in ah.enumerated().dropFirst() {
            try sheet.setColumn(areaColumn + i, width: Double(max(10, displayWidth(title) + 3)))
        }
        book.record(sheet, rows: max(districtRows.count, areaRows.count))
    }
}
