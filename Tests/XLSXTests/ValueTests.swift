import Testing
@testable import XLSX

@Suite("Values: civil dates, cell ranges, text rules")
struct ValueTests {
    @Test("civil dates map to Excel's serial days, including its phantom 1900-02-29",
          arguments: [
            (1900, 1, 1, 1), (1900, 2, 28, 59), (1900, 3, 1, 61), (1970, 1, 1, 25_569),
            (2000, 2, 29, 36_585), (2024, 5, 17, 45_429), (9999, 12, 31, 2_958_465),
          ])
    func excelSerial(year: Int, month: Int, day: Int, serial: Int) throws {
        #expect(try CivilDate(year: year, month: month, day: day).excelSerial == serial)
    }

    @Test("impossible or out-of-range dates are refused",
          arguments: [(2023, 2, 29), (2024, 13, 1), (2024, 4, 31), (1899, 12, 31), (10_000, 1, 1), (2024, 0, 1)])
    func badDates(year: Int, month: Int, day: Int) {
        #expect(xlsxError { _ = try CivilDate(year: year, month: month, day: day) }?.isInvalidArgument == true)
    }

    @Test("dates print as yyyy-mm-dd and order chronologically")
    func dateValue() throws {
        let early = try CivilDate(year: 2024, month: 1, day: 9)
        let late = try CivilDate(year: 2024, month: 10, day: 1)
        #expect(early.description == "2024-01-09")
        #expect(early < late)
    }

    @Test("ranges print in A1 notation")
    func a1() {
        #expect(CellRange(row: 0, column: 0).description == "A1")
        #expect(CellRange(rows: 1...99, columns: 1...1).description == "B2:B100")
        #expect(CellRange(row: 0, column: 25).description == "Z1")
        #expect(CellRange(row: 0, column: 26).description == "AA1")
        #expect(CellRange(row: 1_048_575, column: 16_383).description == "XFD1048576")
        #expect(CellRange(row: -1, column: 3).description == "R-1C3")
    }

    @Test("ordinary text passes through untouched")
    func plainCellText() {
        for text in ["", "Zhang Wei", "张伟（北京）", "=1+1", "a_b", "x_x12_", "emoji 😀"] {
            let (safe, truncated) = XLSXText.cell(text)
            #expect(safe == text)
            #expect(!truncated)
        }
    }

    @Test("plain text for properties and charts loses control characters but keeps tab and newline")
    func plainText() {
        #expect(XLSXText.plain("a\u{1}b\tc\nd\u{0}e\u{FFFE}") == "a b\tc\nd\u{FFFD}e\u{FFFD}")
        #expect(XLSXText.literal("=A1") == "\u{200B}=A1")
        #expect(XLSXText.literal("A=1") == "A=1")
    }
}
