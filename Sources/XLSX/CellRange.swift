/// A rectangle of cells, zero-based and inclusive at both ends (A1 is row 0, column 0).
public struct CellRange: Hashable, Sendable, CustomStringConvertible {
    /// The top row.
    public var firstRow: Int
    /// The leftmost column.
    public var firstColumn: Int
    /// The bottom row.
    public var lastRow: Int
    /// The rightmost column.
    public var lastColumn: Int

    /// The range from (`firstRow`, `firstColumn`) to (`lastRow`, `lastColumn`).
    public init(firstRow: Int, firstColumn: Int, lastRow: Int, lastColumn: Int) {
        self.firstRow = firstRow
        self.firstColumn = firstColumn
        self.lastRow = lastRow
        self.lastColumn = lastColumn
    }

    /// The range covering `rows` × `columns`.
    public init(rows: ClosedRange<Int>, columns: ClosedRange<Int>) {
        self.init(firstRow: rows.lowerBound, firstColumn: columns.lowerBound,
                  lastRow: rows.upperBound, lastColumn: columns.upperBound)
    }

    /// The range of one cell.
    public init(row: Int, column: Int) {
        self.init(firstRow: row, firstColumn: column, lastRow: row, lastColumn: column)
    }

    /// The range in A1 notation, such as `A1:C10` (or `B2` for one cell).
    public var description: String {
        let first = CellRange.a1(row: firstRow, column: firstColumn)
        if firstRow == lastRow && firstColumn == lastColumn { return first }
        return first + ":" + CellRange.a1(row: lastRow, column: lastColumn)
    }

    /// The range with absolute references, such as `$A$1:$C$10`, for formulas.
    var absolute: String {
        func cell(_ row: Int, _ column: Int) -> String { "$\(CellRange.columnName(column))$\(row + 1)" }
        return cell(firstRow, firstColumn) + ":" + cell(lastRow, lastColumn)
    }

    /// Whether the range covers exactly one cell.
    var isSingleCell: Bool { firstRow == lastRow && firstColumn == lastColumn }

    /// Throws unless the range lies inside the sheet with its corners in order.
    func validate(_ operation: @autoclosure () -> String) throws(XLSXError) {
        try CellRange.validate(row: firstRow, column: firstColumn, operation())
        try CellRange.validate(row: lastRow, column: lastColumn, operation())
        guard firstRow <= lastRow, firstColumn <= lastColumn else {
            throw XLSXError.invalidArgument(
                operation: operation(), reason: "the range \(self) ends before it starts")
        }
    }

    /// Throws unless (`row`, `column`) lies inside Excel's grid; C indices are unsigned, so a
    /// negative or oversized number must never reach them.
    static func validate(row: Int, column: Int, _ operation: @autoclosure () -> String) throws(XLSXError) {
        guard (0..<Worksheet.rowLimit).contains(row) else {
            throw XLSXError.invalidArgument(
                operation: operation(), reason: "row \(row) is outside 0..<\(Worksheet.rowLimit)")
        }
        guard (0..<Worksheet.columnLimit).contains(column) else {
            throw XLSXError.invalidArgument(
                operation: operation(), reason: "column \(column) is outside 0..<\(Worksheet.columnLimit)")
        }
    }

    /// `row`/`column` in A1 notation (`C4` for row 3, column 2); out-of-grid values as R/C numbers.
    static func a1(row: Int, column: Int) -> String {
        guard (0..<Worksheet.rowLimit).contains(row), (0..<Worksheet.columnLimit).contains(column) else {
            return "R\(row)C\(column)"
        }
        return columnName(column) + String(row + 1)
    }

    /// The letters of a zero-based column: 0 → A, 25 → Z, 26 → AA.
    static func columnName(_ column: Int) -> String {
        var letters: [Character] = []
        var n = column + 1
        while n > 0 {
            let remainder = (n - 1) % 26
            letters.append(Character(Unicode.Scalar(UInt8(65 + remainder))))
            n = (n - 1) / 26
        }
        return String(letters.reversed())
    }
}
