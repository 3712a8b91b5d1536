import CLibXlsxWriter

/// Rows of cells made ready on any thread and written later, row by row, with
/// `Worksheet.write(_:at:row:format:)`.
///
/// Text is made safe as it is added, by the rules of `Worksheet.write(_:row:column:format:)`
/// (NUL, U+FFFE and U+FFFF become U+FFFD, `_xHHHH_` is escaped, text past Excel's limit is cut
/// with a visible marker), and kept as C strings in one buffer: the thread that writes does no
/// string work, so the rows of a big sheet can be made beside it. Each cell carries a tag, a
/// small number the writer turns into the cell's format; each row carries one too.
public struct CellRows: Sendable {
    /// What a cell holds.
    public enum Kind: UInt8, Sendable {
        /// Text, never empty.
        case text
        /// A finite number.
        case number
        /// A blank cell: written only when it has a format.
        case blank
        /// Nothing at all, whatever the format.
        case empty
    }

    struct Cell {
        var number: Double
        var start: UInt32
        var count: UInt32
        var kind: Kind
        var tag: UInt8
        var truncated: Bool
    }

    /// The text of every cell, each followed by a NUL.
    private var bytes: [UInt8] = []
    private var cells: [Cell] = []
    /// Where each row's cells end in `cells`.
    private var rowEnds: [Int] = []
    private var rowTags: [UInt8] = []

    /// No rows; `rows` and `bytes` reserve room.
    public init(reservingRows rows: Int = 0, bytes byteCount: Int = 0) {
        rowEnds.reserveCapacity(rows)
        rowTags.reserveCapacity(rows)
        bytes.reserveCapacity(byteCount)
    }

    /// The complete rows.
    public var count: Int { rowEnds.count }

    /// Removes every row, keeping the room.
    public mutating func removeAll() {
        bytes.removeAll(keepingCapacity: true)
        cells.removeAll(keepingCapacity: true)
        rowEnds.removeAll(keepingCapacity: true)
        rowTags.removeAll(keepingCapacity: true)
    }

    // MARK: - Making rows

    /// Adds a text cell to the row being made; empty text makes a blank cell.
    public mutating func append(_ text: String, tag: UInt8) {
        guard !text.isEmpty else { return appendBlank(tag: tag) }
        var (safe, truncated) = XLSXText.cell(text)
        safe.withUTF8 { store($0, tag: tag, truncated: truncated) }
    }

    /// Adds a text cell given as UTF-8 bytes; invalid bytes become U+FFFD, as in `String(decoding:as:)`.
    public mutating func append(utf8 text: UnsafeBufferPointer<UInt8>, tag: UInt8) {
        if text.isEmpty {
            appendBlank(tag: tag)
        } else if XLSXText.isPlainCell(text) {
            store(text, tag: tag, truncated: false)
        } else {
            append(String(decoding: text, as: UTF8.self), tag: tag)
        }
    }

    /// Adds a number cell; a number that is not finite is refused when the row is written.
    public mutating func append(_ number: Double, tag: UInt8) {
        cells.append(Cell(number: number, start: 0, count: 0, kind: .number, tag: tag, truncated: false))
    }

    /// Adds a blank cell (written only if its tag gives it a format).
    public mutating func appendBlank(tag: UInt8) {
        cells.append(Cell(number: 0, start: 0, count: 0, kind: .blank, tag: tag, truncated: false))
    }

    /// Adds a cell that is never written: it only takes its column.
    public mutating func appendEmpty(tag: UInt8) {
        cells.append(Cell(number: 0, start: 0, count: 0, kind: .empty, tag: tag, truncated: false))
    }

    /// Completes the row being made: its cells fill columns 0, 1, 2, ... in the order added.
    public mutating func endRow(tag: UInt8 = 0) {
        rowEnds.append(cells.count)
        rowTags.append(tag)
    }

    private mutating func store(_ text: UnsafeBufferPointer<UInt8>, tag: UInt8, truncated: Bool) {
        let start = bytes.count
        bytes.append(contentsOf: text)
        bytes.append(0)
        cells.append(Cell(number: 0, start: UInt32(start), count: UInt32(text.count), kind: .text, tag: tag, truncated: truncated))
    }

    // MARK: - Reading rows

    /// The tag of row `row`.
    public func tag(ofRow row: Int) -> UInt8 { rowTags[row] }

    /// The cells in row `row`.
    public func cellCount(ofRow row: Int) -> Int { cellRange(row).count }

    /// What cell `column` of row `row` holds.
    public func kind(row: Int, column: Int) -> Kind { cells[cellRange(row).lowerBound + column].kind }

    /// The tag of cell `column` of row `row`.
    public func tag(row: Int, column: Int) -> UInt8 { cells[cellRange(row).lowerBound + column].tag }

    /// The number in cell `column` of row `row` (0 unless it is a number cell).
    public func number(row: Int, column: Int) -> Double { cells[cellRange(row).lowerBound + column].number }

    /// Runs `body` with the UTF-8 bytes of cell `column` of row `row`, as written (empty unless
    /// it is a text cell).
    public func withText<R>(row: Int, column: Int, _ body: (UnsafeBufferPointer<UInt8>) throws -> R) rethrows -> R {
        let cell = cells[cellRange(row).lowerBound + column]
        return try bytes.withUnsafeBufferPointer { all in
            try body(UnsafeBufferPointer(rebasing: all[Int(cell.start)..<Int(cell.start + cell.count)]))
        }
    }

    func cellRange(_ row: Int) -> Range<Int> {
        (row == 0 ? 0 : rowEnds[row - 1])..<rowEnds[row]
    }

    /// Runs `body` with the cells of row `row` and the text buffer they point into.
    func withRow<R, E: Error>(
        _ row: Int, _ body: (Slice<UnsafeBufferPointer<Cell>>, UnsafePointer<UInt8>?) throws(E) -> R
    ) throws(E) -> R {
        let range = cellRange(row)
        // The closures cannot throw a typed error through withUnsafeBufferPointer: carry it out.
        var outcome: Result<R, E>?
        cells.withUnsafeBufferPointer { cellBuffer in
            bytes.withUnsafeBufferPointer { byteBuffer in
                do throws(E) {
                    outcome = .success(try body(cellBuffer[range], byteBuffer.baseAddress))
                } catch {
                    outcome = .failure(error)
                }
            }
        }
        return try outcome!.get()
    }
}

extension Worksheet {
    /// Writes row `index` of `rows` at row `row`, its cells from column 0, each with the format
    /// `format(column, tag)` gives. Text, numbers and blanks follow the rules of the one-cell
    /// writes: a blank without a format writes nothing.
    public func write(_ rows: CellRows, at index: Int, row: Int, format: (_ column: Int, _ tag: UInt8) -> Format?) throws(XLSXError) {
        func operation(_ column: Int) -> String { "writing a cell at \(place(row, column))" }
        let count = rows.cellCount(ofRow: index)
        try CellRange.validate(row: row, column: max(0, count - 1), operation(max(0, count - 1)))
        try enterRow(row, operation(0))
        try rows.withRow(index) { (cells, text) throws(XLSXError) in
            try workbook.perform(operation(0)) { _ throws(XLSXError) in
                let (cRow, pointer) = (lxw_row_t(row), pointer)
                for (column, cell) in zip(0..., cells) where cell.kind != .empty {
                    let formatPointer = try resolve(format(column, cell.tag), operation(column))
                    let code: lxw_error
                    switch cell.kind {
                    case .text:
                        code = (text! + Int(cell.start)).withMemoryRebound(to: CChar.self, capacity: Int(cell.count) + 1) {
                            worksheet_write_string(pointer, cRow, lxw_col_t(column), $0, formatPointer)
                        }
                    case .number:
                        guard cell.number.isFinite else {
                            throw XLSXError.invalidArgument(operation: operation(column), reason: "\(cell.number) is not a finite number")
                        }
                        code = worksheet_write_number(pointer, cRow, lxw_col_t(column), cell.number, formatPointer)
                    case .blank:
                        guard formatPointer != nil else { continue }
                        code = worksheet_write_blank(pointer, cRow, lxw_col_t(column), formatPointer)
                    case .empty:
                        continue
                    }
                    try check(code, operation(column))
                    if cell.truncated { workbook.noteTruncation() }
                }
            }
        }
        leaveRow(row)
    }
}
