import CLibXlsxWriter

/// A cell format registered in one workbook; get one from `Workbook.addFormat(_:)`.
///
/// libxlsxwriter owns the C format until the workbook closes. A `Format` holds no reference
/// to its workbook: every use checks it against the workbook's own registry, so a format
/// from another (even a freed) workbook is refused instead of handing C a dangling pointer.
public struct Format {
    /// What the format looks like.
    public let style: Style
    let pointer: UnsafeMutablePointer<lxw_format>
    let owner: UInt64

    /// The look of a cell: font, fill, border, number format, wrapping, alignment.
    public struct Style: Hashable, Sendable {
        /// Bold type.
        public var bold: Bool
        /// Italic type.
        public var italic: Bool
        /// The font colour; nil keeps Excel's automatic colour.
        public var fontColor: Color?
        /// The font size in points (1...409); nil keeps the default 11.
        public var fontSize: Double?
        /// A solid background fill; nil for none.
        public var background: Color?
        /// A border on all four sides; nil for none.
        public var border: Border?
        /// The border colour; nil for automatic.
        public var borderColor: Color?
        /// An Excel number format such as `yyyy-mm-dd`, `0.00` or `@`; at most 127 UTF-8 bytes.
        public var numberFormat: String?
        /// Wrap long text onto several lines.
        public var textWrap: Bool
        /// Horizontal alignment; nil for Excel's default (text left, numbers right).
        public var horizontalAlignment: HorizontalAlignment?
        /// Vertical alignment; nil for Excel's default (bottom).
        public var verticalAlignment: VerticalAlignment?

        /// A style; every part defaults to Excel's default.
        public init(
            bold: Bool = false, italic: Bool = false, fontColor: Color? = nil, fontSize: Double? = nil,
            background: Color? = nil, border: Border? = nil, borderColor: Color? = nil,
            numberFormat: String? = nil, textWrap: Bool = false,
            horizontalAlignment: HorizontalAlignment? = nil, verticalAlignment: VerticalAlignment? = nil
        ) {
            self.bold = bold
            self.italic = italic
            self.fontColor = fontColor
            self.fontSize = fontSize
            self.background = background
            self.border = border
            self.borderColor = borderColor
            self.numberFormat = numberFormat
            self.textWrap = textWrap
            self.horizontalAlignment = horizontalAlignment
            self.verticalAlignment = verticalAlignment
        }
    }

    /// An RGB colour.
    public struct Color: Hashable, Sendable {
        /// The colour as 0xRRGGBB.
        public let rgb: UInt32

        /// The colour 0xRRGGBB (higher bits are ignored).
        public init(rgb: UInt32) { self.rgb = rgb & 0xFF_FFFF }

        /// Black.
        public static let black = Color(rgb: 0x000000)
        /// White.
        public static let white = Color(rgb: 0xFFFFFF)
        /// Excel's "Good" light green fill.
        public static let lightGreen = Color(rgb: 0xC6EFCE)
        /// Excel's "Neutral" light yellow fill.
        public static let lightYellow = Color(rgb: 0xFFEB9C)
        /// Excel's "Bad" light red fill.
        public static let lightRed = Color(rgb: 0xFFC7CE)
        /// A light grey for header rows.
        public static let lightGray = Color(rgb: 0xD9D9D9)

        /// The value libxlsxwriter expects: its 0 means "unset", so black has its own code.
        var lxw: lxw_color_t { rgb == 0 ? lxw_color_t(LXW_COLOR_BLACK.rawValue) : rgb }
    }

    /// A cell border line.
    public enum Border: Hashable, Sendable {
        /// A thin line.
        case thin
        /// A medium line.
        case medium
        /// A thick line.
        case thick
        /// A dashed line.
        case dashed
        /// A dotted line.
        case dotted
        /// A double line.
        case double
        /// A hairline.
        case hair

        var lxw: UInt8 {
            let style: lxw_format_borders
            switch self {
            case .thin: style = LXW_BORDER_THIN
            case .medium: style = LXW_BORDER_MEDIUM
            case .thick: style = LXW_BORDER_THICK
            case .dashed: style = LXW_BORDER_DASHED
            case .dotted: style = LXW_BORDER_DOTTED
            case .double: style = LXW_BORDER_DOUBLE
            case .hair: style = LXW_BORDER_HAIR
            }
            return UInt8(style.rawValue)
        }
    }

    /// Where text sits across the cell.
    public enum HorizontalAlignment: Hashable, Sendable {
        /// Left.
        case left
        /// Centred.
        case center
        /// Right.
        case right
        /// Justified.
        case justify
        /// Centred across the selected cells, without merging them.
        case centerAcross

        var lxw: UInt8 {
            let alignment: lxw_format_alignments
            switch self {
            case .left: alignment = LXW_ALIGN_LEFT
            case .center: alignment = LXW_ALIGN_CENTER
            case .right: alignment = LXW_ALIGN_RIGHT
            case .justify: alignment = LXW_ALIGN_JUSTIFY
            case .centerAcross: alignment = LXW_ALIGN_CENTER_ACROSS
            }
            return UInt8(alignment.rawValue)
        }
    }

    /// Where text sits up and down the cell.
    public enum VerticalAlignment: Hashable, Sendable {
        /// Top.
        case top
        /// Centred.
        case center
        /// Bottom.
        case bottom

        var lxw: UInt8 {
            let alignment: lxw_format_alignments
            switch self {
            case .top: alignment = LXW_ALIGN_VERTICAL_TOP
            case .center: alignment = LXW_ALIGN_VERTICAL_CENTER
            case .bottom: alignment = LXW_ALIGN_VERTICAL_BOTTOM
            }
            return UInt8(alignment.rawValue)
        }
    }

    /// Throws unless libxlsxwriter can take `style` as it is: it truncates a number format at
    /// 127 bytes without a word (possibly inside a UTF-8 sequence).
    static func validate(_ style: Style) throws(XLSXError) {
        let operation = "adding a format"
        if let size = style.fontSize, !(size.isFinite && (1...409).contains(size)) {
            throw XLSXError.invalidArgument(operation: operation, reason: "font size \(size) is outside 1...409")
        }
        if let numberFormat = style.numberFormat {
            guard !numberFormat.isEmpty, numberFormat.utf8.count <= 127 else {
                throw XLSXError.invalidArgument(
                    operation: operation, reason: "a number format must be 1...127 UTF-8 bytes")
            }
            if let problem = XLSXText.problem(in: numberFormat) {
                throw XLSXError.invalidArgument(operation: operation, reason: "the number format: \(problem)")
            }
        }
    }

    /// Sets every part of `style` on a fresh C format.
    static func apply(_ style: Style, to format: UnsafeMutablePointer<lxw_format>) {
        if style.bold { format_set_bold(format) }
        if style.italic { format_set_italic(format) }
        if let color = style.fontColor { format_set_font_color(format, color.lxw) }
        if let size = style.fontSize { format_set_font_size(format, size) }
        // A background colour alone gives a solid fill, in cells and in conditional formats alike.
        if let color = style.background { format_set_bg_color(format, color.lxw) }
        if let border = style.border { format_set_border(format, border.lxw) }
        if let color = style.borderColor { format_set_border_color(format, color.lxw) }
        if let numberFormat = style.numberFormat { format_set_num_format(format, numberFormat) }
        if style.textWrap { format_set_text_wrap(format) }
        if let alignment = style.horizontalAlignment { format_set_align(format, alignment.lxw) }
        if let alignment = style.verticalAlignment { format_set_align(format, alignment.lxw) }
    }
}
