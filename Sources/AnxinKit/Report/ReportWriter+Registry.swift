import AnxinCore
import Foundation
import XLSX

/// The sheets drawn from the card registry: Cards and Trends.
extension ReportWriter {
    /// Whether a registry exists (opening one creates it, which a report must not do).
    var hasRegistry: Bool { FileManager.default.fileExists(atPath: config.paths.registry) }

    /// The kinds of the Cards sheet's cells: text, a date, or a date Excel cannot show (as text,
    /// or blank).
    static let cardsCellTags = [CellTag.text, CellTag.date, CellTag.plain, CellTag.blank]

    /// Every card in the registry, streamed in number order, with its colour filled in: the
    /// biggest sheet, written on a thread of its own (see `BackgroundWork`) while this one writes the
    /// sheets after it. Its parts are added now, for the cards counted now; the lane's value is
    /// the cards by colour, nil without a registry.
    func startCards() throws -> BackgroundWork<[CodeColour: Int]?> {
        let h = labels.cardsHeader
        let count = hasRegistry ? try Registry(path: config.paths.registry).cardCount() : 0
        let table = try SheetTable(book: book, name: labels.cardsSheet, expectedRows: count, columns: [
            .init(title: h[0], minWidth: 15), .init(title: h[1], minWidth: 20), .init(title: h[2], minWidth: 8, maxWidth: 24),
            .init(title: h[3], minWidth: 8), .init(title: h[4], maxWidth: 50), .init(title: h[5], maxWidth: 36),
            .init(title: h[6], minWidth: 12), .init(title: h[7], minWidth: 12),
        ])
        let colourNames = labels.colourNames
        let fills = book.colourFills
        table.finishSheet = { sheet, rows in
            guard rows > 0 else { return }
            for colour in CodeColour.allCases {
                try sheet.addConditionalFormat(.equals(colourNames[colour]!), to: CellRange(rows: 1...rows, columns: 3...3),
                                               format: fills[colour]!)
            }
        }
        guard hasRegistry else {
            try table.finish()
            return BackgroundWork(name: "anxin-report-sheet") { nil }
        }
        try table.prepareFormats(tags: ReportWriter.cardsCellTags)
        // The registry is read, and the rows made, on a second thread while this one writes them.
        let (path, names) = (config.paths.registry, names)
        let feed = RowFeed<[CodeColour: Int]> { sink in
            var counts: [CodeColour: Int] = [.green: 0, .yellow: 0, .red: 0]
            // Every card is read as bytes; the words for its codes and dates are made once.
            var areaNames: [String: String] = [:]
            var institutionNames: [String: String] = [:]
            var dates: [String: ReportCell] = [:]
            func cached(_ cache: inout [String: String], _ key: UnsafeBufferPointer<UInt8>, _ make: (String) -> String) -> String {
                let key = String(decoding: key, as: UTF8.self)
                if let value = cache[key] { return value }
                let value = make(key)
                if cache.count < 10_000 { cache[key] = value }
                return value
            }
            func date(_ text: UnsafeBufferPointer<UInt8>) -> ReportCell {
                let text = String(decoding: text, as: UTF8.self)
                if let cell = dates[text] { return cell }
                let cell = ReportCell.date(AnxinCore.CivilDate.parse(text))
                if dates.count < 10_000 { dates[text] = cell }
                return cell
            }
            try Registry(path: path).forEachCardText { card in
                let colour = CodeColour(rawValue: String(decoding: card.colour, as: UTF8.self)) ?? .yellow
                counts[colour, default: 0] += 1
                let areas = cached(&areaNames, card.serviceAreas) { names.areaList($0.isEmpty ? [] : $0.components(separatedBy: ";")) }
                let institution = cached(&institutionNames, card.institutionID) { names.institution($0) }
                let (issued, since) = (date(card.issuedOn), date(card.colourSince))
                try sink.row { rows in
                    rows.append(utf8: card.number, tag: CellTag.text)
                    ReportNames.appendMasked(card.idNumber, to: &rows)
                    rows.append(utf8: card.name, tag: CellTag.text)
                    rows.append(colourNames[colour]!, tag: CellTag.text)
                    rows.append(areas, tag: CellTag.text)
                    rows.append(institution, tag: CellTag.text)
                    rows.append(issued)
                    rows.append(since)
                }
            }
            return counts
        }
        return BackgroundWork(name: "anxin-report-sheet", stop: { feed.cancel() }) {
            defer { feed.cancel() }
            while let batch = try feed.next() {
                try table.add(batch)
            }
            try table.finish()
            return feed.result
        }
    }

    /// One row per night the registry remembers, with a line chart beside the table.
    func writeTrends() throws {
        let h = labels.trendsHeader
        var columns = [SheetTable.Column(title: h[0], minWidth: 12)]
        for title in h.dropFirst() { columns.append(.init(title: title, minWidth: 10, maxWidth: 14)) }
        let table = try SheetTable(book: book, name: labels.trendsSheet, columns: columns)
        let nights = hasRegistry ? try Registry(path: config.paths.registry).nights() : []
        table.finishSheet = { [book, labels] sheet, rows in
            guard rows > 0 else { return }
            // A line needs two nights; the first night gets columns rather than an empty chart.
            let chart = try book.workbook.addChart(rows > 1 ? .line : .column)
            try chart.setTitle(labels.trendsChart)
            // The nights are dates: label them as dates, not as the day numbers they are stored as.
            try chart.setAxisNumberFormats(x: "yyyy-mm-dd")
            let categories = CellRange(rows: 1...rows, columns: 0...0)
            // Registrations, screened, review and the three colours; people and pending are in the table.
            for column in [1, 3, 4, 6, 7, 8] {
                try chart.addSeries(values: CellRange(rows: 1...rows, columns: column...column), on: sheet,
                                    categories: categories, name: h[column])
            }
            try sheet.insertChart(chart, row: 1, column: h.count + 1)
        }
        for n in nights {
            try table.add([
                .date(AnxinCore.CivilDate.parse(n.asOf)), .int(n.registrations), .int(n.people), .int(n.screened), .int(n.review),
                .int(n.pending), .int(n.cardsGreen), .int(n.cardsYellow), .int(n.cardsRed), .int(n.cardsNew),
            ])
        }
        try table.finish()
    }
}
