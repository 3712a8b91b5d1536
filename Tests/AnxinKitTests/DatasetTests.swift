import AnxinCore
import CSV
import Foundation
import Testing
@testable import AnxinKit

@Suite("Datasets read and written in pieces")
struct DatasetTests {
    /// A dataset of `count` evaluations, some with text that needs quotes, written as a stage writes it.
    static func evaluations(_ count: Int, in dir: String) throws -> (path: String, rows: [Evaluation]) {
        let rows = (0..<count).map { i in
            Evaluation(evaluationID: i % 7 == 0 ? "E,\"\(i)\"\nx" : "E\(i)", institutionID: "WZJZ\(i % 13)",
                       workerIDNumber: IDNumber(trusted: "11010519491231002X"), rating: 1 + i % 5, complaint: i % 11 == 0,
                       evaluatedOn: CivilDate(year: 2019, month: 1 + i % 12, day: 1 + i % 28)!)
        }
        try Dataset.makeDirectory(dir)
        let path = dir + "/evaluations.csv"
        try Dataset.commit([try Dataset.write(Evaluation.datasetColumns, rows.map(\.fields), to: path)])
        return (path, rows)
    }

    @Test("a dataset read in pieces gives the rows of one pass, in order")
    func piecesGiveTheRows() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("anxin-dataset-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let (path, rows) = try Self.evaluations(3_000, in: dir)
        #expect(try Dataset.read(Evaluation.self, at: path, minimumPieceBytes: Int.max) == rows)
        #expect(try Dataset.read(Evaluation.self, at: path, minimumPieceBytes: 1) == rows)
        // More than one piece, each with rows of its own.
        let counts = try Dataset.mapPieces(at: path, columns: Evaluation.datasetColumns, minimumPieceBytes: 1) {
            (piece) throws(PipelineError) -> Int in
            var n = 0
            try piece.forEach { _ in n += 1 }
            return n
        }
        #expect(counts.count == Parallel.cores)
        #expect(counts.reduce(0, +) == rows.count)
        if counts.count > 1 { #expect(counts.allSatisfy { $0 > 0 }) }
    }

    @Test("a last piece with far more rows than its share of the bytes suggests is read whole, in order")
    func lastPieceOfShortLines() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("anxin-dataset-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try Dataset.makeDirectory(dir)
        // Half the bytes in lines of some 660 bytes, then half in lines of some 60: however
        // many pieces the cores make (2 to 50), the last lies among the short lines, and its
        // room, reckoned from the pieces before it, is thousands of rows short of its rows, so
        // they run past its stretch of the array.
        let rows = (0..<80_000).map { i in
            Evaluation(evaluationID: i < 7_000 ? "E\(i)" + String(repeating: "x", count: 600) : "E\(i)",
                       institutionID: "WZJZ\(i % 13)", workerIDNumber: IDNumber(trusted: "11010519491231002X"),
                       rating: 1 + i % 5, complaint: i % 11 == 0, evaluatedOn: CivilDate(year: 2019, month: 1 + i % 12, day: 1 + i % 28)!)
        }
        let path = dir + "/evaluations.csv"
        try Dataset.commit([try Dataset.write(Evaluation.datasetColumns, rows.map(\.fields), to: path)])
        #expect(try Dataset.read(Evaluation.self, at: path, minimumPieceBytes: 1) == rows)
        #expect(try Dataset.read(Evaluation.self, at: path, minimumPieceBytes: Int.max) == rows)
    }

    @Test("an altered row in a later piece is reported with its line in the file, and a bad header too")
    func errorsInPieces() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("anxin-dataset-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let (path, _) = try Self.evaluations(2_000, in: dir)
        var lines = try String(contentsOfFile: path, encoding: .utf8).components(separatedBy: "\n")
        // Line 1,900 of the file, a row without quotes: its rating becomes a word.
        let index = lines.indices.last { $0 < 1_900 && !lines[$0].contains("\"") && !lines[$0 - 1].contains("\"") }!
        var fields = lines[index].components(separatedBy: ",")
        fields[3] = "five"
        lines[index] = fields.joined(separator: ",")
        try lines.joined(separator: "\n").write(toFile: path, atomically: true, encoding: .utf8)
        for minimum in [1, Int.max] {
            do {
                _ = try Dataset.read(Evaluation.self, at: path, minimumPieceBytes: minimum)
                Issue.record("an altered dataset was read")
            } catch {
                #expect(error.description.contains("line \(index + 1):"), "\(error)")
            }
        }
        try "a,b\n1,2\n".write(toFile: path, atomically: true, encoding: .utf8)
        #expect(throws: PipelineError.self) { try Dataset.read(Evaluation.self, at: path, minimumPieceBytes: 1) }
        #expect(throws: PipelineError.self) { try Dataset.read(Evaluation.self, at: dir + "/missing.csv") }
    }

    @Test("seekers and training results read in place are the rows their fields make, escaped text and all")
    func rowsReadInPlace() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("anxin-dataset-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try Dataset.makeDirectory(dir)
        let day = CivilDate(year: 2019, month: 8, day: 9)!
        let seekers = (0..<500).map { i in
            Seeker(applicationID: i % 5 == 0 ? "=A\(i)" : "A\(i)", name: i % 7 == 0 ? "-王\"小,明\"" : "李四\(i)",
                   idNumber: IDNumber(trusted: "33030219800101\(1000 + i)"), sex: i % 2 == 0 ? .male : .female,
                   birthDate: CivilDate(year: 1980, month: 1 + i % 12, day: 1 + i % 28)!, phone: "+8613800000000",
                   district: "330302", serviceAreas: i % 3 == 0 ? [] : i % 3 == 1 ? ["cleaning"] : ["cleaning", "elderly_care"],
                   institutionID: i % 4 == 0 ? nil : "WZJZ\(i % 9)", healthCheck: i % 3 == 0 ? .pending : .passed,
                   healthCheckedOn: i % 3 == 0 ? nil : day, appliedOn: day)
        }
        let training = (0..<500).map { i in
            TrainingResult(idNumber: IDNumber(trusted: "33030219800101\(1000 + i % 50)"), courseCode: i % 6 == 0 ? "@C\(i)" : "C\(i)",
                           serviceArea: "cleaning", hours: i % 2 == 0 ? 8 : 12.5, passed: i % 5 != 0, completedOn: day)
        }
        let seekersPath = dir + "/seekers.csv", trainingPath = dir + "/training.csv"
        try Dataset.commit([try Dataset.write(Seeker.datasetColumns, seekers.map(\.fields), to: seekersPath),
                            try Dataset.write(TrainingResult.datasetColumns, training.map(\.fields), to: trainingPath)])
        for minimum in [1, Int.max] {
            let read = try Dataset.read(Seeker.self, at: seekersPath, minimumPieceBytes: minimum)
            let results = try Dataset.read(TrainingResult.self, at: trainingPath, minimumPieceBytes: minimum)
            #expect(read == seekers)
            #expect(results == training)
        }
        // Each read in place is the row its fields make.
        var pairs: [(inPlace: Seeker, fromFields: Seeker)] = []
        try Dataset.forEachRow(at: seekersPath, columns: Seeker.datasetColumns) { row in
            pairs.append((try Seeker(row: LentFields(row: row)), try Seeker(fields: row.datasetFields)))
        }
        #expect(pairs.count == seekers.count && pairs.allSatisfy { $0.inPlace == $0.fromFields })
        // A date that is not one is reported as `init(fields:)` reports it.
        var lines = try String(contentsOfFile: trainingPath, encoding: .utf8).components(separatedBy: "\n")
        lines[3] = lines[3].replacingOccurrences(of: "2019-08-09", with: "2019-13-09")
        try lines.joined(separator: "\n").write(toFile: trainingPath, atomically: true, encoding: .utf8)
        do {
            _ = try Dataset.read(TrainingResult.self, at: trainingPath)
            Issue.record("an altered dataset was read")
        } catch {
            #expect(error.description.contains("line 4:") && error.description.contains("completed_on"), "\(error)")
        }
    }

    @Test("lines made on every core, in blocks, write the file one thread writes")
    func linesMadeInBlocks() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("anxin-dataset-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try Dataset.makeDirectory(dir)
        // Past one block of lines, with fields that need quotes, doubled quotes or a formula escape.
        let rows = (0..<70_001).map { i -> [String] in
            [String(i), i % 3 == 0 ? "a,\"b\"\nc" : "plain \(i)", i % 5 == 0 ? "=SUM(A\(i))" : "", i % 7 == 0 ? " padded " : "张"]
        }
        let one = try Dataset.write(["n", "text", "formula", "more"], rows, to: dir + "/one.csv")
        let blocks = try Dataset.write(["n", "text", "formula", "more"], rows, to: dir + "/blocks.csv") { $0 }
        try Dataset.commit([one, blocks])
        let a = try Data(contentsOf: URL(fileURLWithPath: dir + "/one.csv"))
        let b = try Data(contentsOf: URL(fileURLWithPath: dir + "/blocks.csv"))
        #expect(a.count > 1_000_000)
        #expect(a == b)
        let empty = try Dataset.write(["n"], [[String]](), to: dir + "/empty.csv") { $0 }
        try Dataset.commit([empty])
        #expect(try String(contentsOfFile: dir + "/empty.csv", encoding: .utf8) == "n\n")
        // Rows of a slice that does not start at 0, and rows a collection makes on demand, give
        // the same lines.
        let tail = rows[3...]
        let fromSlice = try Dataset.write(["n", "text", "formula", "more"], tail, to: dir + "/slice.csv") { row, line in
            for field in row { line.field(field) }
        }
        let made = MadeRows(rows: rows, from: 3)
        let fromMade = try Dataset.write(["n", "text", "formula", "more"], made, to: dir + "/made.csv") { row, line in
            for field in row { line.field(field) }
        }
        let expected = try Dataset.write(["n", "text", "formula", "more"], Array(tail), to: dir + "/tail.csv")
        try Dataset.commit([fromSlice, fromMade, expected])
        let tailBytes = try Data(contentsOf: URL(fileURLWithPath: dir + "/tail.csv"))
        #expect(try Data(contentsOf: URL(fileURLWithPath: dir + "/slice.csv")) == tailBytes)
        #expect(try Data(contentsOf: URL(fileURLWithPath: dir + "/made.csv")) == tailBytes)
    }
    /// Rows a collection makes on demand, with no storage of its own.
    struct MadeRows: RandomAccessCollection, Sendable {
        let rows: [[String]]
        let from: Int
        var startIndex: Int { from }
        var endIndex: Int { rows.count }
        subscript(i: Int) -> [String] { rows[i] }
    }

    @Test("the lines of persons.csv and people.csv made straight into bytes are those of their fields")
    func personLines() {
        let texts = trickyTexts
        var results: [PersonResult] = []
        for (i, text) in texts.enumerated() {
            var r = Cards.person(i, [.card, .screened, .review, .pending][i % 4], reasons: i % 3 == 0 ? [] : [text, "b"])
            r.person.name = text
            r.person.phone = texts[(i + 1) % texts.count]
            r.person.district = texts[(i + 2) % texts.count]
            r.person.registeredAreas = i % 2 == 0 ? [text] : []
            r.qualifiedAreas = i % 4 == 0 ? [] : [text, texts[(i + 3) % texts.count]]
            r.person.institutionID = i % 5 == 0 ? nil : texts[(i + 4) % texts.count]
            r.person.healthCheckedOn = i % 2 == 0 ? nil : CivilDate(year: 2019, month: 12, day: 31)
            r.person.registrations = i
            r.age = i - 3
            results.append(r)
        }
        var persons = CSVLines(), people = CSVLines()
        var expectedPersons: [UInt8] = [], expectedPeople: [UInt8] = []
        for r in results {
            r.appendFields(to: &persons)
            persons.endLine()
            CSVWriter.appendLine(r.fields, to: &expectedPersons)
            r.appendPeopleFields(to: &people)
            people.endLine()
            CSVWriter.appendLine([r.person.idNumber.value, r.person.name, r.status.rawValue, r.reasons.joined(separator: ";"),
                                  r.qualifiedAreas.joined(separator: ";"), r.person.institutionID ?? ""], to: &expectedPeople)
        }
        #expect(String(decoding: persons.bytes, as: UTF8.self) == String(decoding: expectedPersons, as: UTF8.self))
        #expect(people.bytes == expectedPeople)
        #expect(ScreenStage.peopleColumns.count == 6 && PersonResult.columns.count == 16)
    }
}

/// Texts that need quotes, doubled quotes, the formula escape, or nothing.
private let trickyTexts = ["", "plain", "张伟", "a,b", "say \"hi\"", "two\nlines", "cr\r", " padded", "padded ", "\ttab",
                           "=SUM(A1)", "+1", "-2", "@x", "'=already", "''", "'plain", "=", "a;b", ";", "=a,\"b\""]
