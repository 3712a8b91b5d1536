import Foundation
import Testing
@testable import XLSX

@Suite("Chart: series, titles, insertion")
struct ChartTests {
    @Test("line and column charts with ranges, titles and axis names are drawn from the sheet")
    func charts() throws {
        try withTemporaryDirectory { directory in
            let path = directory + "/charts.xlsx"
            let workbook = try Workbook(path: path)
            try workbook.setProperties(.init(created: fixedCreated))
            let sheet = try workbook.addWorksheet(named: "O'Brien list")
            for row in 1...3 {
                try sheet.write("R\(row)", row: row, column: 0)
                try sheet.write(row * 5, row: row, column: 1)
            }
            let line = try workbook.addChart(.line)
            try line.addSeries(values: CellRange(rows: 1...3, columns: 1...1), on: sheet,
                               categories: CellRange(rows: 1...3, columns: 0...0), name: "Cards")
            try line.setTitle("Cards & codes per round")
            try line.setAxisNames(x: "Round", y: "Cards")
            try line.setAxisNumberFormats(x: "yyyy-mm-dd")
            try sheet.insertChart(line, row: 5, column: 0)
            let column = try workbook.addChart(.column)
            try column.addSeries(values: CellRange(rows: 1...3, columns: 1...1), on: sheet)
            try sheet.insertChart(column, row: 5, column: 8)
            try workbook.close()

            let package = Package(path: path)
            #expect(try package.malformedEntries() == [])
            let first = try package.text("xl/charts/chart1.xml")
            #expect(first.contains("<c:lineChart>"))
            #expect(first.contains("<c:f>'O''Brien list'!$B$2:$B$4</c:f>"))
            #expect(first.contains("<c:f>'O''Brien list'!$A$2:$A$4</c:f>"))
            #expect(first.contains("<a:t>Cards &amp; codes per round</a:t>"))
            #expect(first.contains("<a:t>Round</a:t>"))
            #expect(first.contains("<c:v>Cards</c:v>"))
            #expect(first.contains("<c:numFmt formatCode=\"yyyy-mm-dd\" sourceLinked=\"0\"/>"))
            let second = try package.text("xl/charts/chart2.xml")
            #expect(second.contains("<c:barChart><c:barDir val=\"col\"/>"))
            #expect(try package.text("xl/drawings/drawing1.xml").contains("<xdr:from><xdr:col>0</xdr:col>"))
        }
    }

    @Test("titles and names starting with = stay text instead of becoming references")
    func literalTitles() throws {
        try withTemporaryDirectory { directory in
            let path = directory + "/literal.xlsx"
            let workbook = try Workbook(path: path)
            let sheet = try workbook.addWorksheet(named: "S")
            try sheet.write(1, row: 0, column: 0)
            let chart = try workbook.addChart(.line)
            try chart.addSeries(values: CellRange(row: 0, column: 0), on: sheet, name: "=S!A1")
            try chart.setTitle("=S!A1\u{1}")
            try chart.setAxisNames(x: "=1+1", y: "plain")
            try sheet.insertChart(chart, row: 2, column: 2)
            try workbook.close()
            let xml = try Package(path: path).text("xl/charts/chart1.xml")
            #expect(!xml.contains("<c:strRef>"))
            #expect(xml.contains("<a:t>\u{200B}=S!A1 </a:t>"))
            #expect(xml.contains("<a:t>\u{200B}=1+1</a:t>"))
            #expect(xml.contains("<c:v>\u{200B}=S!A1</c:v>"))
        }
    }

    @Test("an empty, foreign or twice-inserted chart is refused")
    func refusals() throws {
        try withTemporaryDirectory { directory in
            let workbook = try Workbook(path: directory + "/a.xlsx")
            let other = try Workbook(path: directory + "/b.xlsx")
            let sheet = try workbook.addWorksheet(named: "Data")
            let otherSheet = try other.addWorksheet(named: "Data")
            try sheet.write(1, row: 0, column: 0)

            let empty = try workbook.addChart(.line)
            #expect(xlsxError { try sheet.insertChart(empty, row: 2, column: 2) }?.isInvalidArgument == true)
            #expect(xlsxError { try empty.addSeries(values: CellRange(row: 0, column: 0), on: otherSheet) }?
                .isInvalidArgument == true)
            #expect(xlsxError { try empty.addSeries(values: CellRange(row: -1, column: 0), on: sheet) }?
                .isInvalidArgument == true)

            let chart = try workbook.addChart(.column)
            try chart.addSeries(values: CellRange(row: 0, column: 0), on: sheet)
            #expect(xlsxError { try otherSheet.insertChart(chart, row: 2, column: 2) }?.isInvalidArgument == true)
            try sheet.insertChart(chart, row: 2, column: 2)
            #expect(xlsxError { try sheet.insertChart(chart, row: 20, column: 2) }?.isInvalidArgument == true)
            try workbook.close()
        }
    }
}
