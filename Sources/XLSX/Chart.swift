import CLibXlsxWriter

/// A chart in one workbook; get one from `Workbook.addChart(_:)`, give it series, then place
/// it once with `Worksheet.insertChart(_:row:column:)`.
///
/// libxlsxwriter owns the C chart. This object holds its workbook unowned: it must not be
/// used once the workbook is released, and after `Workbook.close()` every call throws.
/// Titles and names are always shown as written, never read as cell references.
public final class Chart {
    /// The kinds of chart offered.
    public enum Kind: Hashable, Sendable, CustomStringConvertible {
        /// Lines through the points of each series.
        case line
        /// Vertical bars.
        case column
        /// Horizontal bars.
        case bar

        /// The kind's name, for messages.
        public var description: String {
            switch self {
            case .line: return "line"
            case .column: return "column"
            case .bar: return "bar"
            }
        }

        var lxw: UInt8 {
            let type: lxw_chart_type
            switch self {
            case .line: type = LXW_CHART_LINE
            case .column: type = LXW_CHART_COLUMN
            case .bar: type = LXW_CHART_BAR
            }
            return UInt8(type.rawValue)
        }
    }

    /// The chart's kind.
    public let kind: Kind
    unowned let workbook: Workbook
    let pointer: UnsafeMutablePointer<lxw_chart>
    let owner: UInt64
    /// Series added so far; libxlsxwriter refuses to insert a chart without one.
    private(set) var seriesCount = 0
    /// Whether the chart has been placed; libxlsxwriter places a chart once.
    var isInserted = false

    init(kind: Kind, workbook: Workbook, pointer: UnsafeMutablePointer<lxw_chart>) {
        self.kind = kind
        self.workbook = workbook
        self.pointer = pointer
        self.owner = workbook.token
    }

    /// Adds a series plotting the cells `values` of `sheet`, labelled by the cells `categories`
    /// (same sheet) along the category axis, and called `name` in the legend.
    public func addSeries(values: CellRange, on sheet: Worksheet, categories: CellRange? = nil,
                          name: String? = nil) throws(XLSXError) {
        let operation = "adding a series from \(sheet.place(values)) to a \(kind) chart"
        guard workbook.owns(sheet) else {
            throw XLSXError.invalidArgument(operation: operation, reason: "the worksheet belongs to another workbook")
        }
        try values.validate(operation)
        try categories?.validate(operation)
        try workbook.perform(operation) { _ throws(XLSXError) in
            // NULL formulas: the ranges are set from numbers below, so no sheet name needs quoting here.
            guard let series = chart_add_series(pointer, nil, nil) else { throw XLSXError.allocationFailed(operation) }
            sheet.name.withCString { sheetName in
                chart_series_set_values(series, sheetName, lxw_row_t(values.firstRow), lxw_col_t(values.firstColumn),
                                        lxw_row_t(values.lastRow), lxw_col_t(values.lastColumn))
                if let categories {
                    chart_series_set_categories(
                        series, sheetName, lxw_row_t(categories.firstRow), lxw_col_t(categories.firstColumn),
                        lxw_row_t(categories.lastRow), lxw_col_t(categories.lastColumn))
                }
            }
            if let name { XLSXText.literal(name).withCString { chart_series_set_name(series, $0) } }
        }
        seriesCount += 1
    }

    /// Sets the title shown above the chart.
    public func setTitle(_ title: String) throws(XLSXError) {
        try workbook.perform("setting the title of a \(kind) chart") { _ in
            XLSXText.literal(title).withCString { chart_title_set_name(pointer, $0) }
        }
    }

    /// Sets the number format of the axes' labels (such as `yyyy-mm-dd` for dates); nil leaves
    /// an axis as it is.
    public func setAxisNumberFormats(x: String? = nil, y: String? = nil) throws(XLSXError) {
        try workbook.perform("setting the number format of a \(kind) chart's axes") { _ in
            if let x { x.withCString { chart_axis_set_num_format(pointer.pointee.x_axis, $0) } }
            if let y { y.withCString { chart_axis_set_num_format(pointer.pointee.y_axis, $0) } }
        }
    }

    /// Names the category (x) axis and the value (y) axis; nil leaves an axis unnamed.
    public func setAxisNames(x: String? = nil, y: String? = nil) throws(XLSXError) {
        try workbook.perform("naming the axes of a \(kind) chart") { _ in
            if let x { XLSXText.literal(x).withCString { chart_axis_set_name(pointer.pointee.x_axis, $0) } }
            if let y { XLSXText.literal(y).withCString { chart_axis_set_name(pointer.pointee.y_axis, $0) } }
        }
    }
}
