#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The rules that turn any Swift string into text libxlsxwriter can put in a valid file.
///
/// libxlsxwriter 1.1.4 escapes `& < > "` everywhere and control characters in cell text only:
/// a control character in a document property or chart title, or U+FFFE/U+FFFF anywhere,
/// produces XML that Excel refuses to open. A NUL would silently end the C string.
enum XLSXText {
    /// Excel's limit on the characters in one cell.
    static let cellLimit = 32_767

    /// Cell text made safe, cut to Excel's limit with a visible marker; `truncated` says if it was.
    ///
    /// A NUL, U+FFFE or U+FFFF becomes U+FFFD. Text that looks like Excel's own escape
    /// (`_x0041_`) gets its underscore escaped so Excel shows it as written, not as "A".
    /// Other control characters are left to libxlsxwriter, which escapes them in cells.
    static func cell(_ text: String) -> (text: String, truncated: Bool) {
        var result = text
        if needsCellRewrite(text) { result = rewriteCell(text) }
        // UTF-16 length (Excel's measure) never exceeds the UTF-8 length: check the cheap one first.
        if result.utf8.count <= cellLimit || result.utf16.count <= cellLimit { return (result, false) }
        return (truncate(result, originalCount: text.count), true)
    }

    /// Text for places libxlsxwriter does not escape control characters (properties, charts,
    /// number formats, rule text): NUL/U+FFFE/U+FFFF become U+FFFD, other control characters
    /// except tab and newline become spaces.
    static func plain(_ text: String) -> String {
        guard needsPlainRewrite(text) else { return text }
        var out = String.UnicodeScalarView()
        for scalar in text.unicodeScalars {
            switch scalar.value {
            case 0, 0xFFFE, 0xFFFF: out.append("\u{FFFD}")
            case 0x09, 0x0A: out.append(scalar)
            case 0x01..<0x20: out.append(" ")
            default: out.append(scalar)
            }
        }
        return String(out)
    }

    /// Plain text that libxlsxwriter must not read as a reference: chart titles, axis and
    /// series names starting with `=` are taken as formulas, so those get a leading U+200B
    /// (zero-width space) and are shown as written.
    static func literal(_ text: String) -> String {
        let text = plain(text)
        return text.hasPrefix("=") ? "\u{200B}" + text : text
    }

    /// Why `text` cannot go into a formula or number format verbatim, or nil when it can.
    static func problem(in text: String) -> String? {
        for scalar in text.unicodeScalars {
            switch scalar.value {
            case 0x09, 0x0A, 0x0D: continue
            case 0x00..<0x20, 0xFFFE, 0xFFFF:
                let hex = String(scalar.value, radix: 16, uppercase: true)
                return "it contains the control character U+\(String(repeating: "0", count: 4 - hex.count) + hex)"
            default: continue
            }
        }
        return nil
    }

    /// Runs `body` with C copies of `strings` (nil stays NULL), freed afterwards.
    static func withCStrings<R>(
        _ strings: [String?], _ body: ([UnsafeMutablePointer<CChar>?]) throws(XLSXError) -> R
    ) throws(XLSXError) -> R {
        let pointers = strings.map { string in string.flatMap { strdup($0) } }
        defer { for pointer in pointers { free(pointer) } }
        return try body(pointers)
    }

    /// Whether UTF-8 bytes can go into a cell as they are: valid UTF-8 within Excel's limit,
    /// with nothing `cell(_:)` would rewrite.
    static func isPlainCell(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        guard bytes.count <= cellLimit else { return false }
        var previous: UInt8 = 0
        var i = 0
        let n = bytes.count
        while i < n {
            let lead = bytes[i]
            if lead < 0x80 {
                if lead == 0 || previous == 0x5F && lead == 0x78 { return false }  // NUL, "_x"
                previous = lead
                i += 1
                continue
            }
            // The well-formed sequences of the Unicode standard (table 3-7).
            var (length, low, high): (Int, UInt8, UInt8) = (0, 0x80, 0xBF)
            switch lead {
            case 0xC2...0xDF: length = 2
            case 0xE0: (length, low) = (3, 0xA0)
            case 0xE1...0xEC, 0xEE, 0xEF: length = 3
            case 0xED: (length, high) = (3, 0x9F)
            case 0xF0: (length, low) = (4, 0x90)
            case 0xF1...0xF3: length = 4
            case 0xF4: (length, high) = (4, 0x8F)
            default: return false
            }
            guard i + length <= n, (low...high).contains(bytes[i + 1]) else { return false }
            for k in 2..<max(2, length) where bytes[i + k] & 0xC0 != 0x80 { return false }
            if lead == 0xEF && bytes[i + 1] == 0xBF && (bytes[i + 2] == 0xBE || bytes[i + 2] == 0xBF) { return false }
            previous = 0x80
            i += length
        }
        return true
    }

    // MARK: - Private

    private static func needsCellRewrite(_ text: String) -> Bool {
        var previous: UInt8 = 0
        var beforePrevious: UInt8 = 0
        for byte in text.utf8 {
            if byte == 0 { return true }
            if previous == 0x5F && byte == 0x78 { return true }  // "_x"
            if beforePrevious == 0xEF && previous == 0xBF && (byte == 0xBE || byte == 0xBF) { return true }
            beforePrevious = previous
            previous = byte
        }
        return false
    }

    private static func needsPlainRewrite(_ text: String) -> Bool {
        var previous: UInt8 = 0
        var beforePrevious: UInt8 = 0
        for byte in text.utf8 {
            if byte < 0x20 && byte != 0x09 && byte != 0x0A { return true }
            if beforePrevious == 0xEF && previous == 0xBF && (byte == 0xBE || byte == 0xBF) { return true }
            beforePrevious = previous
            previous = byte
        }
        return false
    }

    private static func rewriteCell(_ text: String) -> String {
        let scalars = Array(text.unicodeScalars)
        var out = String.UnicodeScalarView()
        for (i, scalar) in scalars.enumerated() {
            switch scalar.value {
            case 0, 0xFFFE, 0xFFFF: out.append("\u{FFFD}")
            case 0x5F where looksLikeEscape(scalars, at: i): out.append(contentsOf: "_x005F_".unicodeScalars)
            default: out.append(scalar)
            }
        }
        return String(out)
    }

    /// True when `_xHHHH_` starts at `i`, the form Excel decodes as one character.
    private static func looksLikeEscape(_ scalars: [Unicode.Scalar], at i: Int) -> Bool {
        guard i + 6 < scalars.count, scalars[i + 1] == "x", scalars[i + 6] == "_" else { return false }
        return scalars[(i + 2)...(i + 5)].allSatisfy { $0.properties.isASCIIHexDigit }
    }

    private static func truncate(_ text: String, originalCount: Int) -> String {
        let marker = "…[truncated from \(originalCount) characters]"
        let budget = cellLimit - marker.utf16.count
        var kept = 0
        var end = text.startIndex
        // Cut between whole characters so no emoji or combining sequence is split.
        for index in text.indices {
            let width = text[index].utf16.count
            if kept + width > budget { break }
            kept += width
            end = text.index(after: index)
        }
        return String(text[..<end]) + marker
    }
}
