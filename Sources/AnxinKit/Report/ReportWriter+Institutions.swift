import AnxinCore
import XLSX

/// The Institutions sheet: the evaluation's rounds, components, score and rank.
extension ReportWriter {
    /// Selected institutions first, by rank, highlighted; a bar chart of their scores below.
    func writeInstitutions() throws {
        guard let rows = inputs.evaluated else {
            // The evaluation has not run: the sheet says so in one row.
            let sheet = try book.addSheet(labels.institutionsSheet)
            let text = labels.institutionsMissing.replacingOccurrences(of: "%@", with: ReportInputs.evaluationPath(config))
            try sheet.write(text, row: 0, column: 0, format: book.noteFormat)
            try sheet.setColumn(0, width: 100)
            try book.setPrint(sheet, repeatRows: nil)
            book.record(sheet, rows: 0)
            return
        }
        let h = labels.institutionsHeader
        var columns: [SheetTable.Column] = [
            .init(title: h[0], minWidth: 6), .init(title: h[1], minWidth: 10), .init(title: h[2], minWidth: 16, maxWidth: 36),
            .init(title: h[3], maxWidth: 18), .init(title: h[4], minWidth: 12),
        ]
        for title in h[5...15] { columns.append(.init(title: title, minWidth: 9, maxWidth: 12)) }
        columns.append(.init(title: h[16], minWidth: 8, maxWidth: 10))
        columns.append(.init(title: h[17], minWidth: 20, maxWidth: 50, wrap: true))
        let table = try SheetTable(book: book, name: labels.institutionsSheet, columns: columns)
        let selected = rows.prefix { $0.selected }.count
        var charted = false
        table.finishSheet = { [book, labels] sheet, written in
            // On the first sheet only, which holds the selected rows.
            guard !charted, selected > 0, written >= selected else { return }
            charted = true
            // Selected rows come first, so their names and scores are one block each.
            let chart = try book.workbook.addChart(.bar)
            try chart.setTitle(labels.scoresChart)
            try chart.addSeries(values: CellRange(rows: 1...selected, columns: 14...14), on: sheet,
                                categories: CellRange(rows: 1...selected, columns: 2...2), name: h[14])
            try sheet.insertChart(chart, row: written + 2, column: 2)
        }
        for r in rows {
            try table.add([
                r.rank.map { .int($0) } ?? .blank, .text(r.institutionID), .text(r.name), .text(districtName(r.district)),
                .date(r.licenceValidUntil), int(r.registeredStaff), int(r.cardHolders), int(r.evaluations),
                .decimal(r.meanRating, places: 2), int(r.complaints), .decimal(r.r, places: 3), .decimal(r.c, places: 3),
                .decimal(r.k, places: 3), .decimal(r.t, places: 3), .decimal(r.score, places: 1), int(r.roundReached),
                .text(r.selected ? labels.yes : labels.no), .text(labels.explainStop(r.stoppedBecause)),
            ], style: r.selected ? .highlight : .normal)
        }
        try table.finish()
    }

    private func int(_ n: Int?) -> ReportCell { n.map { .int($0) } ?? .blank }
}
