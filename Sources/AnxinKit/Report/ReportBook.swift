import AnxinCore
import Foundation
import XLSX

/// One value of a report cell: text is always written as text, numbers as numbers and dates as
/// dates, so an official can sort, sum and filter them.
enum ReportCell: Sendable {
    case text(String)
    /// Text that may hold line breaks (shown wrapped).
    case lines(String)
    case int(Int)
    /// A decimal shown with this many places.
    case decimal(Double, places: Int)
    case date(AnxinCore.CivilDate)
    case blank

    /// An optional date, blank when nil.
    static func date(_ date: AnxinCore.CivilDate?) -> ReportCell { date.map { .date($0) } ?? .blank }
    /// An optional number, blank when nil.
    static func decimal(_ value: Double?, places: Int) -> ReportCell { value.map { .decimal($0, places: places) } ?? .blank }
}

/// How a row looks.
enum RowStyle: Int, CaseIterable {
    case normal, highlight, bold
}

/// The tags of `CellRows` cells made from `ReportCell`s: the kind of value, which with the row's
/// style gives the cell's format.
enum CellTag {
    static let text: UInt8 = 0
    static let lines: UInt8 = 1
    static let int: UInt8 = 2
    static let date: UInt8 = 3
    static let blank: UInt8 = 4
    /// Text without any format (a date Excel cannot show, written as it reads).
    static let plain: UInt8 = 5
    /// A decimal: this plus its places.
    static let decimal: UInt8 = 6
}

extension CellRows {
    /// Adds `cell` to the row being made, as `ReportBook.write` would write it.
    mutating func append(_ cell: ReportCell) {
        switch cell {
        case .text(let s): append(s, tag: CellTag.text)
        case .lines(let s): append(s, tag: CellTag.lines)
        case .int(let n): append(Double(n), tag: CellTag.int)
        case .decimal(let x, let places):
            let tag = CellTag.decimal + UInt8(clamping: min(max(places, 0), 200))
            if x.isFinite { append(x, tag: tag) } else { appendEmpty(tag: tag) }
        case .date(let d): append(d)
        case .blank: appendBlank(tag: CellTag.blank)
        }
    }

    /// Adds a date: its serial number, or its text when Excel cannot show it.
    mutating func append(_ date: AnxinCore.CivilDate) {
        if let serial = ReportBook.excelSerial(date) {
            append(Double(serial), tag: CellTag.date)
        } else {
            append(date.description, tag: CellTag.plain)
        }
    }

    /// Adds the cells of a row and ends it.
    mutating func append(_ cells: [ReportCell], style: RowStyle) {
        for cell in cells { append(cell) }
        endRow(tag: UInt8(style.rawValue))
    }
}

/// The workbook being written and what every sheet shares: its formats, labels, print setup
/// and the count of data rows written to each sheet.
final class ReportBook {
    let workbook: Workbook
    let labels: ReportLabels
    /// Asked to stop, the tables stop taking rows (a report begun beside the cards stage, dropped).
    var stop: ReportStage.Stop?
    /// Data rows a sheet may hold before the table continues on `Name (2)`.
    let rowsPerSheet: Int
    /// Sheet names and their data rows, in the workbook's order.
    var rows: [(sheet: String, rows: Int)] {
        let recorded = lock.withLock { recordedRows }
        return workbook.worksheetNames.compactMap { name in recorded[name].map { (name, $0) } }
    }
    /// Guards `recordedRows` and `formatCache`: the Cards sheet is written on a thread of its own.
    private let lock = NSLock()
    private var recordedRows: [String: Int] = [:]

    let titleFormat: Format
    let sectionFormat: Format
    let headerFormat: Format
    let confidentialHeader: Format
    let noteFormat: Format
    let wrapFormat: Format
    let dateFormat: Format
    /// Fills for the code colours (conditional formats and the summary's colour table).
    let colourFills: [CodeColour: Format]

    init(path: String, labels: ReportLabels, rowsPerSheet: Int, temporaryDirectory: String) throws {
        // constant_memory: one row per sheet in memory, so a million people fit in little space;
        // every sheet is written top to bottom. Fast compression, on every core: for a province,
        // compressing the sheets at zlib's default level on one would take longer than writing
        // them. At least two threads, so that the file's bytes do not depend on the machine.
        workbook = try Workbook(
            path: path, options: .init(constantMemory: true, temporaryDirectory: temporaryDirectory, compression: .fast,
                                       compressionThreads: max(2, Parallel.cores)))
        self.labels = labels
        self.rowsPerSheet = rowsPerSheet
        titleFormat = try workbook.addFormat(.init(bold: true, fontSize: 16))
        sectionFormat = try workbook.addFormat(.init(bold: true, fontColor: .init(rgb: 0x1F4E78), fontSize: 12))
        headerFormat = try workbook.addFormat(ReportBook.headerStyle)
        var confidential = ReportBook.headerStyle
        confidential.background = .init(rgb: 0xC00000)
        confidential.fontColor = .white
        confidentialHeader = try workbook.addFormat(confidential)
        noteFormat = try workbook.addFormat(.init(italic: true, fontColor: .init(rgb: 0x595959)))
        wrapFormat = try workbook.addFormat(.init(textWrap: true, verticalAlignment: .top))
        dateFormat = try workbook.addFormat(.init(numberFormat: "yyyy-mm-dd"))
        colourFills = [
            .green: try workbook.addFormat(.init(background: .lightGreen)),
            .yellow: try workbook.addFormat(.init(background: .lightYellow)),
            .red: try workbook.addFormat(.init(background: .lightRed)),
        ]
    }

    static let headerStyle = Format.Style(bold: true, background: .lightGray, border: .thin, borderColor: .init(rgb: 0xA6A6A6),
                                          verticalAlignment: .center)

    /// Adds a sheet.
    func addSheet(_ name: String) throws -> Worksheet {
        try workbook.addWorksheet(named: name)
    }

    /// Records how many data rows a sheet holds.
    func record(_ sheet: Worksheet, rows count: Int) {
        lock.withLock { recordedRows[sheet.name] = count }
    }

    /// Formats already resolved, by kind of cell, style of row and alignment: this runs for
    /// every cell, so it is an array.
    private var formatCache: [Format??] = Array(repeating: nil, count: 8 * RowStyle.allCases.count * 2)

    /// The format of a `CellRows` cell tagged `tag` in a row of `style`: that of the
    /// `ReportCell` it was made from.
    func format(tag: UInt8, style: RowStyle, top: Bool) throws -> Format? {
        switch tag {
        case CellTag.text, CellTag.blank: return try format(kind: 0, places: 0, style: style, top: top)
        case CellTag.lines: return try format(kind: 1, places: 0, style: style, top: top)
        case CellTag.int: return try format(kind: 2, places: 0, style: style, top: top)
        case CellTag.date: return try format(kind: 3, places: 0, style: style, top: top) ?? dateFormat
        case CellTag.plain: return nil
        default: return try format(kind: 4, places: Int(tag - CellTag.decimal), style: style, top: top)
        }
    }

    /// The format of a cell of `kind` in a row of `style`; `top` aligns it to the top of a row
    /// grown for wrapped text (plain rows carry no alignment, keeping big sheets small).
    func format(for cell: ReportCell, style: RowStyle, top: Bool = false) throws -> Format? {
        switch cell {
        case .text, .blank: return try format(kind: 0, places: 0, style: style, top: top)
        case .lines: return try format(kind: 1, places: 0, style: style, top: top)
        case .int: return try format(kind: 2, places: 0, style: style, top: top)
        case .date: return try format(kind: 3, places: 0, style: style, top: top)
        case .decimal(_, let places): return try format(kind: 4, places: places, style: style, top: top)
        }
    }

    /// Kinds: 0 text (and blank), 1 lines, 2 int, 3 date, 4 decimal with `places`.
    private func format(kind: Int, places: Int, style: RowStyle, top: Bool) throws -> Format? {
        let index = kind == 4 ? 4 + min(places, 3) : kind
        let key = (index * RowStyle.allCases.count + style.rawValue) * 2 + (top ? 1 : 0)
        lock.lock()
        defer { lock.unlock() }
        if let cached = formatCache[key] { return cached }
        let made = try makeFormat(kind: kind, places: places, style: style, top: top)
        formatCache[key] = .some(made)
        return made
    }

    private func makeFormat(kind: Int, places: Int, style: RowStyle, top: Bool) throws -> Format? {
        var s = Format.Style(verticalAlignment: top ? .top : nil)
        switch kind {
        case 0: if style == .normal && !top { return nil }
        case 1: s.textWrap = true; s.verticalAlignment = .top
        case 2: s.numberFormat = "#,##0"
        case 3: s.numberFormat = "yyyy-mm-dd"
        default: s.numberFormat = places == 0 ? "0" : "0." + String(repeating: "0", count: places)
        }
        switch style {
        case .normal: break
        case .highlight: s.background = .lightGreen
        case .bold: s.bold = true; s.border = .thin; s.borderColor = .init(rgb: 0xA6A6A6)
        }
        return try workbook.addFormat(s)
    }

    /// The Excel serial number of `date`, or nil when Excel cannot show it.
    static func excelSerial(_ date: AnxinCore.CivilDate) -> Int? {
        (try? XLSX.CivilDate(year: date.year, month: date.month, day: date.day))?.excelSerial
    }

    /// Writes one cell.
    func write(_ cell: ReportCell, to sheet: Worksheet, row: Int, column: Int, format: Format?) throws {
        switch cell {
        case .text(let s), .lines(let s):
            if s.isEmpty {
                if format != nil { try sheet.writeBlank(row: row, column: column, format: format) }
            } else {
                try sheet.write(s, row: row, column: column, format: format)
            }
        case .int(let n): try sheet.write(n, row: row, column: column, format: format)
        case .decimal(let x, _):
            if x.isFinite { try sheet.write(x, row: row, column: column, format: format) }
        case .date(let d):
            if let date = try? XLSX.CivilDate(year: d.year, month: d.month, day: d.day) {
                try sheet.write(date, row: row, column: column, format: format ?? dateFormat)
            } else {
                try sheet.write(d.description, row: row, column: column)
            }
        case .blank:
            if format != nil { try sheet.writeBlank(row: row, column: column, format: format) }
        }
    }

    /// Writes `cells` from column 0 of `row` with the formats a row of `style` takes.
    func writeRow(_ cells: [ReportCell], to sheet: Worksheet, row: Int, style: RowStyle = .normal) throws {
        for (column, cell) in cells.enumerated() {
            try write(cell, to: sheet, row: row, column: column, format: try format(for: cell, style: style))
        }
    }

    /// Writes a header row.
    func writeHeader(_ titles: [String], to sheet: Worksheet, row: Int, column: Int = 0) throws {
        for (i, title) in titles.enumerated() {
            try sheet.write(title, row: row, column: column + i, format: headerFormat)
        }
    }

    /// Landscape, one page wide, `repeat` rows at the top of every page.
    func setPrint(_ sheet: Worksheet, repeatRows: ClosedRange<Int>?) throws {
        try sheet.setPrint(.init(landscape: true, fitToWidth: true, repeatRows: repeatRows, paper: .a4))
    }

    /// Closes the workbook: the file appears at its path only now.
    func close() throws { try workbook.close() }
}

/// The display width of UTF-8 text, as `displayWidth(_:)` measures it.
func displayWidth(utf8 text: UnsafeBufferPointer<UInt8>) -> Int {
    var widest = 0
    var width = 0
    var i = 0
    while i < text.count {
        let lead = text[i]
        if lead == 0x0A {
            widest = max(widest, width)
            width = 0
        } else if lead < 0x80 {
            width += 1
        } else if lead >= 0xC0 {
            // A scalar from U+2E80 on: a 3-byte sequence from E2 BA 80, or any 4-byte one.
            width += lead > 0xE2 || lead == 0xE2 && i + 1 < text.count && text[i + 1] >= 0xBA ? 2 : 1
        }
        i += 1
    }
    return max(widest, width)
}

/// The display width of text in Excel's character units: Chinese characters take two.
func displayWidth(_ text: String) -> Int {
    var widest = 0
    var width = 0
    for s in text.unicodeScalars {
        if s == "\n" {
            widest = max(widest, width)
            width = 0
        } else {
            width += s.value >= 0x2E80 ? 2 : 1
        }
    }
    return max(widest, width)
}
