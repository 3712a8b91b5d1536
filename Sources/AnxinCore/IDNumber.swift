/// A PRC resident identity number (GB 11643-1999), normalized: 17 digits and a check
/// character, `X` in upper case.
public struct IDNumber: Hashable, Comparable, Sendable, CustomStringConvertible {
    /// The 18 characters.
    public let value: String

    /// Wraps an already-normalized number (from a dataset this pipeline wrote).
    public init(trusted value: String) { self.value = value }

    public var description: String { value }

    public static func < (a: IDNumber, b: IDNumber) -> Bool { a.value < b.value }

    /// A number that orders ID numbers as their text does: the 17 digits and the check
    /// character (X as 10) in one word, for sorting a million people quickly.
    public var sortKey: UInt64 {
        func key(_ bytes: some Sequence<UInt8>) -> UInt64 {
            var key: UInt64 = 0
            for b in bytes { key = key &* 11 &+ (b == 0x58 ? 10 : UInt64(b &- 0x30)) }
            return key
        }
        // The bytes in place where the text has them so (it does, but for short ones).
        return value.utf8.withContiguousStorageIfAvailable { key($0) } ?? key(value.utf8)
    }

    /// Whether the number is 18 characters of digits and X, whose `sortKey`s differ when the
    /// numbers do.
    var hasDistinctKey: Bool {
        value.utf8.count == 18 && value.utf8.allSatisfy { ($0 >= 0x30 && $0 <= 0x39) || $0 == 0x58 }
    }

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
        // Fast path: already 17 ASCII digits and a digit or X.
        if text.utf8.count == 18, isPlain(text) { return text }
        var out = String.UnicodeScalarView()
        for s in Text.foldFullWidth(text).unicodeScalars where !Text.isSpace(s) && s != "-" {
            out.append(s == "x" ? "X" : s)
        }
        return String(out)
    }

    static func isPlain(_ text: String) -> Bool {
        Text.withBytes(text) { b in
            guard b.count == 18 else { return false }
            for i in 0..<17 where b[i] < 0x30 || b[i] > 0x39 { return false }
            return (b[17] >= 0x30 && b[17] <= 0x39) || b[17] == 0x58
        }
    }

    /// Parses and validates a number as typed.
    public static func parse(_ text: String) -> Result<IDNumber, Problem> {
        let normalized = normalize(text)
        let problem = Text.withBytes(normalized) { b -> Problem? in
            guard b.count == 18, b[0] != 0x30 else { return .format }
            var p = 0
            for i in 0..<17 {
                let d = Int(b[i]) &- 0x30
                guard d >= 0 && d <= 9 else { return .format }
                p = ((p + d) * 2) % 11
            }
            let last = b[17]
            guard (last >= 0x30 && last <= 0x39) || last == 0x58 else { return .format }
            func num(_ r: Range<Int>) -> Int { r.reduce(0) { $0 * 10 + Int(b[$1] &- 0x30) } }
            guard CivilDate(year: num(6..<10), month: num(10..<12), day: num(12..<14)) != nil else { return .format }
            let check = (12 - p) % 11
            let expected: UInt8 = check == 10 ? 0x58 : UInt8(0x30 + check)
            return last == expected ? nil : .checkCharacter
        }
        if let problem { return .failure(problem) }
        return .success(IDNumber(trusted: normalized))
    }
}

/// ISO 7064 MOD 11-2, the check character of resident ID numbers and card numbers.
public enum ISO7064 {
    /// The check character (`0`-`9` or `X`) for a sequence of decimal digits.
    @inlinable
    public static func checkCharacter(_ digits: some Sequence<Int>) -> Character {
        var p = 0
        for d in digits { p = ((p + d) * 2) % 11 }
        let c = (12 - p) % 11
        return c == 10 ? "X" : Character(String(c))
    }
}
