/// Text normalization shared by every input: trimming, full-width folding, name keys.
public enum Text {
    /// The non-empty parts of a `;`-separated list of codes as datasets write them (service
    /// areas, reasons), split on bytes: `String.split` would walk the text character by
    /// character, for every list of a million people. (The two differ only where a `;` is
    /// followed by a combining mark, which no code holds.)
    public static func list(_ text: String) -> [String] {
        withBytes(text) { list(utf8: $0) }
    }

    /// The non-empty parts of a `;`-separated list given as UTF-8 bytes.
    public static func list(utf8 b: UnsafeBufferPointer<UInt8>) -> [String] {
        var parts: [String] = []
        var start = 0
        for j in 0...b.count where j == b.count || b[j] == 0x3B {
            if j > start { parts.append(String(decoding: UnsafeBufferPointer(rebasing: b[start..<j]), as: UTF8.self)) }
            start = j + 1
        }
        return parts
    }

    /// Whitespace as it appears in extracts: ASCII, ideographic space, no-break space.
    @inlinable public static func isSpace(_ s: Unicode.Scalar) -> Bool {
        switch s.value {
        case 0x20, 0x09, 0x0A, 0x0D, 0x3000, 0xA0, 0xFEFF: return true
        default: return false
        }
    }

    /// Runs `body` over the text's UTF-8 bytes without copying them when possible.
    @inlinable public static func withBytes<R>(_ text: String, _ body: (UnsafeBufferPointer<UInt8>) -> R) -> R {
        if let r = text.utf8.withContiguousStorageIfAvailable(body) { return r }
        return Array(text.utf8).withUnsafeBufferPointer(body)
    }

    /// True when every byte is ASCII.
    @inlinable public static func isASCII(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        var acc: UInt8 = 0
        for byte in bytes { acc |= byte }
        return acc < 0x80
    }

    /// True when every byte is ASCII.
    @inlinable public static func isASCII(_ text: String) -> Bool {
        withBytes(text) { b in
            var acc: UInt8 = 0
            for byte in b { acc |= byte }
            return acc < 0x80
        }
    }

    /// The text without leading and trailing whitespace.
    public static func trim(_ text: String) -> String {
        // Fast path: the first and last bytes are plain ASCII non-space, so nothing to trim.
        if let first = text.utf8.first, let last = text.utf8.last,
           first > 0x20, first < 0x80, last > 0x20, last < 0x80 { return text }
        let scalars = text.unicodeScalars
        guard let first = scalars.firstIndex(where: { !isSpace($0) }) else { return "" }
        let last = scalars.lastIndex(where: { !isSpace($0) })!
        if first == scalars.startIndex && last == scalars.index(before: scalars.endIndex) { return text }
        return String(scalars[first...last])
    }

    /// Full-width ASCII forms (U+FF01-U+FF5E) and the ideographic space folded to ASCII.
    public static func foldFullWidth(_ text: String) -> String {
        // Full-width forms are EF BC xx / EF BD xx, the ideographic space E3 80 80.
        let plain = withBytes(text) { b -> Bool in
            for byte in b where byte == 0xEF || byte == 0xE3 { return false }
            return true
        }
        if plain { return text }
        var out = String.UnicodeScalarView()
        for s in text.unicodeScalars {
            switch s.value {
            case 0xFF01...0xFF5E: out.append(Unicode.Scalar(s.value - 0xFEE0)!)
            case 0x3000: out.append(" ")
            default: out.append(s)
            }
        }
        return String(out)
    }

    /// Middle dots used in transliterated names.
    @inlinable public static func isMiddleDot(_ s: Unicode.Scalar) -> Bool {
        switch s.value {
        case 0x00B7, 0x2022, 0x30FB, 0xFF65, 0x2027, 0x2219: return true
        default: return false
        }
    }

    /// The key two names must share to be the same name: trimmed, without inner spaces or
    /// middle dots, full-width folded, Latin letters case-folded.
    public static func nameKey(_ name: String) -> String {
        // Fast path: lower-case or non-letter ASCII and the common Chinese characters (lead
        // bytes E4-E9) need nothing removed or folded, so the name is its own key.
        let plain = withBytes(name) { b -> Bool in
            for c in b {
                if c < 0x80 {
                    if c <= 0x20 || (c >= 0x41 && c <= 0x5A) { return false }
                } else if c >= 0xC0 && (c < 0xE4 || c > 0xE9) {
                    return false
                }
            }
            return true
        }
        if plain { return name }
        var out = String.UnicodeScalarView()
        for s in foldFullWidth(name).unicodeScalars where !isSpace(s) && !isMiddleDot(s) {
            out.append(s)
        }
        let key = String(out)
        // Case-fold Latin letters, accented ones included; Chinese characters have no case.
        return isASCII(key) && !key.utf8.contains(where: { $0 >= 0x41 && $0 <= 0x5A }) ? key : key.lowercased()
    }

    /// A code as the reference lists spell it: trimmed, full-width folded, lower case.
    public static func code(_ text: String) -> String {
        let folded = foldFullWidth(trim(text))
        let hasUpper = withBytes(folded) { b -> Bool in
            for byte in b where byte >= 0x41 && byte <= 0x5A { return true }
            return false
        }
        return hasUpper ? folded.lowercased() : folded
    }
}
