import AnxinCore
import XLSX

/// The Data quality and Rejected rows sheets.
extension ReportWriter {
    /// Problems by file and reason; then IDs registered under two names, and review decisions
    /// that were not applied. The rows themselves are on Rejected rows, a plain table an
    /// official can filter.
    func writeDataQuality() throws {
        let sheet = try book.addSheet(labels.dataQualitySheet)
        let h = labels.qualityHeader
        try book.writeHeader(h, to: sheet, row: 0)
        try sheet.freezePanes(row: 1, column: 0)
        try book.setPrint(sheet, repeatRows: 0...0)
        let keys = rejectsByFileAndReason.keys.sorted()
        try sheet.setAutofilter(CellRange(rows: 0...max(1, keys.count), columns: 0...(h.count - 1)))
        var row = 1
        var widths = [16.0, 20, 16, 30, 12]
        for key in keys {
            let name = inputName(key.input)
            let meaning = labels.explain(key.reason)
            try book.writeRow([.text(name), .text(key.file), .text(key.reason), .text(meaning),
                               .int(rejectsByFileAndReason[key]!)], to: sheet, row: row)
            widths[0] = max(widths[0], Double(displayWidth(name) + 2))
            widths[1] = max(widths[1], Double(displayWidth(key.file) + 2))
            widths[3] = max(widths[3], Double(displayWidth(meaning) + 2))
            row += 1
        }
        if keys.isEmpty {
            try sheet.write(labels.noRejects, row: row, column: 0, format: book.noteFormat)
            row += 1
        }
        for (i, w) in widths.enumerated() { try sheet.setColumn(i, width: min(w, 60)) }

        // IDs registered under different names: each registration's name, so it can be put right.
        row += 1
        try sheet.write(labels.conflictsTitle, row: row, column: 0, format: book.sectionFormat)
        row += 1
        try book.writeHeader(labels.conflictsHeader, to: sheet, row: row)
        row += 1
        let conflicts = inputs.findings.filter { $0.finding == "name_conflict" }
        for c in conflicts {
            try book.writeRow([.text(masked(c.idNumber)), .text(c.what), .text(keptName(c.detail))], to: sheet, row: row)
            row += 1
        }
        if conflicts.isEmpty {
            try sheet.write(labels.noConflicts, row: row, column: 0, format: book.noteFormat)
            row += 1
        }

        row += 1
        try sheet.write(labels.unusedTitle, row: row, column: 0, format: book.sectionFormat)
        row += 1
        try book.writeHeader(labels.unusedHeader, to: sheet, row: row)
        row += 1
        let unused = inputs.findings.filter { $0.finding == "decision_not_applied" }
        for u in unused {
            try book.writeRow([.text(masked(u.idNumber)), .text(labels.decision(u.what)), .text(labels.notApplied(u.detail))],
                              to: sheet, row: row)
            row += 1
        }
        if unused.isEmpty {
            try sheet.write(labels.noUnused, row: row, column: 0, format: book.noteFormat)
        }
        book.record(sheet, rows: keys.count + conflicts.count + unused.count)
    }

    /// Every entry of the rejects ledger, streamed: file, line, column, reason and the value as it
    /// arrived, with ID numbers, phone numbers and names masked. Values from the police extract
    /// are not shown at all (police details belong on Screening and Review only).
    func writeRejectedRows() throws {
        let h = labels.rejectedRowsHeader
        let table = try SheetTable(book: book, name: labels.rejectedRowsSheet, columns: [
            .init(title: h[0], maxWidth: 28), .init(title: h[1], maxWidth: 36), .init(title: h[2], minWidth: 8),
            .init(title: h[3], maxWidth: 20), .init(title: h[4], maxWidth: 20), .init(title: h[5], maxWidth: 22),
            .init(title: h[6], maxWidth: 50, wrap: true), .init(title: h[7], minWidth: 20, maxWidth: 60, wrap: true),
        ])
        // The ledger is read, and its values masked, on a second thread while this one writes.
        let (path, labels, nameIndex) = (IngestStage.directory(config) + "/rejects.csv", labels, inputs.nameIndex)
        let feed = RowFeed<Bool> { sink in
            let explanations = Dictionary(uniqueKeysWithValues: RejectReason.allCases.map { ($0.rawValue, $0.explanation) })
            try Dataset.forEachRecord(at: path, columns: ReportInputs.rejectColumns) { r in
                let f = ReportInputs.fields(r)
                let (input, column, reason, detail, value) = (f[0], f[3], f[5], f[6], f[7])
                // The ledger's detail is English; where it is the reason's stock sentence, use the sheet's language.
                let what = detail == explanations[reason] ? labels.explain(reason) : ReportMask.digits(detail)
                let shown = input == InputKind.policeRecords.rawValue
                    ? labels.withheld : ReportMask.value(value, column: column, nameIndex: nameIndex[input])
                try sink.emit([
                    .text(ReportWriter.inputName(input, labels)), .text(f[1]), Int(f[2]).map { .int($0) } ?? .text(f[2]),
                    .text(column), .text(f[4]), .text(reason), .text(what), .text(shown),
                ])
            }
            return true
        }
        defer { feed.cancel() }
        while let batch = try feed.next() {
            try table.add(batch)
        }
        try table.finish()
    }

    /// An input's name in the sheet's language.
    func inputName(_ input: String) -> String { ReportWriter.inputName(input, labels) }

    static func inputName(_ input: String, _ labels: ReportLabels) -> String {
        InputKind(rawValue: input).flatMap { labels.inputNames[$0] } ?? input
    }

    /// The name in the screening stage's "the person's file carries NAME, from the latest registration".
    private func keptName(_ detail: String) -> String {
        let prefix = "the person's file carries "
        let suffix = ", from the latest registration"
        guard detail.hasPrefix(prefix), detail.hasSuffix(suffix) else { return detail }
        return String(detail.dropFirst(prefix.count).dropLast(suffix.count))
    }
}
