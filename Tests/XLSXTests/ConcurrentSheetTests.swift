import CLibXlsxWriter
import CZipLevel
import Foundation
import Testing
@testable import XLSX

@Suite("Worksheets written on two threads at once")
struct ConcurrentSheetTests {
    /// Work handed to another thread: each sheet is written by one thread only.
    final class Lane: @unchecked Sendable {
        private let body: () throws -> Void
        private let done = DispatchSemaphore(value: 0)
        private var failure: (any Error)?

        init(_ body: @escaping () throws -> Void) {
            self.body = body
            Thread { [self] in
                do { try self.body() } catch { failure = error }
                done.signal()
            }.start()
        }

        func wait() throws {
            done.wait()
            if let failure { throw failure }
        }
    }

    /// Sheet A gets its formats before the threads start; sheet B makes formats as it goes and
    /// adds sheet C halfway; sheet D is never written to. Either A is written on another thread
    /// while B is written here, or one after the other. With a temporary directory, the
    /// workbook's temporary files are CZipLevel's streams; without, libxlsxwriter's own.
    static func write(at path: String, rows: Int, concurrently: Bool, temporaryDirectory: String? = nil,
                      notCopied: ((UInt64) -> Void)? = nil) throws -> Int {
        let workbook = try Workbook(path: path, options: .init(constantMemory: true, temporaryDirectory: temporaryDirectory,
                                                               compression: .fast, compressionThreads: 2))
        try workbook.setProperties(.init(title: "Two threads", created: fixedCreated))
        let a = try workbook.addWorksheet(named: "A")
        let date = try workbook.addFormat(.init(numberFormat: "yyyy-mm-dd"))
        let fill = try workbook.addFormat(.init(background: .lightGreen))
        let b = try workbook.addWorksheet(named: "B")
        _ = try workbook.addWorksheet(named: "D")
        let long = String(repeating: "x", count: 40_000)
        let writeA = {
            try a.setAutofilter(CellRange(rows: 0...rows, columns: 0...2))
            for r in 0...rows {
                try a.write("row \(r) <&> \"quoted\"", row: r, column: 0)
                try a.write(CivilDate(year: 2019, month: 8, day: 1 + r % 28), row: r, column: 1, format: date)
                if r == rows / 3 { try a.write(long, row: r, column: 2) }
            }
            try a.addConditionalFormat(.equals("row 1 <&> \"quoted\""), to: CellRange(rows: 1...rows, columns: 0...0), format: fill)
            try a.setColumn(0, width: 24)
        }
        let writeB = {
            for r in 0...rows {
                let places = r % 6
                let format = try workbook.addFormat(.init(numberFormat: places == 0 ? "0" : "0." + String(repeating: "0", count: places)))
                try b.write(Double(r) / 7, row: r, column: 0, format: format)
                try b.write("比 \(r)", row: r, column: 1)
                if r == rows / 2 {
                    let c = try workbook.addWorksheet(named: "C")
                    try c.write(long, row: 0, column: 0)
                    let chart = try workbook.addChart(.column)
                    try chart.addSeries(values: CellRange(rows: 0...9, columns: 0...0), on: b)
                    try c.insertChart(chart, row: 2, column: 2)
                }
            }
        }
        if concurrently {
            let lane = Lane(writeA)
            do { try writeB() } catch {
                try? lane.wait()
                throw error
            }
            try lane.wait()
        } else {
            try writeA()
            try writeB()
        }
        let truncated = workbook.truncatedCellCount
        try workbook.close()
        notCopied?(workbook.rowBytesNotCopied)
        return truncated
    }

    /// The bytes of the workbook `write` makes at `path`, which cuts two cells to Excel's limit.
    static func written(at path: String, rows: Int, concurrently: Bool, temporaryDirectory: String? = nil,
                        notCopied: ((UInt64) -> Void)? = nil) throws -> Data {
        #expect(try write(at: path, rows: rows, concurrently: concurrently, temporaryDirectory: temporaryDirectory,
                          notCopied: notCopied) == 2)
        return try Data(contentsOf: URL(fileURLWithPath: path))
    }

    @Test("the same bytes as the sheets written one after the other, however the threads interleave")
    func sameBytesAsOneThread() throws {
        try withTemporaryDirectory { directory in
            let alone = directory + "/alone.xlsx"
            let expected = try Self.written(at: alone, rows: 30_000, concurrently: false)
            for attempt in 1...3 {
                let together = try Self.written(at: directory + "/together-\(attempt).xlsx", rows: 30_000, concurrently: true)
                #expect(together == expected, "attempt \(attempt)")
            }
            let package = Package(path: alone)
            #expect(try package.damagedEntries() == [])
            #expect(try package.malformedEntries() == [])
            #expect(try package.text("xl/workbook.xml").contains(#"<sheet name="C" sheetId="4""#))
        }
    }

    @Test("temporary files written behind, and sheets' rows not copied at the close, give the same bytes")
    func streamsGiveTheSameBytes() throws {
        try withTemporaryDirectory { directory in
            let expected = try Self.written(at: directory + "/plain.xlsx", rows: 40_000, concurrently: false)
            for concurrently in [false, true] {
                var notCopied: UInt64 = 0
                let streamed = try Self.written(at: directory + "/streams-\(concurrently).xlsx", rows: 40_000,
                                                concurrently: concurrently, temporaryDirectory: directory) { notCopied = $0 }
                #expect(streamed == expected, "concurrently: \(concurrently)")
                // Sheet A's rows alone are some 3 MB, read from their own file at the close.
                #expect(notCopied > 3_000_000)
            }
            // Nothing left behind in the temporary directory but the workbooks.
            #expect(try filesIn(directory) == ["plain.xlsx", "streams-false.xlsx", "streams-true.xlsx"])
        }
    }

    @Test("a temporary file that fails (a full disk) fails the close, and leaves no file; a workbook discarded leaves none either")
    func aFailedTemporaryFileFailsTheClose() throws {
        try withTemporaryDirectory { directory in
            let options = Workbook.Options(constantMemory: true, temporaryDirectory: directory)
            // Rows written behind fail: libxlsxwriter itself would go on and leave them out.
            for failAtClose in [false, true] {
                let path = directory + "/full-\(failAtClose).xlsx"
                let workbook = try Workbook(path: path, options: options)
                let sheet = try workbook.addWorksheet(named: "A")
                if !failAtClose { anxin_tmpfile_fail_writes(workbook.temporaryFiles, ENOSPC) }
                for r in 0..<20_000 { try sheet.write("row \(r) of a sheet that does not fit", row: r, column: 0) }
                if failAtClose { anxin_tmpfile_fail_writes(workbook.temporaryFiles, ENOSPC) }
                let failure = #expect(throws: XLSXError.self) { try workbook.close() }
                if !failAtClose {
                    // libxlsxwriter reads the rows' file, gets nothing, and says nothing: the streams do.
                    #expect("\(failure.map { "\($0)" } ?? "")".contains("a temporary file failed"))
                }
                #expect(!FileManager.default.fileExists(atPath: path))
                #expect(throws: XLSXError.self) { try workbook.close() }  // closed, not a crash
            }
            let discarded = try Workbook(path: directory + "/discarded.xlsx", options: options)
            try discarded.addWorksheet(named: "A").write("x", row: 0, column: 0)
            let token = discarded.temporaryFiles
            discarded.discard()
            #expect(anxin_tmpfile_buffers(token) == 0)
            #expect(throws: XLSXError.self) { try discarded.close() }
            #expect(try filesIn(directory).isEmpty)
        }
    }

    @Test("temporary files get big buffers, given back at the close or when an unclosed workbook is released")
    func temporaryFileBuffers() throws {
        try withTemporaryDirectory { directory in
            let options = Workbook.Options(constantMemory: true, temporaryDirectory: directory)
            let workbook = try Workbook(path: directory + "/closed.xlsx", options: options)
            let token = workbook.temporaryFiles
            #expect(token != 0)
            for name in ["A", "B"] { try workbook.addWorksheet(named: name).write("x", row: 0, column: 0) }
            #expect(anxin_tmpfile_buffers(token) == 2)  // one file per sheet until the close
            try workbook.close()
            #expect(anxin_tmpfile_buffers(token) == 0)
            #expect(try Package(path: directory + "/closed.xlsx").text("xl/worksheets/sheet2.xml").contains("<t>x</t>"))

            var unclosed: Workbook? = try Workbook(path: directory + "/unclosed.xlsx", options: options)
            let second = unclosed!.temporaryFiles
            #expect(second != token)
            _ = try unclosed!.addWorksheet(named: "A")
            #expect(anxin_tmpfile_buffers(second) == 1)
            unclosed = nil
            #expect(anxin_tmpfile_buffers(second) == 0)

            // Without a directory of its own libxlsxwriter uses the system's: nothing to give back.
            #expect(try Workbook(path: directory + "/plain.xlsx", options: .init(constantMemory: true)).temporaryFiles == 0)
        }
    }

    @Test("a format gets its place in the style table when it is added, also one that looks like another")
    func formatsArePlacedWhenAdded() throws {
        try withTemporaryDirectory { directory in
            let workbook = try Workbook(path: directory + "/formats.xlsx")
            // 11 points is the default font: to libxlsxwriter this is the default format.
            let lookalike = try workbook.addFormat(.init(fontSize: 11))
            let bold = try workbook.addFormat(.init(bold: true))
            #expect(lookalike.pointer.pointee.xf_index != LXW_PROPERTY_UNSET)
            #expect(bold.pointer.pointee.xf_index != LXW_PROPERTY_UNSET)
            #expect(bold.pointer.pointee.xf_index != lookalike.pointer.pointee.xf_index)
            try workbook.close()
        }
    }
}
