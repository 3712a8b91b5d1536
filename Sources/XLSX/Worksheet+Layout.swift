import CLibXlsxWriter

extension Worksheet {
    /// How the sheet prints.
    public struct PrintSetup: Hashable, Sendable {
        /// Print across the long side of the paper.
        public var landscape: Bool
        /// Shrink to one page wide, as many pages tall as needed.
        public var fitToWidth: Bool
        /// Rows printed again at the top of every page (usually the header row).
        public var repeatRows: ClosedRange<Int>?
        /// The paper; nil leaves the printer's default.
        public var paper: Paper?

        /// A print setup; the defaults change nothing.
        public init(landscape: Bool = false, fitToWidth: Bool = false,
                    repeatRows: ClosedRange<Int>? = nil, paper: Paper? = nil) {
            self.landscape = landscape
            self.fitToWidth = fitToWidth
            self.repeatRows = repeatRows
            self.paper = paper
        }
    }

    /// Paper sizes, with Excel's codes.
    public enum Paper: UInt8, Hashable, Sendable {
        /// US Letter, 8.5 × 11 in.
        case letter = 1
        /// US Legal, 8.5 × 14 in.
        case legal = 5
        /// A3, 297 × 420 mm.
        case a3 = 8
        /// A4, 210 × 297 mm.
        case a4 = 9
    }

    /// Sets the width (in characters, 0...255) and optional default format of `columns`.
    public func setColumns(_ columns: ClosedRange<Int>, width: Double, format: Format? = nil) throws(XLSXError) {
        let range = CellRange(rows: 0...0, columns: columns)
        let span = range.lastColumn < Worksheet.columnLimit && range.firstColumn >= 0
            ? "\(CellRange.columnName(columns.lowerBound)):\(CellRange.columnName(columns.upperBound))"
            : "\(columns)"
        let operation = "setting the width of columns \(span) of '\(name)'"
        try range.validate(operation)
        guard width.isFinite, (0...255).contains(width) else {
            throw XLSXError.invalidArgument(operation: operation, reason: "width \(width) is outside 0...255")
        }
        let formatPointer = try resolve(format, operation)
        try workbook.perform(operation) { _ throws(XLSXError) in
            try check(worksheet_set_column(pointer, lxw_col_t(columns.lowerBound), lxw_col_t(columns.upperBound),
                                           width, formatPointer), operation)
        }
    }

    /// Sets the width (in characters, 0...255) and optional default format of one column.
    public func setColumn(_ column: Int, width: Double, format: Format? = nil) throws(XLSXError) {
        try setColumns(column...column, width: width, format: format)
    }

    /// Sets the height (in points, 0...409; nil keeps the default 15) and optional format of `row`.
    public func setRow(_ row: Int, height: Double? = nil, format: Format? = nil) throws(XLSXError) {
        let operation = "setting row \(row) of '\(name)'"
        try CellRange.validate(row: row, column: 0, operation)
        let height = height ?? LXW_DEF_ROW_HEIGHT
        guard height.isFinite, (0...409).contains(height) else {
            throw XLSXError.invalidArgument(operation: operation, reason: "height \(height) is outside 0...409")
        }
        let formatPointer = try resolve(format, operation)
        try enterRow(row, operation)
        try workbook.perform(operation) { _ throws(XLSXError) in
            try check(worksheet_set_row(pointer, lxw_row_t(row), height, formatPointer), operation)
        }
        leaveRow(row)
    }

    /// Keeps the rows above `row` and the columns left of `column` in view while scrolling.
    public func freezePanes(row: Int, column: Int) throws(XLSXError) {
        let operation = "freezing the panes of '\(name)' at \(CellRange.a1(row: row, column: column))"
        try CellRange.validate(row: row, column: column, operation)
        try workbook.perform(operation) { _ in
            worksheet_freeze_panes(pointer, lxw_row_t(row), lxw_col_t(column))
        }
    }

    /// Merges `range` into one cell holding `text` (always as text); needs two cells or more.
    public func merge(_ range: CellRange, text: String, format: Format? = nil) throws(XLSXError) {
        let operation = "merging \(place(range))"
        try range.validate(operation)
        guard !range.isSingleCell else {
            throw XLSXError.invalidArgument(operation: operation, reason: "a merged range needs at least two cells")
        }
        let formatPointer = try resolve(format, operation)
        try enterRow(range.firstRow, operation)
        let (safe, truncated) = XLSXText.cell(text)
        try workbook.perform(operation) { _ throws(XLSXError) in
            let code = safe.withCString {
                worksheet_merge_range(pointer, lxw_row_t(range.firstRow), lxw_col_t(range.firstColumn),
                                      lxw_row_t(range.lastRow), lxw_col_t(range.lastColumn), $0, formatPointer)
            }
            try check(code, operation)
        }
        // The blanks filling the range move constant_memory mode on to its last row.
        leaveRow(range.lastRow)
        if truncated { workbook.noteTruncation() }
    }

    /// Places `chart` with its top-left corner in the cell at `row`, `column`; once per chart.
    public func insertChart(_ chart: Chart, row: Int, column: Int) throws(XLSXError) {
        let operation = "inserting a chart at \(place(row, column))"
        try CellRange.validate(row: row, column: column, operation)
        guard chart.owner == owner else {
            throw XLSXError.invalidArgument(operation: operation, reason: "the chart belongs to another workbook")
        }
        guard chart.seriesCount > 0 else {
            throw XLSXError.invalidArgument(operation: operation, reason: "the chart has no series")
        }
        guard !chart.isInserted else {
            throw XLSXError.invalidArgument(operation: operation, reason: "the chart is already inserted; make another")
        }
        try workbook.perform(operation) { _ throws(XLSXError) in
            try check(worksheet_insert_chart(pointer, lxw_row_t(row), lxw_col_t(column), chart.pointer), operation)
        }
        chart.isInserted = true
    }

    /// Sets orientation, fitting, repeated header rows and paper for printing.
    public func setPrint(_ setup: PrintSetup) throws(XLSXError) {
        let operation = "setting up printing of '\(name)'"
        if let rows = setup.repeatRows {
            try CellRange.validate(row: rows.lowerBound, column: 0, operation)
            try CellRange.validate(row: rows.upperBound, column: 0, operation)
        }
        try workbook.perform(operation) { _ throws(XLSXError) in
            if setup.landscape { worksheet_set_landscape(pointer) } else { worksheet_set_portrait(pointer) }
            // Height 0 means "as many pages as it takes".
            if setup.fitToWidth { worksheet_fit_to_pages(pointer, 1, 0) }
            if let paper = setup.paper { worksheet_set_paper(pointer, paper.rawValue) }
            if let rows = setup.repeatRows {
                try check(worksheet_repeat_rows(pointer, lxw_row_t(rows.lowerBound), lxw_row_t(rows.upperBound)),
                          operation)
            }
        }
    }
}
