import Foundation
import Testing
@testable import CSV

@Suite("CSV pieces: a file cut at record boundaries, read on several threads")
struct CSVPieceTests {
    /// The records of `path` read piece by piece, in order: line numbers and fields.
    func readInPieces(_ path: String, _ pieces: [CSVPiece], chunkSize: Int = 1 << 20) throws -> [(line: Int, fields: [String])] {
        var out: [(line: Int, fields: [String])] = []
        for piece in pieces {
            let reader = try CSVReader(path: path, piece: piece, chunkSize: chunkSize)
            while let item = try reader.next() {
                if case let .record(r) = item { out.append((r.line, r.lossyFields)) }
            }
        }
        return out
    }

    /// Checks that `pieces` cover the file in order, without gaps or empty pieces.
    func expectCover(_ pieces: [CSVPiece], size: Int) {
        #expect(pieces.first?.bytes.lowerBound == 0)
        #expect(pieces.last?.bytes.upperBound == size)
        for (a, b) in zip(pieces, pieces.dropFirst()) { #expect(a.bytes.upperBound == b.bytes.lowerBound) }
        #expect(pieces.allSatisfy { !$0.bytes.isEmpty })
    }

    @Test("the pieces of a file, read one after another, give its records and line numbers, however many")
    func piecesGiveTheFile() throws {
        var text = "\u{FEFF}id,name,note\n"
        for i in 0..<300 {
            switch i % 5 {
            case 0: text += "\(i),\"张\(i)\",\"two\nlines, \"\"quoted\"\"\"\n"
            case 1: text += "\(i),name \(i),plain\r\n"
            case 2: text += "\n"  // a blank line, counted but not a record
            case 3: text += "\(i),\"\"\"\",\"\n\n\"\n"
            default: text += "\(i),李\(i),x\n"
            }
        }
        let path = try temporaryFile(text)
        let whole = records(try readAll(path))
        let size = text.utf8.count
        for count in [1, 2, 3, 7, 50] {
            let pieces = try CSVPiece.cut(path, count: count, minimumBytes: 1)
            #expect(pieces.count <= count)
            if count > 1 { #expect(pieces.count > 1) }
            expectCover(pieces, size: size)
            for chunk in [1 << 20, 16] {
                let read = try readInPieces(path, pieces, chunkSize: chunk)
                #expect(read.map(\.line) == whole.map(\.line))
                #expect(read.map(\.fields) == whole.map(\.fields))
            }
        }
        #expect(whole.first?.fields == ["id", "name", "note"])
    }

    @Test("a piece never ends inside a quoted field, however long")
    func longQuotedField() throws {
        let long = String(repeating: "a\nb,\"\"c ", count: 2_000)
        let text = "h1,h2\n1,x\n2,\"\(long)\"\n3,y\n4,z\n"
        let path = try temporaryFile(text)
        let pieces = try CSVPiece.cut(path, count: 4, minimumBytes: 1)
        expectCover(pieces, size: text.utf8.count)
        let read = try readInPieces(path, pieces)
        #expect(read.map(\.fields) == records(try readAll(path)).map(\.fields))
        #expect(read.map(\.line) == [1, 2, 3, 2 + 2_000 + 2, 2 + 2_000 + 3])
    }

    @Test("a small file is one piece; an empty one too")
    func smallFiles() throws {
        let path = try temporaryFile("a,b\n1,2\n")
        #expect(try CSVPiece.cut(path, count: 8, minimumBytes: 5) == [CSVPiece(bytes: 0..<8, firstLine: 1)])
        let empty = try temporaryFile("")
        #expect(try CSVPiece.cut(empty, count: 8, minimumBytes: 1) == [CSVPiece(bytes: 0..<0, firstLine: 1)])
        #expect(throws: CSVError.self) { try CSVPiece.cut("/nonexistent/anxin.csv", count: 2, minimumBytes: 1) }
    }

    @Test("a stray quote is the first problem found, with its line, whether before or after the cuts")
    func malformedInAPiece() throws {
        for stray in [5, 70] {
            var text = "a,b\n"
            for i in 0..<100 { text += i == stray ? "\(i),x\"y\n" : "\(i),\"ok\nstill ok\"\n" }
            let path = try temporaryFile(text)
            var found: [Int] = []
            for piece in try CSVPiece.cut(path, count: 3, minimumBytes: 1) {
                let reader = try CSVReader(path: path, piece: piece)
                while let item = try reader.next() {
                    if case let .problem(p) = item { found.append(p.line) }
                }
            }
            #expect(found.first == 2 + 2 * stray, "stray quote on row \(stray): \(found)")
        }
    }
}
