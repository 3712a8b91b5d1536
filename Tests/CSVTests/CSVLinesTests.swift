import Testing
@testable import CSV

@Suite("Lines made field by field")
struct CSVLinesTests {
    /// Texts that need quotes, doubled quotes, the formula escape, or nothing.
    static let texts = ["", "plain", "张伟", "a,b", "say \"hi\"", "two\nlines", "cr\r", "crlf\r\n", " padded", "padded ",
                        "\ttab", "=SUM(A1)", "+1", "-2", "@x", "'=already", "''", "'plain", "=", "a;b", ";", "=a,\"b\""]

    /// The line the writer's rules give, spelled out on their own: the escape `'` before a
    /// formula start (= + - @ tab CR) or before an escape already there; then quotes around a
    /// field holding a comma, a quote or a line break, or starting or ending with a space or a
    /// tab, its quotes doubled.
    static func reference(_ fields: [String], neutralize: Bool) -> [UInt8] {
        let formula = Set("=+-@\t\r".unicodeScalars)
        var out = ""
        for (i, text) in fields.enumerated() {
            var f = text
            let scalars = Array(f.unicodeScalars)
            if neutralize, let first = scalars.first,
               formula.contains(first) || (first == "'" && scalars.count > 1 && (formula.contains(scalars[1]) || scalars[1] == "'")) {
                f = "'" + f
            }
            let s = Array(f.unicodeScalars)
            let quoted = s.contains { ",\"\n\r".unicodeScalars.contains($0) }
                || [" ", "\t"].contains(s.first) || [" ", "\t"].contains(s.last)
            out += (i > 0 ? "," : "") + (quoted ? "\"" + f.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : f)
        }
        return Array((out + "\n").utf8)
    }

    @Test("each kind of field makes the line the writer's rules give, and CSVWriter.appendLine the same",
          arguments: [true, false])
    func lines(neutralize: Bool) {
        var lines = CSVLines(neutralizeFormulas: neutralize)
        var expected: [UInt8] = []
        var appended: [UInt8] = []
        func expect(_ fields: [String]) {
            expected += Self.reference(fields, neutralize: neutralize)
            CSVWriter.appendLine(fields, neutralizeFormulas: neutralize, to: &appended)
        }
        for text in Self.texts {
            lines.field(text)
            Array(text.utf8).withUnsafeBufferPointer { lines.field(utf8: $0) }
            lines.endLine()
            expect([text, text])
        }
        for n in [0, 7, -5, 1_000_000, Int.max, Int.min] {
            lines.field(n)
            lines.endLine()
            expect([String(n)])
        }
        for list in [[], [""], ["a"], ["a", "b"], ["=x", "y"], ["a,b", "c"], [" x", "y "], ["say \"hi\"", ""], Self.texts] {
            lines.field(joining: list, separator: UInt8(ascii: ";"))
            lines.field("after")
            lines.endLine()
            expect([list.joined(separator: ";"), "after"])
        }
        #expect(String(decoding: lines.bytes, as: UTF8.self) == String(decoding: expected, as: UTF8.self))
        #expect(appended == expected)
        #expect(lines.count == Self.texts.count + 6 + 9)
    }
}
