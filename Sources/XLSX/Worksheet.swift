import CLibXlsxWriter

/// One worksheet; get one from `Workbook.addWorksheet(named:)`. Rows and columns are zero-based.
///
/// libxlsxwriter owns the C worksheet. This object holds its workbook unowned: it must not be
/// used once the workbook is released (that traps), and after `Workbook.close()` every call
/// throws `XLSXError.workbookClosed`.
public final class Worksheet {
    /// Rows in a worksheet.
    public static let rowLimit = 1_048_576
    /// Columns in a worksheet.
    public static let columnLimit = 16_384
    /// Characters in a worksheet name.
    public static let nameLimit = 31

    /// The worksheet's name.
    public let name: String
    unowned let workbook: Workbook
    let pointer: UnsafeMutablePointer<lxw_worksheet>
    let owner: UInt64
    /// The row being written in constant_memory mode; earlier rows are already on disk.
    private(set) var currentRow = 0

    init(name: String, workbook: Workbook, pointer: UnsafeMutablePointer<lxw_worksheet>) {
        self.name = name
        self.workbook = workbook
        self.pointer = pointer
        self.owner = workbook.token
    }

    /// Throws unless Excel accepts `name` as a worksheet name (uniqueness is the workbook's check).
    ///
    /// Done here rather than by libxlsxwriter: 1.1.4 reads before the start of an empty name.
    public static func validate(name: String) throws(XLSXError) {
        func refuse(_ reason: String) -> XLSXError { .invalidSheetName(name: name, reason: reason) }
        guard !name.isEmpty else { throw refuse("a worksheet needs a name") }
        // Excel counts UTF-16 units; libxlsxwriter counts code points, which is never more.
        guard name.utf16.count <= nameLimit else {
            throw refuse("it is \(name.utf16.count) characters long; Excel allows \(nameLimit)")
        }
        if let bad = name.first(where: { "[]:*?/\\".contains($0) }) {
            throw refuse("it contains \"\(bad)\"; Excel does not allow any of [ ] : * ? / \\")
        }
        guard !name.hasPrefix("'"), !name.hasSuffix("'") else {
            throw refuse("it starts or ends with an apostrophe")
        }
        // Control characters would be written raw into workbook.xml and corrupt it.
        if name.unicodeScalars.contains(where: { $0.properties.generalCategory == .control || $0.value >= 0xFFFE && $0.value <= 0xFFFF }) {
            throw refuse("it contains a control character")
        }
        guard name.lowercased() != "history" else { throw refuse("Excel reserves the name History") }
    }

    // MARK: - Cells

    /// Writes `text` as text, never as a formula: `=1+1` is stored and shown as those characters.
    ///
    /// Empty text leaves the cell blank (formatted if `format` is given). Text longer than
    /// 32,767 characters is cut, ending in a visible `…[truncated from N characters]`, and
    /// counted in `Workbook.truncatedCellCount`. NUL, U+FFFE and U+FFFF become U+FFFD.
    public func write(_ text: String, row: Int, column: Int, format: Format? = nil) throws(XLSXError) {
        let (safe, truncated) = XLSXText.cell(text)
        try writeCell("writing text", row: row, column: column, format: format) { row, column, format in
            safe.withCString { worksheet_write_string(pointer, row, column, $0, format) }
        }
        if truncated { workbook.noteTruncation() }
    }

    /// Writes a number; NaN and infinity are refused (libxlsxwriter would write them as
    /// `NAN`/`INF`, which Excel cannot open).
    public func write(_ number: Double, row: Int, column: Int, format: Format? = nil) throws(XLSXError) {
        guard number.isFinite else {
            throw XLSXError.invalidArgument(
                operation: "writing a number at \(place(row, column))", reason: "\(number) is not a finite number")
        }
        try writeCell("writing a number", row: row, column: column, format: format) { row, column, format in
            worksheet_write_number(pointer, row, column, number, format)
        }
    }

    /// Writes an integer as a number (exact up to 2^53; Excel shows 15 significant digits).
    public func write(_ number: Int, row: Int, column: Int, format: Format? = nil) throws(XLSXError) {
        try write(Double(number), row: row, column: column, format: format)
    }

    /// Writes TRUE or FALSE.
    public func write(_ value: Bool, row: Int, column: Int, format: Format? = nil) throws(XLSXError) {
        try writeCell("writing a boolean", row: row, column: column, format: format) { row, column, format in
            worksheet_write_boolean(pointer, row, column, value ? 1 : 0, format)
        }
    }

    /// Writes a date as its Excel serial number, shown as `yyyy-mm-dd` unless `format` (which
    /// should then carry a date number format) says otherwise.
    public func write(_ date: CivilDate, row: Int, column: Int, format: Format? = nil) throws(XLSXError) {
        var format = format
        if format == nil { format = try workbook.addFormat(Format.Style(numberFormat: "yyyy-mm-dd")) }
        let serial = Double(date.excelSerial)
        try writeCell("writing the date \(date)", row: row, column: column, format: format) { row, column, format in
            worksheet_write_number(pointer, row, column, serial, format)
        }
    }

    /// Writes an empty cell; without a format Excel has nothing to store, so nothing is written.
    public func writeBlank(row: Int, column: Int, format: Format? = nil) throws(XLSXError) {
        try writeCell("writing a blank", row: row, column: column, format: format) { row, column, format in
            worksheet_write_blank(pointer, row, column, format)
        }
    }

    /// Writes a formula such as `=SUM(B2:B9)`; the only way a formula gets into a cell.
    ///
    /// Excel recalculates it on opening; the stored result is 0 until then.
    public func writeFormula(_ formula: String, row: Int, column: Int, format: Format? = nil) throws(XLSXError) {
        let operation = "writing a formula at \(place(row, column))"
        let body = formula.hasPrefix("=") ? formula.dropFirst() : Substring(formula)
        guard !body.isEmpty else { throw XLSXError.invalidArgument(operation: operation, reason: "the formula is empty") }
        guard formula.utf16.count <= 8192 else {
            throw XLSXError.invalidArgument(operation: operation, reason: "Excel allows 8,192 characters in a formula")
        }
        if let problem = XLSXText.problem(in: formula) {
            throw XLSXError.invalidArgument(operation: operation, reason: problem)
        }
        try writeCell("writing a formula", row: row, column: column, format: format) { row, column, format in
            formula.withCString { worksheet_write_formula(pointer, row, column, $0, format) }
        }
    }

    // MARK: - For this module

    /// `'Sheet'!C4 (row 3, column 2)`: where something happened, for messages.
    func place(_ row: Int, _ column: Int) -> String {
        "'\(name)'!\(CellRange.a1(row: row, column: column)) (row \(row), column \(column))"
    }

    /// `'Sheet'!A1:C3`: a range, for messages.
    func place(_ range: CellRange) -> String { "'\(name)'!\(range)" }

    /// The C format for `format`, after checking it was made by this sheet's workbook.
    func resolve(_ format: Format?, _ operation: @autoclosure () -> String) throws(XLSXError) -> UnsafeMutablePointer<lxw_format>? {
        guard let format else { return nil }
        guard format.owner == owner else {
            throw XLSXError.invalidArgument(operation: operation(), reason: "the format belongs to another workbook")
        }
        return format.pointer
    }

    /// Throws if constant_memory mode has already written `row` out; otherwise makes it current.
    func enterRow(_ row: Int, _ operation: @autoclosure () -> String) throws(XLSXError) {
        guard workbook.options.constantMemory else { return }
        guard row >= currentRow else {
            throw XLSXError.invalidArgument(
                operation: operation(),
                reason: "in constant_memory mode rows are written in order, and row \(row) is before the current row \(currentRow)")
        }
    }

    /// Records that libxlsxwriter has moved on to `row` (constant_memory flushes earlier rows).
    func leaveRow(_ row: Int) {
        if row > currentRow { currentRow = row }
    }

    /// Checks the cell, format and row order, then runs `call` on the open workbook.
    private func writeCell(
        _ what: @autoclosure () -> String, row: Int, column: Int, format: Format?,
        _ call: (lxw_row_t, lxw_col_t, UnsafeMutablePointer<lxw_format>?) -> lxw_error
    ) throws(XLSXError) {
        // Built only when something goes wrong: this runs for every cell.
        func operation() -> String { "\(what()) at \(place(row, column))" }
        try CellRange.validate(row: row, column: column, operation())
        let formatPointer = try resolve(format, operation())
        try enterRow(row, operation())
        try workbook.perform(operation()) { _ throws(XLSXError) in
            try check(call(lxw_row_t(row), lxw_col_t(column), formatPointer), operation())
        }
        leaveRow(row)
    }
}
