import Foundation
import Testing
@testable import XLSX

@Suite("CellRows: rows made ready elsewhere, written like single cells")
struct CellRowsTests {
    /// Texts that exercise every rule of cell text.
    static let texts = [
        "plain", "=1+1", "核查结果", "_x0041_ and _x", "nul\u{0}here", "bad \u{FFFE}\u{FFFF} end", " spaced ",
        "line\nbreak", "😀 emoji", String(repeating: "长", count: 40_000),
    ]

    @Test("a row written from CellRows gives the same sheet as the same cells written one by one", arguments: [false, true])
    func sameAsSingleCells(constantMemory: Bool) throws {
        try withTemporaryDirectory { directory in
            var single = (sheet: "", truncated: 0)
            var batched = (sheet: "", truncated: 0)
            let one = try WorksheetTests.written(in: directory, constantMemory: constantMemory) { workbook, sheet in
                let bold = try workbook.addFormat(.init(bold: true))
                for (i, text) in CellRowsTests.texts.enumerated() {
                    try sheet.write(text, row: i, column: 0, format: i % 2 == 0 ? nil : bold)
                    try sheet.write(Double(i) + 0.5, row: i, column: 1)
                    try sheet.writeBlank(row: i, column: 2, format: bold)
                    try sheet.write("", row: i, column: 3, format: bold)
                    try sheet.write(i, row: i, column: 5, format: bold)
                }
                single.truncated = workbook.truncatedCellCount
            }
            single.sheet = try one.text("xl/worksheets/sheet1.xml")
            let many = try WorksheetTests.written(in: directory, constantMemory: constantMemory) { workbook, sheet in
                let bold = try workbook.addFormat(.init(bold: true))
                var rows = CellRows()
                for (i, text) in CellRowsTests.texts.enumerated() {
                    rows.append(text, tag: UInt8(i % 2))
                    rows.append(Double(i) + 0.5, tag: 0)
                    rows.appendBlank(tag: 1)
                    rows.append("", tag: 1)
                    rows.appendEmpty(tag: 1)
                    rows.append(Double(i), tag: 1)
                    rows.appendBlank(tag: 0)  // no format: nothing is written
                    rows.endRow()
                }
                for i in 0..<rows.count {
                    try sheet.write(rows, at: i, row: i) { column, tag in column == 1 || tag == 0 ? nil : bold }
                }
                batched.truncated = workbook.truncatedCellCount
            }
            batched.sheet = try many.text("xl/worksheets/sheet1.xml")
            #expect(batched.sheet == single.sheet)
            #expect(batched.truncated == 1 && single.truncated == 1)
            #expect(try many.malformedEntries().isEmpty)
        }
    }

    @Test("UTF-8 bytes are taken as they are only when valid and plain; otherwise as String(decoding:) reads them")
    func bytes() throws {
        let samples: [[UInt8]] = [
            Array("WZ20190000018".utf8), Array("蔡林鑫".utf8), Array("a_x0041_".utf8), [0x61, 0x00, 0x62],
            [0xC3, 0x28], [0xE2, 0x82], [0xED, 0xA0, 0x80], [0xF4, 0x90, 0x80, 0x80], [0xEF, 0xBF, 0xBE], [0xC0, 0xAF], [0xFF],
            Array("😀".utf8), [],
        ]
        for sample in samples {
            var fromBytes = CellRows()
            sample.withUnsafeBufferPointer { fromBytes.append(utf8: $0, tag: 0) }
            fromBytes.endRow()
            var fromString = CellRows()
            fromString.append(String(decoding: sample, as: UTF8.self), tag: 0)
            fromString.endRow()
            #expect(fromBytes.kind(row: 0, column: 0) == fromString.kind(row: 0, column: 0))
            let a = fromBytes.withText(row: 0, column: 0) { Array($0) }
            let b = fromString.withText(row: 0, column: 0) { Array($0) }
            #expect(a == b, "\(sample)")
        }
    }

    @Test("a number that is not finite is refused when its row is written")
    func notFinite() throws {
        try withTemporaryDirectory { directory in
            _ = try WorksheetTests.written(in: directory) { _, sheet in
                var rows = CellRows()
                rows.append(Double.nan, tag: 0)
                rows.endRow()
                let error = xlsxError { try sheet.write(rows, at: 0, row: 1) { _, _ in nil } }
                #expect(error?.description.contains("not a finite number") == true)
            }
        }
    }
}
