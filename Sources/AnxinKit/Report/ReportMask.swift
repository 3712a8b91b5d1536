import AnxinCore

/// Masks personal data in text the workbook shows as it arrived (values of rejected rows).
///
/// A rejected row is by definition not what the rules expect, so masking cannot rely on the
/// rules either: it looks at the shape of the text. Runs of digits (ASCII or full-width, with
/// single spaces or hyphens inside) of 15 or more keep their first six and last four
/// characters, like a masked ID number; 11-digit numbers starting with 1 keep the first three
/// and last four, like a masked mobile number; other runs of 9 to 14 digits keep two at each
/// end; runs of up to 8 digits (dates, codes) stay. Names keep their first and last characters.
enum ReportMask {
    /// `value` of `column` (a canonical column name, or `(row)` for a whole row) as it may be shown.
    ///
    /// `nameIndex` is the position of the name among a whole row's comma-separated fields.
    static func value(_ value: String, column: String, nameIndex: Int?) -> String {
        if column.hasSuffix("id_number") { return idLike(value) }
        if column == "name" {
            return looksLikeName(value) ? maskedName(value) : chineseRuns(digits(value))
        }
        if column == FieldProblem.wholeRow {
            var fields = value.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
            if let nameIndex, nameIndex < fields.count { fields[nameIndex] = maskedName(fields[nameIndex]) }
            return chineseRuns(digits(fields.joined(separator: ",")))
        }
        return digits(value)
    }

    /// A value of an ID-number column, whatever it holds (a mistyped `33O3...` included): like a
    /// masked ID number from 15 characters on, two at each end from 8, the first two below that.
    static func idLike(_ text: String) -> String {
        let chars = Array(text.filter { !$0.isWhitespace })
        let keep = chars.count >= 15 ? (6, 4) : chars.count >= 8 ? (2, 2) : (min(2, chars.count / 2), 0)
        return String(chars.prefix(keep.0)) + String(repeating: "*", count: chars.count - keep.0 - keep.1)
            + String(chars.suffix(keep.1))
    }

    /// True when `text` holds only letters (any script), spaces and middle dots: a name as typed.
    static func looksLikeName(_ text: String) -> Bool {
        var letters = 0
        for s in text.unicodeScalars {
            if s.properties.isAlphabetic { letters += 1; continue }
            if Text.isSpace(s) || Text.isMiddleDot(s) { continue }
            return false
        }
        return letters > 0
    }

    /// Runs of two or more Chinese characters, as names in free text, masked like names.
    static func chineseRuns(_ text: String) -> String {
        var out = ""
        var run = ""
        func flush() {
            out += run.count >= 2 ? maskedName(run) : run
            run = ""
        }
        for c in text {
            if let s = c.unicodeScalars.first, c.unicodeScalars.count == 1, isHan(s) {
                run.append(c)
            } else {
                flush()
                out.append(c)
            }
        }
        flush()
        return out
    }

    /// Long digit runs masked as described on the type.
    static func digits(_ text: String) -> String {
        // Fast path: fewer than nine digits in all leaves nothing to mask.
        var count = 0
        for s in text.unicodeScalars where digitValue(s) != nil { count += 1 }
        if count < 9 { return text }

        let scalars = Array(text.unicodeScalars)
        var out = String.UnicodeScalarView()
        var i = 0
        while i < scalars.count {
            guard digitValue(scalars[i]) != nil else {
                out.append(scalars[i])
                i += 1
                continue
            }
            // Collect the run: digits, with single separators between digits.
            var digits: [Unicode.Scalar] = []
            var j = i
            while j < scalars.count {
                if let d = digitValue(scalars[j]) {
                    digits.append(d)
                    j += 1
                } else if isSeparator(scalars[j]), j + 1 < scalars.count, digitValue(scalars[j + 1]) != nil, !digits.isEmpty {
                    j += 1
                } else {
                    break
                }
            }
            // An ID number's check character.
            if digits.count == 17, j < scalars.count, "xXｘＸ".unicodeScalars.contains(scalars[j]) {
                digits.append("X")
                j += 1
            }
            if digits.count < 9 {
                // Short runs are kept exactly as typed, separators included.
                out.append(contentsOf: scalars[i..<j])
            } else {
                out.append(contentsOf: mask(digits).unicodeScalars)
            }
            i = j
        }
        return String(out)
    }

    private static func mask(_ digits: [Unicode.Scalar]) -> String {
        let n = digits.count
        let keep: (Int, Int)
        if n >= 15 {
            keep = (6, 4)
        } else if n == 11 && digits[0] == "1" {
            keep = (3, 4)
        } else {
            keep = (2, 2)
        }
        var out = String.UnicodeScalarView()
        out.append(contentsOf: digits[0..<keep.0])
        out.append(contentsOf: String(repeating: "*", count: n - keep.0 - keep.1).unicodeScalars)
        out.append(contentsOf: digits[(n - keep.1)...])
        return String(out)
    }

    /// The ASCII digit for an ASCII or full-width digit.
    private static func digitValue(_ s: Unicode.Scalar) -> Unicode.Scalar? {
        switch s.value {
        case 0x30...0x39: return s
        case 0xFF10...0xFF19: return Unicode.Scalar(s.value - 0xFF10 + 0x30)
        default: return nil
        }
    }

    private static func isSeparator(_ s: Unicode.Scalar) -> Bool {
        s == " " || s == "-" || s == "\u{3000}" || s == "\u{FF0D}"
    }

    private static func isHan(_ s: Unicode.Scalar) -> Bool {
        switch s.value {
        case 0x3400...0x4DBF, 0x4E00...0x9FFF, 0xF900...0xFAFF, 0x20000...0x2FA1F: return true
        default: return false
        }
    }
}
