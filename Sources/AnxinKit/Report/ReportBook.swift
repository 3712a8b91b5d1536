import AnxinCore
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

/// The workbook being written and what every sheet shares: its formats, labels, print setup
/// and the count of data rows written to each sheet.
final class ReportBook {
    let workbook: Workbook
    let labels: ReportLabels
    /// Data rows a sheet may hold before the table continues on `Name (2)`.
    let rowsPerSheet: Int
    /// Sheet names and their data rows, in order.
    private(set) var rows: [(sheet: String, rows: Int)] = []

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
        // every sheet is written top to bottom.
        workbook = try Workbook(path: path, options: .init(constantMemory: true, temporaryDirectory: temporaryDirectory))
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
        rows.append((sheet.name, count))
    }

    /// Formats already resolved, by kind of cell, style of row and alignment: this runs for
    /// every cell, so it is an array.
    private var formatCache: [Format??] = Array(repeating: nil, count: 8 * RowStyle.allCases.count * 2)

    /// The format of a cell of `kind` in a row of `style`; `top` aligns it to the top of a row
    /// grown for wrapped text (plain rows carry no alignment, keeping big sheets small).
    func format(for cell: ReportCell, style: RowStyle, top: Bool = false) throws -> Format? {
        let kind: Int
        switch cell {
        case .text, .blank: kind = 0
        case .lines: kind = 1
        case .int: kind = 2
        case .date: kind = 3
        case .decimal(_, let places): kind = 4 + min(places, 3)
        }
        let key = (kind * RowStyle.allCases.count + style.rawValue) * 2 + (top ? 1 : 0)
        if let cached = formatCache[key] { return cached }
        let made = try makeFormat(for: cell, style: style, top: top)
        formatCache[key] = .some(made)
        return made
    }

    private func makeFormat(for cell: ReportCell, style: RowStyle, top: Bool) throws -> Format? {
        var s = Format.Style(verticalAlignment: top ? .top : nil)
        switch cell {
        case .blank: if style == .normal && !top { return nil }
        case .text: if style == .normal && !top { return nil }
        case .lines: s.textWrap = true; s.verticalAlignment = .top
        case .int: s.numberFormat = "#,##0"
        case .decimal(_, let places): s.numberFormat = places == 0 ? "0" : "0." + String(repeating: "0", count: places)
        case .date: s.numberFormat = "yyyy-mm-dd"
        }
        switch style {
        case .normal: break
        case .highlight: s.background = .lightGreen
        case .bold: s.bold = true; s.border = .thin; s.borderColor = .init(rgb: 0xA6A6A6)
        }
        return try workbook.addFormat(s)
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
