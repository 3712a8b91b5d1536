import XLSX

/// A table that starts at the top of its own sheet: a frozen header row with filter buttons,
/// then data rows written in order. Past the book's rows per sheet it continues on
/// `Name (2)`, `Name (3)`, ..., each with the same header and setup.
final class SheetTable {
    /// A column: its header and how wide it may grow.
    struct Column {
        var title: String
        /// Width bounds in Excel's character units; the width follows the content in between.
        var minWidth: Double = 6
        var maxWidth: Double = 50
        /// Header cell format, when not the book's header format.
        var headerFormat: Format? = nil
        /// Default format of the whole column (cells an official fills in).
        var columnFormat: Format? = nil
        /// Wrap long text within the column (so that it neither hides its neighbour nor runs
        /// past the printed page). A wrapping column is `maxWidth` wide, so that the height of
        /// each row can be set as it is written: spreadsheets do not all grow rows by themselves.
        var wrap = false
    }

    let book: ReportBook
    let baseName: String
    let columns: [Column]
    /// Called once per sheet when it is complete, with the sheet and its data rows: for
    /// conditional formats, drop-downs and charts over the rows just written.
    var finishSheet: ((Worksheet, Int) throws -> Void)?

    private(set) var sheet: Worksheet
    /// The parts added when the table was made, for a table whose rows were counted first.
    private var parts: [Worksheet] = []
    /// The rows counted first, if they were.
    private let expectedRows: Int?
    private var part = 1
    private var rowsInPart = 0
    /// Data rows in all parts.
    private(set) var total = 0
    private var widths: [Int]
    /// Widths are measured on the first rows of each part only: enough to size the columns,
    /// and free for the millionth row.
    private let measuredRows = 2_000
    /// Whether each column wraps.
    private let wraps: [Bool]
    /// The formats of the row being written, by column.
    private var rowFormats: [Format?] = []
    /// The row `add(_:style:)` is writing.
    private var scratch = CellRows()
    /// The book's formats this table has used, by `formatKey`: looked up here for every cell,
    /// without the book's lock.
    private var formats: [Format??]

    /// A table on a new sheet, continued on new sheets as rows come.
    ///
    /// With `expectedRows`, every part those rows need is added now, and more rows than that
    /// are refused: the table can then be written on a thread of its own while other sheets
    /// are added after it.
    init(book: ReportBook, name: String, expectedRows: Int? = nil, columns: [Column]) throws {
        self.book = book
        self.baseName = name
        self.columns = columns
        self.expectedRows = expectedRows
        wraps = columns.map(\.wrap)
        widths = columns.map { displayWidth($0.title) }
        formats = Array(repeating: nil, count: SheetTable.formatKeys)
        sheet = try book.addSheet(name)
        try startPart()
        if let expectedRows {
            parts = [sheet]
            let count = max(1, (expectedRows + book.rowsPerSheet - 1) / book.rowsPerSheet)
            for n in stride(from: 2, through: count, by: 1) {
                sheet = try book.addSheet("\(baseName) (\(n))")
                try startPart()
                parts.append(sheet)
            }
            sheet = parts[0]
        }
    }

    /// Looks up now the formats of cells tagged `tags` in rows of `style`, not aligned to the
    /// top: a table written on a thread of its own then adds no format to the workbook (whose
    /// formats would otherwise be numbered in an order that depends on timing).
    func prepareFormats(tags: [UInt8], style: RowStyle = .normal) throws {
        for tag in tags { _ = try format(tag: tag, style: style, top: false) }
        formatsPrepared = true
    }

    /// Whether `prepareFormats` gave the table every format it will use.
    private var formatsPrepared = false

    private static let formatKeys = 256 * RowStyle.allCases.count * 2

    /// The book's format for a cell, looked up in the book once per kind of cell.
    private func format(tag: UInt8, style: RowStyle, top: Bool) throws -> Format? {
        let key = (Int(tag) * RowStyle.allCases.count + style.rawValue) * 2 + (top ? 1 : 0)
        if let known = formats[key] { return known }
        assert(!formatsPrepared, "the \(baseName) sheet needs a format it was not prepared with (tag \(tag), \(style), top \(top))")
        let format = try book.format(tag: tag, style: style, top: top)
        formats[key] = .some(format)
        return format
    }

    /// Appends a data row.
    func add(_ cells: [ReportCell], style: RowStyle = .normal) throws {
        scratch.removeAll()
        scratch.append(cells, style: style)
        try add(scratch)
    }

    /// Appends the rows of `rows`, made with `CellRows.append(_: ReportCell)` and ended with
    /// their `RowStyle`'s raw value as tag.
    func add(_ rows: CellRows) throws {
        try checkStop()
        for index in 0..<rows.count { try add(rows, index) }
    }

    /// Throws when the workbook was asked to stop.
    private func checkStop() throws {
        if book.stop?.isRequested == true { throw CancellationError() }
    }

    private func add(_ rows: CellRows, _ index: Int) throws {
        if let expectedRows, total == expectedRows {
            throw PipelineError.dataset("the \(baseName) sheet has more rows than the \(expectedRows) counted before it was written; run the report again")
        }
        if rowsInPart == book.rowsPerSheet { try nextPart() }
        rowsInPart += 1
        total += 1
        let row = rowsInPart
        let style = RowStyle(rawValue: Int(rows.tag(ofRow: index))) ?? .normal
        let count = rows.cellCount(ofRow: index)
        // Text in a wrapping column is shown as lines.
        func tag(_ column: Int) -> UInt8 {
            let tag = rows.tag(row: index, column: column)
            return tag == CellTag.text && column < wraps.count && wraps[column] ? CellTag.lines : tag
        }
        var lines = 1
        for column in 0..<min(count, wraps.count) where wraps[column] && rows.tag(row: index, column: column) == CellTag.text {
            lines = max(lines, rows.withText(row: index, column: column) { SheetTable.lineCount(utf8: $0, width: columns[column].maxWidth) })
        }
        let top = lines > 1
        // Formats are made before the row is written, in the order of its cells.
        if rowFormats.count < count { rowFormats = Array(repeating: nil, count: count) }
        for column in 0..<count { rowFormats[column] = try format(tag: tag(column), style: style, top: top) }
        try sheet.write(rows, at: index, row: row) { column, _ in rowFormats[column] }
        if row <= measuredRows {
            for column in 0..<min(count, widths.count) {
                let w = SheetTable.width(rows, index, column)
                if w > widths[column] { widths[column] = w }
            }
        }
        if lines > 1 { try sheet.setRow(row, height: Double(min(lines, 26)) * 15 + 2) }
    }

    /// The width cell `column` of row `index` asks of its column.
    private static func width(_ rows: CellRows, _ index: Int, _ column: Int) -> Int {
        let tag = rows.tag(row: index, column: column)
        switch (rows.kind(row: index, column: column), tag) {
        case (_, CellTag.plain), (_, CellTag.date): return 10
        case (.text, _): return rows.withText(row: index, column: column) { displayWidth(utf8: $0) }
        case (.number, CellTag.int):
            let digits = String(Int(rows.number(row: index, column: column))).count
            return digits + (digits - 1) / 3  // with thousands separators
        case (.number, _):
            let x = rows.number(row: index, column: column)
            return String(Int(x)).count + Int(tag - CellTag.decimal) + 2
        default: return 0
        }
    }

    /// The lines `text` takes in a wrapping column `width` characters wide.
    static func lineCount(_ text: String, width: Double) -> Int {
        var text = text
        return text.withUTF8 { lineCount(utf8: $0, width: width) }
    }

    /// The lines UTF-8 `text` takes in a wrapping column `width` characters wide.
    static func lineCount(utf8 text: UnsafeBufferPointer<UInt8>, width: Double) -> Int {
        // Column widths count the digit 0; letters and punctuation run a little narrower.
        let usable = max(1, Int(width * 1.1) - 1)
        if text.count <= usable && !text.contains(0x0A) { return 1 }
        var count = 0
        var start = 0
        for i in 0...text.count {
            // A line ends at a line feed, though not one after a carriage return: CR LF is one
            // character, and text splits on whole characters.
            guard i == text.count || text[i] == 0x0A && (i == 0 || text[i - 1] != 0x0D) else { continue }
            let line = UnsafeBufferPointer(rebasing: text[start..<i])
            count += max(1, (displayWidth(utf8: line) + usable - 1) / usable)
            start = i + 1
        }
        return count
    }

    /// Completes the last sheet, and any part counted for that no row reached (the count was
    /// too high: the parts stay, with their header).
    func finish() throws {
        while part < parts.count { try nextPart() }
        try finishPart()
    }

    /// Completes the current part and moves to the next: the one added when the table was
    /// made, or a new sheet.
    private func nextPart() throws {
        try finishPart()
        part += 1
        rowsInPart = 0
        widths = columns.map { displayWidth($0.title) }
        if part <= parts.count {
            sheet = parts[part - 1]
        } else {
            sheet = try book.addSheet("\(baseName) (\(part))")
            try startPart()
        }
    }

    private func startPart() throws {
        for (i, c) in columns.enumerated() {
            try sheet.write(c.title, row: 0, column: i, format: c.headerFormat ?? book.headerFormat)
        }
        try sheet.freezePanes(row: 1, column: 0)
        try book.setPrint(sheet, repeatRows: 0...0)
    }

    private func finishPart() throws {
        // Set now that the last row is known; constant_memory allows it on the current row.
        try sheet.setAutofilter(CellRange(rows: 0...rowsInPart, columns: 0...(columns.count - 1)))
        for (i, c) in columns.enumerated() {
            // Never narrower than the header (headers do not wrap), up to a point.
            let header = min(40, Double(displayWidth(c.title)) + 3)
            let width = c.wrap ? max(header, c.maxWidth) : max(header, min(c.maxWidth, max(c.minWidth, Double(widths[i]) + 2)))
            try sheet.setColumn(i, width: width, format: c.columnFormat)
        }
        try finishSheet?(sheet, rowsInPart)
        book.record(sheet, rows: rowsInPart)
    }
}
