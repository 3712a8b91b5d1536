import Testing
@testable import CSV

@Suite("Lines made field by field")
struct CSVLinesTests {
    /// Texts that need quotes, doubled quotes, the formula escape, or nothing.
    static let texts = ["", "plain", "张伟", "a,b", "say \"hi\"", "two\nlines", "cr\r", " padded", "padded ", "\ttab",
                        "=SUM(A1)", "+1", "-2", "@x", "'=already", "''", "'plain", "=", "a;b", ";", "=a,\"b\""]

    @Test("each kind of field makes the line CSVWriter.appendLine makes of its text", arguments: [true, false])
    func sameAsAppendLine(neutralize: Bool) {
        var lines = CSVLines(neutralizeFormulas: neutralize)
        var expected: [UInt8] = []
        for text in Self.texts {
            lines.field(text)
            Array(text.utf8).withUnsafeBufferPointer { lines.field(utf8: $0) }
            lines.endLine()
            CSVWriter.appendLine([text, text], neutralizeFormulas: neutralize, to: &expected)
        }
        for n in [0, 7, -5, 1_000_000, Int.max, Int.min] {
            lines.field(n)
            lines.endLine()
            CSVWriter.appendLine([String(n)], neutralizeFormulas: neutralize, to: &expected)
        }
        for list in [[], [""], ["a"], ["a", "b"], ["=x", "y"], ["a,b", "c"], [" x", "y "], ["say \"hi\"", ""], Self.texts] {
            lines.field(joining: list, separator: UInt8(ascii: ";"))
            lines.field("after")
            lines.endLine()
            CSVWriter.appendLine([list.joined(separator: ";"), "after"], neutralizeFormulas: neutralize, to: &expected)
        }
        #expect(lines.bytes == expected)
        #expect(lines.count == Self.texts.count + 6 + 9)
    }
}
