import Foundation
import Testing
@testable import XLSX

@Suite("Worksheet: names, cells, layout, rules")
struct WorksheetTests {
    /// Writes a one-sheet workbook filled by `fill` and returns the package to read back.
    static func written(in directory: String, constantMemory: Bool = false, name: String = "Data",
                        _ fill: (Workbook, Worksheet) throws -> Void) throws -> Package {
        let path = directory + "/\(UUID().uuidString).xlsx"
        let workbook = try Workbook(path: path, options: .init(constantMemory: constantMemory))
        try workbook.setProperties(.init(created: fixedCreated))
        let sheet = try workbook.addWorksheet(named: name)
        try fill(workbook, sheet)
        try workbook.close()
        return Package(path: path)
    }

    // MARK: - Names

    @Test("sheet names are listed in xl/workbook.xml, escaped")
    func sheetNames() throws {
        try withTemporaryDirectory { directory in
            let path = directory + "/names.xlsx"
            let workbook = try Workbook(path: path)
            let names = ["Seekers", "Cards & codes", "O'Brien list", "核查结果", String(repeating: "名", count: 31)]
            for name in names { _ = try workbook.addWorksheet(named: name) }
            #expect(workbook.worksheetNames == names)
            try workbook.close()
            let xml = try Package(path: path).text("xl/workbook.xml")
            #expect(xml.contains("<sheet name=\"Seekers\" sheetId=\"1\" r:id=\"rId1\"/>"))
            #expect(xml.contains("<sheet name=\"Cards &amp; codes\" sheetId=\"2\""))
            #expect(xml.contains("<sheet name=\"O'Brien list\" sheetId=\"3\""))
            #expect(xml.contains("<sheet name=\"核查结果\" sheetId=\"4\""))
            #expect(xml.contains("<sheet name=\"\(names[4])\" sheetId=\"5\""))
        }
    }

    static let badNames = [
        "", String(repeating: "a", count: 32), String(repeating: "😀", count: 16),
        "a[b", "a]b", "a:b", "a*b", "a?b", "a/b", "a\\b", "'quoted", "quoted'",
        "History", "HISTORY", "tab\there", "nul\u{0}here", "Seekers", "seekers", "SEEKERS",
    ]

    @Test("invalid sheet names are refused with an error, not a crash", arguments: badNames)
    func invalidSheetName(name: String) throws {
        try withTemporaryDirectory { directory in
            let workbook = try Workbook(path: directory + "/bad.xlsx")
            _ = try workbook.addWorksheet(named: "Seekers")
            let error = xlsxError { _ = try workbook.addWorksheet(named: name) }
            #expect(error?.isInvalidSheetName == true)
            #expect(workbook.worksheetNames == ["Seekers"])
            // The workbook is still usable after a refusal.
            _ = try workbook.addWorksheet(named: "Fine")
            try workbook.close()
        }
    }

    // MARK: - Cells

    @Test("text that looks like a formula is stored as a string, never as <f>", arguments: [false, true])
    func formulaLookingText(constantMemory: Bool) throws {
        try withTemporaryDirectory { directory in
            let hyperlink = "=HYPERLINK(\"http://x\",\"y\")"
            let package = try Self.written(in: directory, constantMemory: constantMemory) { _, sheet in
                try sheet.write(hyperlink, row: 0, column: 0)
                try sheet.write("=1+1", row: 0, column: 1)
                try sheet.write("@SUM(A1)", row: 0, column: 2)
            }
            let sheetXML = try package.text("xl/worksheets/sheet1.xml")
            #expect(!sheetXML.contains("<f>"))
            // Quotes need no escaping in element text; what matters is <t>, not <f>.
            let escaped = hyperlink
            if constantMemory {
                #expect(sheetXML.contains("<c r=\"A1\" t=\"inlineStr\"><is><t>\(escaped)</t></is></c>"))
            } else {
                #expect(sheetXML.contains("<c r=\"A1\" t=\"s\"><v>0</v></c>"))
                #expect(sheetXML.contains("<c r=\"B1\" t=\"s\"><v>1</v></c>"))
                let strings = try package.text("xl/sharedStrings.xml")
                #expect(strings.contains("<si><t>\(escaped)</t></si>"))
                #expect(strings.contains("<si><t>=1+1</t></si>"))
            }
        }
    }

    @Test("numbers are stored as numbers", arguments: [false, true])
    func numbers(constantMemory: Bool) throws {
        try withTemporaryDirectory { directory in
            let package = try Self.written(in: directory, constantMemory: constantMemory) { _, sheet in
                try sheet.write(42.5, row: 0, column: 1)
                try sheet.write(7, row: 1, column: 1)
                try sheet.write(-0.125, row: 2, column: 1)
                try sheet.write(true, row: 3, column: 1)
                try sheet.write(false, row: 4, column: 1)
            }
            let xml = try package.text("xl/worksheets/sheet1.xml")
            #expect(xml.contains("<c r=\"B1\"><v>42.5</v></c>"))
            #expect(xml.contains("<c r=\"B2\"><v>7</v></c>"))
            #expect(xml.contains("<c r=\"B3\"><v>-0.125</v></c>"))
            #expect(xml.contains("<c r=\"B4\" t=\"b\"><v>1</v></c>"))
            #expect(xml.contains("<c r=\"B5\" t=\"b\"><v>0</v></c>"))
            #expect(!xml.contains("t=\"s\""))
        }
    }

    @Test("NaN, infinity and cells outside the grid are errors, not crashes")
    func badCells() throws {
        try withTemporaryDirectory { directory in
            let workbook = try Workbook(path: directory + "/bad.xlsx")
            let sheet = try workbook.addWorksheet(named: "Data")
            #expect(xlsxError { try sheet.write(Double.nan, row: 0, column: 0) }?.isInvalidArgument == true)
            #expect(xlsxError { try sheet.write(-Double.infinity, row: 0, column: 0) }?.isInvalidArgument == true)
            for (row, column) in [(-1, 0), (0, -1), (Worksheet.rowLimit, 0), (0, Worksheet.columnLimit),
                                  (Int.max, Int.max), (Int.min, Int.min)] {
                #expect(xlsxError { try sheet.write("x", row: row, column: column) }?.isInvalidArgument == true)
                #expect(xlsxError { try sheet.setRow(row, height: 20) }?.isInvalidArgument == true || column != 0)
                #expect(xlsxError { try sheet.freezePanes(row: row, column: column) }?.isInvalidArgument == true)
            }
            #expect(xlsxError { try sheet.setColumn(0, width: .nan) }?.isInvalidArgument == true)
            #expect(xlsxError { try sheet.setColumns(3...Worksheet.columnLimit, width: 10) }?.isInvalidArgument == true)
            #expect(xlsxError { try sheet.setAutofilter(CellRange(firstRow: 5, firstColumn: 0, lastRow: 1, lastColumn: 0)) }?
                .isInvalidArgument == true)
            // The last cell of the grid is fine.
            try sheet.write("corner", row: Worksheet.rowLimit - 1, column: Worksheet.columnLimit - 1)
            try workbook.close()
        }
    }

    @Test("the error names the sheet and cell and carries libxlsxwriter's text")
    func errorMessages() throws {
        try withTemporaryDirectory { directory in
            let workbook = try Workbook(path: directory + "/msg.xlsx")
            let sheet = try workbook.addWorksheet(named: "People")
            let error = xlsxError { try sheet.write(Double.nan, row: 3, column: 2) }
            #expect(error?.description.contains("'People'!C4 (row 3, column 2)") == true)
            #expect(XLSXError.allocationFailed("probing").description
                .contains("Memory error, failed to malloc() required memory."))
        }
    }

    @Test("a failed close reports libxlsxwriter's own text, leaves nothing, and closes the workbook")
    func failedClose() throws {
        try withTemporaryDirectory { directory in
            let folder = directory + "/vanishing"
            try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: false)
            let workbook = try Workbook(path: folder + "/report.xlsx")
            let sheet = try workbook.addWorksheet(named: "Data")
            try sheet.write("x", row: 0, column: 0)
            try FileManager.default.removeItem(atPath: folder)
            let error = xlsxError { try workbook.close() }
            guard case let .library(_, message, operation)? = error else {
                Issue.record("expected a library error, got \(String(describing: error))")
                return
            }
            #expect(message == "Error creating output xlsx file. Usually a permissions error.")
            #expect(operation.hasPrefix("writing ") && operation.hasSuffix("/report.xlsx"))
            #expect(workbook.isClosed)
            #expect(xlsxError { try workbook.close() }?.isWorkbookClosed == true)
            #expect(try filesIn(directory).isEmpty)
        }
    }

    @Test("dates are Excel serial numbers with a date format")
    func dates() throws {
        try withTemporaryDirectory { directory in
            let package = try Self.written(in: directory) { workbook, sheet in
                try sheet.write(CivilDate(year: 2024, month: 5, day: 17), row: 0, column: 0)
                let custom = try workbook.addFormat(.init(numberFormat: "dd/mm/yyyy"))
                try sheet.write(CivilDate(year: 1900, month: 1, day: 1), row: 1, column: 0, format: custom)
            }
            let xml = try package.text("xl/worksheets/sheet1.xml")
            #expect(xml.contains("<c r=\"A1\" s=\"1\"><v>45429</v></c>"))
            #expect(xml.contains("<c r=\"A2\" s=\"2\"><v>1</v></c>"))
            let styles = try package.text("xl/styles.xml")
            #expect(styles.contains("formatCode=\"yyyy\\-mm\\-dd\"") || styles.contains("formatCode=\"yyyy-mm-dd\""))
            #expect(styles.contains("formatCode=\"dd/mm/yyyy\""))
        }
    }

    @Test("explicit formulas are written as <f>; empty or corrupt ones are refused")
    func formulas() throws {
        try withTemporaryDirectory { directory in
            let package = try Self.written(in: directory) { _, sheet in
                try sheet.write(1, row: 0, column: 1)
                try sheet.write(2, row: 1, column: 1)
                try sheet.writeFormula("=SUM(B1:B2)", row: 2, column: 1)
                try sheet.writeFormula("B1*2", row: 3, column: 1)
                #expect(xlsxError { try sheet.writeFormula("=", row: 4, column: 1) }?.isInvalidArgument == true)
                #expect(xlsxError { try sheet.writeFormula("=1+\u{1}", row: 4, column: 1) }?.isInvalidArgument == true)
            }
            let xml = try package.text("xl/worksheets/sheet1.xml")
            #expect(xml.contains("<c r=\"B3\"><f>SUM(B1:B2)</f><v>0</v></c>"))
            #expect(xml.contains("<c r=\"B4\"><f>B1*2</f><v>0</v></c>"))
            #expect(!xml.contains("r=\"B5\""))
        }
    }

    @Test("text over 32,767 characters is cut with a visible marker and counted", arguments: [false, true])
    func longText(constantMemory: Bool) throws {
        try withTemporaryDirectory { directory in
            var truncated = 0
            let package = try Self.written(in: directory, constantMemory: constantMemory) { workbook, sheet in
                try sheet.write(String(repeating: "a", count: 40_000), row: 0, column: 0)
                try sheet.write(String(repeating: "b", count: 32_767), row: 1, column: 0)
                try sheet.write(String(repeating: "😀", count: 20_000), row: 2, column: 0)
                truncated = workbook.truncatedCellCount
            }
            #expect(truncated == 2)
            let xml = try package.text(constantMemory ? "xl/worksheets/sheet1.xml" : "xl/sharedStrings.xml")
            let texts = xml.components(separatedBy: "<t>").dropFirst().map { String($0.prefix { $0 != "<" }) }
            #expect(texts.count == 3)
            #expect(texts[0].hasSuffix("…[truncated from 40000 characters]"))
            #expect(texts[0].utf16.count <= 32_767 && texts[0].utf16.count > 32_700)
            #expect(texts[1] == String(repeating: "b", count: 32_767))
            #expect(texts[2].hasSuffix("…[truncated from 20000 characters]"))
            #expect(texts[2].utf16.count <= 32_767)
            #expect(texts[2].unicodeScalars.filter { $0 == "😀" }.count > 16_000)
        }
    }

    @Test("NUL, control characters, U+FFFF and Excel-escape look-alikes never crash or corrupt", arguments: [false, true])
    func awkwardText(constantMemory: Bool) throws {
        try withTemporaryDirectory { directory in
            let package = try Self.written(in: directory, constantMemory: constantMemory) { _, sheet in
                try sheet.write("a\u{0}b\u{1}c\u{FFFF}d\re", row: 0, column: 0)
                try sheet.write("code _x0041_ stays", row: 1, column: 0)
                try sheet.write("", row: 2, column: 0)
                try sheet.write("line one\nline two\ttab", row: 3, column: 0)
            }
            #expect(try package.malformedEntries() == [])
            let xml = try package.text(constantMemory ? "xl/worksheets/sheet1.xml" : "xl/sharedStrings.xml")
            #expect(xml.contains("a\u{FFFD}b_x0001_c\u{FFFD}d_x000D_e"))
            #expect(xml.contains("code _x005F_x0041_ stays"))
            #expect(xml.contains("line one\nline two\ttab"))
            #expect(!(try package.text("xl/worksheets/sheet1.xml")).contains("r=\"A3\""))
        }
    }

    // MARK: - Layout

    @Test("column widths, rows, frozen panes, autofilter, merges and print setup reach the sheet")
    func layout() throws {
        try withTemporaryDirectory { directory in
            let package = try Self.written(in: directory, name: "Seekers") { workbook, sheet in
                let header = try workbook.addFormat(.init(bold: true))
                try sheet.setColumns(0...1, width: 20)
                try sheet.setRow(0, height: 30, format: header)
                try sheet.write("Name", row: 0, column: 0)
                try sheet.freezePanes(row: 1, column: 0)
                try sheet.setAutofilter(CellRange(rows: 0...9, columns: 0...2))
                try sheet.merge(CellRange(rows: 11...11, columns: 0...2), text: "Total")
                try sheet.setPrint(.init(landscape: true, fitToWidth: true, repeatRows: 0...0, paper: .a4))
                #expect(xlsxError { try sheet.merge(CellRange(row: 12, column: 0), text: "x") }?.isInvalidArgument == true)
            }
            let xml = try package.text("xl/worksheets/sheet1.xml")
            #expect(xml.contains("<col min=\"1\" max=\"2\" width=\"20.7109375\" customWidth=\"1\"/>"))
            #expect(xml.contains("<row r=\"1\" spans=\"1:3\" s=\"1\" customFormat=\"1\" ht=\"30\" customHeight=\"1\">")
                || xml.contains("<row r=\"1\" spans=\"1:1\" s=\"1\" customFormat=\"1\" ht=\"30\" customHeight=\"1\">"))
            #expect(xml.contains("<pane ySplit=\"1\" topLeftCell=\"A2\" activePane=\"bottomLeft\" state=\"frozen\"/>"))
            #expect(xml.contains("<autoFilter ref=\"A1:C10\"/>"))
            #expect(xml.contains("<mergeCell ref=\"A12:C12\"/>"))
            #expect(xml.contains("<pageSetUpPr fitToPage=\"1\"/>"))
            #expect(xml.contains("<pageSetup paperSize=\"9\" fitToHeight=\"0\" orientation=\"landscape\"/>"))
            let workbookXML = try package.text("xl/workbook.xml")
            #expect(workbookXML.contains("<definedName name=\"_xlnm.Print_Titles\" localSheetId=\"0\">Seekers!$1:$1</definedName>"))
            #expect(workbookXML.contains("<definedName name=\"_xlnm._FilterDatabase\" localSheetId=\"0\" hidden=\"1\">Seekers!$A$1:$C$10</definedName>"))
        }
    }

    @Test("constant_memory mode refuses an earlier row instead of losing it")
    func constantMemoryOrder() throws {
        try withTemporaryDirectory { directory in
            let package = try Self.written(in: directory, constantMemory: true) { _, sheet in
                try sheet.write("five", row: 5, column: 0)
                try sheet.write("five again", row: 5, column: 1)
                #expect(xlsxError { try sheet.setAutofilter(CellRange(rows: 0...3, columns: 0...1)) }?
                    .isInvalidArgument == true)
                try sheet.setAutofilter(CellRange(rows: 0...10, columns: 0...1))
                #expect(xlsxError { try sheet.write("two", row: 2, column: 0) }?.isInvalidArgument == true)
                #expect(xlsxError { try sheet.setRow(1, height: 20) }?.isInvalidArgument == true)
                try sheet.write("six", row: 6, column: 0)
            }
            let xml = try package.text("xl/worksheets/sheet1.xml")
            #expect(xml.contains("<is><t>five again</t></is>"))
            #expect(xml.contains("<is><t>six</t></is>"))
            #expect(!xml.contains("<t>two</t>"))
            #expect(xml.contains("<autoFilter ref=\"A1:B11\"/>"))
        }
    }

    // MARK: - Formats

    @Test("formats carry font, fill, border, number format, wrap and alignment; equal styles share one")
    func formats() throws {
        try withTemporaryDirectory { directory in
            let package = try Self.written(in: directory) { workbook, sheet in
                let style = Format.Style(bold: true, fontColor: .black, background: Color(rgb: 0xFFC7CE),
                                         border: .thin, borderColor: Color(rgb: 0x0000FF), numberFormat: "0.00",
                                         textWrap: true, horizontalAlignment: .center, verticalAlignment: .top)
                let first = try workbook.addFormat(style)
                let second = try workbook.addFormat(style)
                #expect(first.pointer == second.pointer)
                try sheet.write(1.5, row: 0, column: 0, format: first)
                let long = String(repeating: "0", count: 128)
                #expect(xlsxError { _ = try workbook.addFormat(.init(numberFormat: long)) }?.isInvalidArgument == true)
                #expect(xlsxError { _ = try workbook.addFormat(.init(fontSize: 0)) }?.isInvalidArgument == true)
            }
            let styles = try package.text("xl/styles.xml")
            #expect(styles.contains("<numFmt numFmtId=\"164\" formatCode=\"0.00\"/>"))
            #expect(styles.contains("<b/>"))
            #expect(styles.contains("<color rgb=\"FF000000\"/>"))
            #expect(styles.contains("<fgColor rgb=\"FFFFC7CE\"/>"))
            #expect(styles.contains("<left style=\"thin\"><color rgb=\"FF0000FF\"/></left>"))
            #expect(styles.contains("<alignment horizontal=\"center\" vertical=\"top\" wrapText=\"1\"/>"))
        }
    }

    @Test("a format from another workbook is refused")
    func foreignFormat() throws {
        try withTemporaryDirectory { directory in
            let one = try Workbook(path: directory + "/one.xlsx")
            let other = try Workbook(path: directory + "/other.xlsx")
            let sheet = try one.addWorksheet(named: "Data")
            let foreign = try other.addFormat(.init(bold: true))
            #expect(xlsxError { try sheet.write("x", row: 0, column: 0, format: foreign) }?.isInvalidArgument == true)
            #expect(xlsxError { try sheet.addConditionalFormat(.equals("x"), to: CellRange(row: 0, column: 0), format: foreign) }?
                .isInvalidArgument == true)
        }
    }

    // MARK: - Rules

    @Test("a drop-down list appears in the sheet XML")
    func dropDown() throws {
        try withTemporaryDirectory { directory in
            let package = try Self.written(in: directory) { _, sheet in
                try sheet.addDropDown(["Red", "Amber", "Green"], to: CellRange(rows: 1...99, columns: 1...1))
            }
            let xml = try package.text("xl/worksheets/sheet1.xml")
            #expect(xml.contains("<dataValidations count=\"1\"><dataValidation type=\"list\""))
            #expect(xml.contains("sqref=\"B2:B100\"><formula1>\"Red,Amber,Green\"</formula1></dataValidation>"))
        }
    }

    static let badLists: [[String]] = [
        [], ["红", "Green"], ["Café"], ["a,b"], ["say \"hi\""], [""], ["tab\there"],
        Array(repeating: String(repeating: "x", count: 50), count: 6),
    ]

    @Test("drop-down values that are not plain ASCII, or would break the list, are refused", arguments: badLists)
    func badDropDown(values: [String]) throws {
        try withTemporaryDirectory { directory in
            let workbook = try Workbook(path: directory + "/dv.xlsx")
            let sheet = try workbook.addWorksheet(named: "Data")
            let error = xlsxError { try sheet.addDropDown(values, to: CellRange(row: 0, column: 0)) }
            #expect(error?.isInvalidArgument == true)
        }
    }

    @Test("conditional formats: equal text and text criteria fill cells")
    func conditionalFormats() throws {
        try withTemporaryDirectory { directory in
            let package = try Self.written(in: directory) { workbook, sheet in
                let red = try workbook.addFormat(.init(fontColor: Color(rgb: 0x9C0006), background: .lightRed))
                let green = try workbook.addFormat(.init(background: .lightGreen))
                let column = CellRange(rows: 1...50, columns: 2...2)
                try sheet.addConditionalFormat(.equals("Red"), to: column, format: red)
                try sheet.addConditionalFormat(.equals("Say \"hi\""), to: column, format: red)
                try sheet.addConditionalFormat(.contains("green"), to: column, format: green)
                try sheet.addConditionalFormat(.beginsWith("Am"), to: column, format: green)
                #expect(xlsxError { try sheet.addConditionalFormat(.contains("a\"b"), to: column, format: red) }?
                    .isInvalidArgument == true)
                #expect(xlsxError { try sheet.addConditionalFormat(.contains(""), to: column, format: red) }?
                    .isInvalidArgument == true)
            }
            let xml = try package.text("xl/worksheets/sheet1.xml")
            #expect(xml.contains("<conditionalFormatting sqref=\"C2:C51\">"))
            #expect(xml.contains("<cfRule type=\"cellIs\" dxfId=\"0\" priority=\"1\" operator=\"equal\"><formula>\"Red\"</formula></cfRule>"))
            #expect(xml.contains("<formula>\"Say \"\"hi\"\"\"</formula>"))
            #expect(xml.contains("<cfRule type=\"containsText\" dxfId=\"1\" priority=\"3\" operator=\"containsText\" text=\"green\"><formula>NOT(ISERROR(SEARCH(\"green\",C2)))</formula></cfRule>"))
            #expect(xml.contains("operator=\"beginsWith\" text=\"Am\""))
            let styles = try package.text("xl/styles.xml")
            #expect(styles.contains("<dxfs count=\"2\">"))
            #expect(styles.contains("<bgColor rgb=\"FFFFC7CE\"/>"))
            #expect(styles.contains("<bgColor rgb=\"FFC6EFCE\"/>"))
        }
    }
}

extension WorksheetTests {
    @Test("a drop-down can list non-ASCII values kept in cells, on this or another sheet")
    func dropDownFromCells() throws {
        try withTemporaryDirectory { directory in
            let path = directory + "/lists.xlsx"
            let workbook = try Workbook(path: path)
            let sheet = try workbook.addWorksheet(named: "Cards")
            let lists = try workbook.addWorksheet(named: "O'Brien lists")
            for (row, value) in ["红码", "黄码", "绿码"].enumerated() { try lists.write(value, row: row, column: 0) }
            try sheet.addDropDown(valuesIn: CellRange(rows: 0...2, columns: 0...0), of: lists,
                                  to: CellRange(rows: 1...50, columns: 2...2))
            let other = try Workbook(path: directory + "/other.xlsx")
            let foreign = try other.addWorksheet(named: "Lists")
            #expect(xlsxError {
                try sheet.addDropDown(valuesIn: CellRange(row: 0, column: 0), of: foreign, to: CellRange(row: 0, column: 0))
            }?.isInvalidArgument == true)
            try workbook.close()
            let package = Package(path: path)
            #expect(try package.malformedEntries() == [])
            let xml = try package.text("xl/worksheets/sheet1.xml")
            #expect(xml.contains("sqref=\"C2:C51\"><formula1>'O''Brien lists'!$A$1:$A$3</formula1>"))
        }
    }

    @Test("conditional formats match Chinese text too")
    func conditionalChinese() throws {
        try withTemporaryDirectory { directory in
            let package = try Self.written(in: directory) { workbook, sheet in
                let red = try workbook.addFormat(.init(background: .lightRed))
                try sheet.addConditionalFormat(.equals("红码"), to: CellRange(rows: 0...9, columns: 0...0), format: red)
                try sheet.addConditionalFormat(.contains("红"), to: CellRange(rows: 0...9, columns: 0...0), format: red)
            }
            #expect(try package.malformedEntries() == [])
            let xml = try package.text("xl/worksheets/sheet1.xml")
            #expect(xml.contains("<formula>\"红码\"</formula>"))
            #expect(xml.contains("text=\"红\"><formula>NOT(ISERROR(SEARCH(\"红\",A1)))</formula>"))
        }
    }

    @Test("a missing temporary directory is reported at creation")
    func missingTemporaryDirectory() throws {
        try withTemporaryDirectory { directory in
            let error = xlsxError {
                _ = try Workbook(path: directory + "/t.xlsx",
                                 options: .init(constantMemory: true, temporaryDirectory: directory + "/gone"))
            }
            #expect(error?.isCannotWrite == true)
            let left = try filesIn(directory)
            #expect(left.isEmpty)
        }
    }
}
