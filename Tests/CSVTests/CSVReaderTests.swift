import Foundation
import Testing
@testable import CSV

/// Writes `bytes` to a fresh temporary file and returns its path.
func temporaryFile(_ bytes: [UInt8], name: String = "input.csv") throws -> String {
    let dir = FileManager.default.temporaryDirectory
        .appendingPathComponent("anxin-csv-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    let url = dir.appendingPathComponent(name)
    try Data(bytes).write(to: url)
    return url.path
}

func temporaryFile(_ text: String) throws -> String { try temporaryFile(Array(text.utf8)) }

/// Reads every item of a file.
func readAll(_ path: String, encoding: TextEncoding = .utf8, chunkSize: Int = 1 << 20) throws -> [CSVItem] {
    let reader = try CSVReader(path: path, encoding: encoding, chunkSize: chunkSize)
    var items: [CSVItem] = []
    while let item = try reader.next() { items.append(item) }
    return items
}

func records(_ items: [CSVItem]) -> [(line: Int, fields: [String])] {
    items.compactMap {
        if case let .record(r) = $0 { return (r.line, r.lossyFields) }
        return nil
    }
}

func problems(_ items: [CSVItem]) -> [CSVProblem] {
    items.compactMap {
        if case let .problem(p) = $0 { return p }
        return nil
    }
}

@Suite("CSV reader edge files")
struct CSVReaderTests {
    @Test func plainLFWithLineNumbers() throws {
        let items = try readAll(try temporaryFile("a,b\n1,2\n3,4\n"))
        let rs = records(items)
        #expect(rs.map(\.fields) == [["a", "b"], ["1", "2"], ["3", "4"]])
        #expect(rs.map(\.line) == [1, 2, 3])
    }

    @Test func crlfLineEnds() throws {
        let rs = records(try readAll(try temporaryFile("a,b\r\n1,2\r\n3,4\r\n")))
        #expect(rs.map(\.fields) == [["a", "b"], ["1", "2"], ["3", "4"]])
        #expect(rs.map(\.line) == [1, 2, 3])
    }

    @Test func utf8ByteOrderMarkIsDropped() throws {
        let rs = records(try readAll(try temporaryFile([0xEF, 0xBB, 0xBF] + Array("name,id\n张三,1\n".utf8))))
        #expect(rs.map(\.fields) == [["name", "id"], ["张三", "1"]])
    }

    @Test func quotedCommasAndNewlinesKeepLineNumbers() throws {
        let text = "a,b\n\"x, y\",\"line1\nline2\"\n5,6\n"
        let rs = records(try readAll(try temporaryFile(text)))
        #expect(rs.map(\.fields) == [["a", "b"], ["x, y", "line1\nline2"], ["5", "6"]])
        #expect(rs.map(\.line) == [1, 2, 4])
    }

    @Test func quotedNewlineInFirstFieldStartsOnItsOwnLine() throws {
        let rs = records(try readAll(try temporaryFile("a,b\n\"p\nq\",2\n3,4\n")))
        #expect(rs.map(\.line) == [1, 2, 4])
        #expect(rs[1].fields == ["p\nq", "2"])
    }

    @Test func escapedQuotes() throws {
        let rs = records(try readAll(try temporaryFile("a\n\"say \"\"hi\"\"\"\n")))
        #expect(rs.map(\.fields) == [["a"], ["say \"hi\""]])
    }

    @Test func missingFinalNewline() throws {
        let rs = records(try readAll(try temporaryFile("a,b\n1,2")))
        #expect(rs.map(\.fields) == [["a", "b"], ["1", "2"]])
        #expect(rs.map(\.line) == [1, 2])
    }

    @Test func blankLinesAreSkippedButCounted() throws {
        let rs = records(try readAll(try temporaryFile("a,b\n\n1,2\n\r\n3,4\n")))
        #expect(rs.map(\.fields) == [["a", "b"], ["1", "2"], ["3", "4"]])
        #expect(rs.map(\.line) == [1, 3, 5])
    }

    @Test func emptyFileHasNoRecords() throws {
        #expect(try readAll(try temporaryFile("")).isEmpty)
    }

    @Test func headerOnlyFile() throws {
        let rs = records(try readAll(try temporaryFile("a,b,c\n")))
        #expect(rs.map(\.fields) == [["a", "b", "c"]])
    }

    @Test func unterminatedQuoteAtEndIsAProblemNotARecord() throws {
        let items = try readAll(try temporaryFile("a,b\n1,2\n3,\"open\nmore\n"))
        #expect(records(items).map(\.fields) == [["a", "b"], ["1", "2"]])
        let ps = problems(items)
        #expect(ps.count == 1)
        #expect(ps[0].kind == .unterminatedQuote)
        #expect(ps[0].line == 3)
        #expect(ps[0].lastLine == 4)
        #expect(ps[0].raw.contains("open"))
    }

    @Test func strayQuoteRejectsOnlyItsLine() throws {
        let items = try readAll(try temporaryFile("a,b\n1,5\" pipe\n\"x\"y,2\n3,4\n"))
        #expect(records(items).map(\.fields) == [["a", "b"], ["3", "4"]])
        #expect(records(items).map(\.line) == [1, 4])
        let ps = problems(items)
        #expect(ps.map(\.line) == [2, 3])
        #expect(ps.map(\.kind) == [.badQuote, .badQuote])
        #expect(ps[0].raw == "1,5\" pipe")
    }

    @Test func fieldCountsAreReportedAsParsed() throws {
        let rs = records(try readAll(try temporaryFile("a,b,c\n1,2\n1,2,3,4\n")))
        #expect(rs.map(\.fields.count) == [3, 2, 4])
    }

    @Test func invalidUTF8FailsOnlyItsField() throws {
        let path = try temporaryFile(Array("a,b\nok,".utf8) + [0xC3, 0x28] + Array("\n".utf8))
        let reader = try CSVReader(path: path)
        _ = try reader.next()
        guard case let .record(r)? = try reader.next() else { Issue.record("no record"); return }
        #expect(r.string(0) == "ok")
        #expect(r.string(1) == nil)
    }

    @Test func gb18030WithChineseHeaders() throws {
        // "姓名,id\n张三,1\n" in GB18030, with its byte order mark.
        let bytes: [UInt8] = [0x84, 0x31, 0x95, 0x33, 0xD0, 0xD5, 0xC3, 0xFB] + Array(",id\n".utf8)
            + [0xD5, 0xC5, 0xC8, 0xFD] + Array(",1\n".utf8)
        let rs = records(try readAll(try temporaryFile(bytes), encoding: .gb18030))
        #expect(rs.map(\.fields) == [["姓名", "id"], ["张三", "1"]])
    }

    @Test func gb18030AcrossTinyChunksAndFourByteSequences() throws {
        var bytes: [UInt8] = Array("n\n".utf8)
        let row: [UInt8] = [0xD5, 0xC5, 0xC8, 0xFD, 0x95, 0x32, 0x82, 0x36] + Array("\n".utf8)  // 张三𠀀
        for _ in 0..<50 { bytes += row }
        let rs = records(try readAll(try temporaryFile(bytes), encoding: .gb18030, chunkSize: 64))
        #expect(rs.count == 51)
        #expect(rs.dropFirst().allSatisfy { $0.fields == ["张三𠀀"] })
        #expect(rs.last?.line == 51)
    }

    @Test func invalidGB18030ByteMarksItsFieldOnly() throws {
        let bytes: [UInt8] = Array("a,b\n".utf8) + [0xD5, 0xC5, 0xFF] + Array(",2\n".utf8)
        let reader = try CSVReader(path: try temporaryFile(bytes), encoding: .gb18030)
        _ = try reader.next()
        guard case let .record(r)? = try reader.next() else { Issue.record("no record"); return }
        #expect(r.count == 2)
        #expect(r.string(0) == nil)
        #expect(r.string(1) == "2")
    }

    @Test func smallChunksGiveTheSameResult() throws {
        var text = "id,name,note\n"
        for i in 0..<200 { text += "\(i),name \(i),\"a, \"\"quoted\"\"\nnote\"\r\n" }
        let path = try temporaryFile(text)
        let big = records(try readAll(path))
        let small = records(try readAll(path, chunkSize: 64))
        #expect(big.map(\.fields) == small.map(\.fields))
        #expect(big.map(\.line) == small.map(\.line))
        #expect(big.last?.line == 2 + 199 * 2)
    }

    @Test func missingFileIsAnError() {
        #expect(throws: CSVError.self) { try CSVReader(path: "/nonexistent/anxin.csv") }
    }

    /// Lines without quotes are split by the reader itself: over random lines of the bytes
    /// that matter (commas, spaces, tabs, CR, LF, quotes, text), in chunks large and small,
    /// it must hand out exactly what libcsv does.
    @Test func splittingLinesAgreesWithLibcsv() throws {
        var generator = SystemRandomNumberGenerator()
        let alphabet: [[UInt8]] = [[0x2C], [0x2C], [0x20], [0x09], [0x0D], [0x0A], [0x0A], [0x22], [0x61], [0x62],
                                   [0x31], Array("张".utf8), [0x2D], [0x3B], [0x0D, 0x0A]]
        for round in 0..<40 {
            var bytes: [UInt8] = []
            for _ in 0..<Int.random(in: 0..<400, using: &generator) {
                // Mostly plain text, so that most lines take the reader's own split.
                let r = Int.random(in: 0..<100, using: &generator)
                bytes += r < 60 ? [0x61 + UInt8(r % 26)] : alphabet[r % alphabet.count]
            }
            if round % 2 == 0 { bytes.append(0x0A) }
            let path = try temporaryFile(bytes)
            for chunk in [1 << 20, 7] {
                func read(_ splits: Bool) throws -> [String] {
                    let reader = try CSVReader(path: path, encoding: .utf8, chunkSize: chunk, splitsLines: splits)
                    var out: [String] = []
                    while let item = try reader.next() {
                        switch item {
                        case .record(let r): out.append("\(r.line)-\(r.lastLine) \(r.lossyFields)")
                        case .problem(let p): out.append("\(p.line)-\(p.lastLine) \(p.kind) \(p.raw)")
                        }
                    }
                    return out
                }
                let own = try read(true)
                let libcsv = try read(false)
                #expect(own == libcsv, "\(bytes)")
                // And the borrowed rows are the same records.
                let reader = try CSVReader(path: path, encoding: .utf8, chunkSize: chunk, splitsLines: true)
                var rows: [String] = []
                while let item = try reader.nextRow() {
                    switch item {
                    case .record(let r): rows.append("\(r.line)-\(r.lastLine) \(r.record.lossyFields)")
                    case .problem(let p): rows.append("\(p.line)-\(p.lastLine) \(p.kind) \(p.raw)")
                    }
                }
                #expect(rows == own)
            }
        }
    }
}

@Suite("CSV writer")
struct CSVWriterTests {
    @Test("a row given as bytes is written exactly as the same row given as strings")
    func bytesAndStringsAgree() throws {
        let rows = [
            ["WZ20190000001", "王秀兰", "=HYPERLINK(\"http://x\",\"y\")", "a,b", " lead", "trail\t", "", "'=kept", "+1", "-2", "@x"],
            ["line\nbreak", "quote\"d", "\r", "plain", "'", "''", "中文，逗号", "x", "y", "z", "w"],
        ]
        let asStrings = try temporaryFile([], name: "strings.csv")
        let asBytes = try temporaryFile([], name: "bytes.csv")
        let a = try CSVWriter(path: asStrings)
        let b = try CSVWriter(path: asBytes)
        for row in rows {
            try a.write(row)
            let buffers = row.map { text -> UnsafeMutableBufferPointer<UInt8> in
                let buffer = UnsafeMutableBufferPointer<UInt8>.allocate(capacity: text.utf8.count)
                _ = buffer.initialize(from: text.utf8)
                return buffer
            }
            defer { buffers.forEach { $0.deallocate() } }
            try b.writeRow(count: buffers.count) { UnsafeBufferPointer(buffers[$0]) }
        }
        try a.commit()
        try b.commit()
        let written = try String(contentsOfFile: asBytes, encoding: .utf8)
        #expect(written == (try String(contentsOfFile: asStrings, encoding: .utf8)))
        #expect(written.contains("'=HYPERLINK"))
    }

    @Test("a file bigger than the writeback step is written whole, in order, through the staged rename")
    func aBigFileIsWrittenWhole() throws {
        let path = try temporaryFile([], name: "big.csv")
        defer { try? FileManager.default.removeItem(atPath: URL(fileURLWithPath: path).deletingLastPathComponent().path) }
        let w = try CSVWriter(path: path)
        var expected: [UInt8] = []
        let rows = 3 * CSVWriter.writebackBytes / 40
        for i in 0..<rows {
            let row = ["\(i)", "330302198001011234", "cleaning;elderly_care"]
            try w.write(row)
            expected += Array(row.joined(separator: ",").utf8) + [0x0A]
        }
        let staged = try w.stage()
        try staged.commit()
        let written = try [UInt8](Data(contentsOf: URL(fileURLWithPath: path)))
        #expect(written.count > 2 * CSVWriter.writebackBytes)
        #expect(written == expected)
    }
}
