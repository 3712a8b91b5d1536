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
    private var part = 1
    private var rowsInPart = 0
    /// Data rows in all parts.
    private(set) var total = 0
    private var widths: [Int]
    /// Widths are measured on the first rows of each part only: enough to size the columns,
    /// and free for the millionth row.
    private let measuredRows = 2_000

    init(book: ReportBook, name: String, columns: [Column]) throws {
        self.book = book
        self.baseName = name
        self.columns = columns
        widths = columns.map { displayWidth($0.title) }
        sheet = try book.addSheet(name)
        try startPart()
    }

    /// Appends a data row.
    func add(_ cells: [ReportCell], style: RowStyle = .normal) throws {
        if rowsInPart == book.rowsPerSheet {
            try finishPart()
            part += 1
            sheet = try book.addSheet("\(baseName) (\(part))")
            rowsInPart = 0
            widths = columns.map { displayWidth($0.title) }
            try startPart()
        }
        rowsInPart += 1
        total += 1
        let row = rowsInPart
        var cells = cells
        var lines = 1
        for (column, cell) in cells.enumerated() where column < columns.count && columns[column].wrap {
            if case .text(let s) = cell {
                cells[column] = .lines(s)
                lines = max(lines, SheetTable.lineCount(s, width: columns[column].maxWidth))
            }
        }
        let top = lines > 1
        for (column, cell) in cells.enumerated() {
            try book.write(cell, to: sheet, row: row, column: column, format: try book.format(for: cell, style: style, top: top))
            if row <= measuredRows, column < widths.count {
                let w: Int
                switch cell {
                case .text(let s), .lines(let s): w = displayWidth(s)
                case .int(let n):
                    let digits = String(n).count
                    w = digits + (digits - 1) / 3  // with thousands separators
                case .decimal(let x, let places): w = String(Int(x)).count + places + 2
                case .date: w = 10
                case .blank: w = 0
                }
                if w > widths[column] { widths[column] = w }
            }
        }
        if lines > 1 { try sheet.setRow(row, height: Double(min(lines, 26)) * 15 + 2) }
    }

    /// The lines `text` takes in a wrapping column `width` characters wide.
    static func lineCount(_ text: String, width: Double) -> Int {
        // Column widths count the digit 0; letters and punctuation run a little narrower.
        let usable = max(1, Int(width * 1.1) - 1)
        if text.utf8.count <= usable && !text.utf8.contains(0x0A) { return 1 }
        var count = 0
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            count += max(1, (displayWidth(String(line)) + usable - 1) / usable)
        }
        return count
    }

    /// Completes the last sheet.
    func finish() throws {
        try finishPart()
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
