import AnxinCore
import XLSX

/// The Summary sheet, written last: the run, its inputs, the funnel with its chart, cards by
/// colour, rejects by reason, the institutions selected, the sheets and how to read them.
extension ReportWriter {
    func writeSummary(_ sheet: Worksheet) throws {
        var row = 0
        func next(_ n: Int = 1) { row += n }
        func section(_ title: String) throws {
            try sheet.write(title, row: row, column: 0, format: book.sectionFormat)
            next()
        }
        func note(_ text: String) throws {
            try sheet.write(text, row: row, column: 0, format: book.noteFormat)
            next()
        }

        try sheet.write(labels.title, row: row, column: 0, format: book.titleFormat)
        try sheet.setRow(row, height: 24)
        next()
        try book.writeRow([.text(labels.market), .text(config.marketName)], to: sheet, row: row)
        next()
        try book.writeRow([.text(labels.run), .text(runID)], to: sheet, row: row)
        next()
        try sheet.write(labels.asOf, row: row, column: 0)
        let leftDate = try book.workbook.addFormat(.init(numberFormat: "yyyy-mm-dd", horizontalAlignment: .left))
        try book.write(.date(config.asOf), to: sheet, row: row, column: 1, format: leftDate)
        next(2)

        // Inputs, as ingest read them.
        try section(labels.inputsTitle)
        try book.writeHeader(labels.inputsHeader, to: sheet, row: row)
        next()
        for line in inputs.inputs {
            try book.writeRow([.text(labels.inputNames[line.kind] ?? line.kind.rawValue), .text(line.file), .int(line.read),
                               .int(line.accepted), .int(line.rejected), .text(line.sha256 == Pipeline.changedWhileRead ? labels.inputChangedWhileRead : line.sha256)], to: sheet, row: row)
            next()
        }
        if !inputs.inputsFromRecord { try note(labels.noIngestRecord) }
        next()

        // The funnel, with a column chart to its right.
        try section(labels.funnelTitle)
        try book.writeHeader(labels.funnelHeader, to: sheet, row: row)
        next()
        let funnelFirst = row
        let tally = people.tally
        for (step, count) in zip(labels.funnelSteps, [people.registrations, tally.people, tally.screened, tally.review,
                                                      tally.pending, tally.card]) {
            try book.writeRow([.text(step), .int(count)], to: sheet, row: row)
            next()
        }
        let chart = try book.workbook.addChart(.column)
        try chart.setTitle(labels.funnelTitle)
        try chart.addSeries(values: CellRange(rows: funnelFirst...(row - 1), columns: 1...1), on: sheet,
                            categories: CellRange(rows: funnelFirst...(row - 1), columns: 0...0), name: labels.funnelSeries)
        try sheet.insertChart(chart, row: funnelFirst - 2, column: 3)
        next()

        // Cards by colour, each colour in its own fill.
        try section(labels.coloursTitle)
        if let counts = cardsByColour {
            try book.writeHeader(labels.coloursHeader, to: sheet, row: row)
            next()
            for colour in CodeColour.allCases {
                try sheet.write(labels.colourNames[colour]!, row: row, column: 0, format: book.colourFills[colour])
                try book.write(.int(counts[colour] ?? 0), to: sheet, row: row, column: 1,
                               format: try book.format(for: .int(0), style: .normal))
                next()
            }
            try book.writeRow([.text(labels.total), .int(counts.values.reduce(0, +))], to: sheet, row: row, style: .bold)
            next()
            if let changes = inputs.cardChanges {
                try book.writeRow([.text(labels.issuedTonight), .int(changes.issued)], to: sheet, row: row)
                next()
                try book.writeRow([.text(labels.changedTonight), .int(changes.changed)], to: sheet, row: row)
                next()
            }
        } else {
            try note(labels.noRegistry)
        }
        next()

        // Rejects by reason, over all inputs.
        try section(labels.rejectsTitle)
        var byReason: [String: Int] = [:]
        for (key, n) in rejectsByFileAndReason { byReason[key.reason, default: 0] += n }
        if byReason.isEmpty {
            try note(labels.noRejects)
        } else {
            try book.writeHeader(labels.rejectsHeader, to: sheet, row: row)
            next()
            for (reason, n) in byReason.sorted(by: { $0.value != $1.value ? $0.value > $1.value : $0.key < $1.key }) {
                try book.writeRow([.text(reason), .text(labels.explain(reason)), .int(n)], to: sheet, row: row)
                next()
            }
            try book.writeRow([.text(labels.total), .blank, .int(rejectEntries)], to: sheet, row: row, style: .bold)
            next()
        }
        next()

        // The institutions selected.
        try section(labels.selectedTitle)
        if let evaluated = inputs.evaluated {
            let selected = evaluated.filter(\.selected)
            if selected.isEmpty {
                try note(labels.noneSelected)
            } else {
                try book.writeHeader(labels.selectedHeader, to: sheet, row: row)
                next()
                for s in selected {
                    try book.writeRow([s.rank.map { .int($0) } ?? .blank, .text(s.name), .decimal(s.score, places: 1)],
                                      to: sheet, row: row)
                    next()
                }
            }
        } else {
            try note(labels.notEvaluated.replacingOccurrences(of: "%@", with: ReportInputs.evaluationPath(config)))
        }
        next()

        // The other sheets and their rows.
        try section(labels.sheetsTitle)
        try book.writeHeader(labels.sheetsHeader, to: sheet, row: row)
        next()
        for (name, rows) in book.rows {
            try book.writeRow([.text(name), .int(rows)], to: sheet, row: row)
            next()
        }
        next()

        // How to read the workbook: each note merged across the table's width and wrapped.
        try section(labels.notesTitle)
        let noteFormat = try book.workbook.addFormat(.init(textWrap: true, verticalAlignment: .top))
        for text in labels.notes {
            let lines = max(1, (displayWidth(text) + 139) / 140)
            try sheet.setRow(row, height: Double(lines) * 15 + 2)
            try sheet.merge(CellRange(rows: row...row, columns: 0...5), text: text, format: noteFormat)
            next()
        }

        try sheet.setColumn(0, width: 30)
        try sheet.setColumn(1, width: labels.language == .zh ? 40 : 52)
        try sheet.setColumns(2...4, width: 15)
        try sheet.setColumn(5, width: 66)
        try book.setPrint(sheet, repeatRows: nil)
        book.record(sheet, rows: row)
    }
}
