/// A PRC resident identity number (GB 11643-1999), normalized: 17 digits and a check
/// character, `X` in upper case.
public struct IDNumber: Hashable, Comparable, Sendable, CustomStringConvertible {
    /// The 18 characters.
    public let value: String

    /// Wraps an already-normalized number (from a dataset this pipeline wrote).
    public init(trusted value: String) { self.value = value }

    public var description: String { value }

    public static func < (a: IDNumber, b: IDNumber) -> Bool { a.value < b.value }

    /// The six-digit region code.
    public var region: Substring { value.prefix(6) }

    /// The birth date the number carries.
    public var birthDate: CivilDate? {
        let b = Array(value.utf8)
        guard b.count == 18 else { return nil }
        func num(_ r: Range<Int>) -> Int { r.reduce(0) { $0 * 10 + Int(b[$1] &- 0x30) } }
        return CivilDate(year: num(6..<10), month: num(10..<12), day: num(12..<14))
    }

    /// Male when the sequence's last digit (the 17th character) is odd.
    public var isMale: Bool {
        let b = Array(value.utf8)
        return b.count == 18 && (b[16] &- 0x30) % 2 == 1
    }

    /// The number with the middle eight characters hidden, e.g. `330302********123X`.
    public var masked: String {
        guard value.count == 18 else { return String(repeating: "*", count: value.count) }
        return value.prefix(6) + String(repeating: "*", count: 8) + value.suffix(4)
    }

    /// Why a text is not a valid number.
    public enum Problem: String, Sendable, Error {
        /// Not 17 digits and a check character, or the birth date does not exist.
        case format = "bad_id"
        /// The check character does not match.
        case checkCharacter = "bad_id_check"
    }

    /// Normalizes how numbers are typed: full-width digits, lower-case x, inner spaces.
    public static func normalize(_ text: String) -> String {
        var out = String.UnicodeScalarView()
        for s in Text.foldFullWidth(text).unicodeScalars where !Text.isSpace(s) && s != "-" {
            out.append(s == "x" ? "X" : s)
        }
        return String(out)
    }

    /// Parses and validates a number as typed.
    public static func parse(_ text: String) -> Result<IDNumber, Problem> {
        let normalized = normalize(text)
        let b = Array(normalized.utf8)
        guard b.count == 18,
              b[0..<17].allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }),
              (b[17] >= 0x30 && b[17] <= 0x39) || b[17] == 0x58,
              b[0] != 0x30
        else { return .failure(.format) }
        let id = IDNumber(trusted: normalized)
        guard id.birthDate != nil else { return .failure(.format) }
        guard ISO7064.checkCharacter(b[0..<17].map { Int($0 - 0x30) }) == Character(Unicode.Scalar(b[17]))
        else { return .failure(.checkCharacter) }
        return .success(id)
    }
}

/// ISO 7064 MOD 11-2, the check character of resident ID numbers and card numbers.
public enum ISO7064 {
    /// The check character (`0`-`9` or `X`) for a sequence of decimal digits.
    public static func checkCharacter(_ digits: some Sequence<Int>) -> Character {
        var p = 0
        for d in digits { p = ((p + d) * 2) % 11 }
        let c = (12 - p) % 11
        return c == 10 ? "X" : Character(String(c))
    }
}
