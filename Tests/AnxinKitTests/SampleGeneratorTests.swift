import AnxinCore
import CSV
import Foundation
import Testing
@testable import AnxinKit

@Suite("Sample generator")
struct SampleGeneratorTests {
    /// The repository's `reference/` folder, found from this file's path.
    static let reference = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("reference").path

    /// Generates a sample into a fresh temporary folder.
    static func generate(seekers: Int, seed: UInt64, encoding: TextEncoding = .utf8,
                         chineseHeaders: Bool = false) throws -> (dir: String, files: [SampleGenerator.FileSummary]) {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("anxin-sample-\(UUID().uuidString)").path
        let options = SampleGenerator.Options(outputDirectory: dir, seekers: seekers, seed: seed, encoding: encoding,
                                              chineseHeaders: chineseHeaders, referenceDirectory: reference)
        return (dir, try SampleGenerator(options: options).run())
    }

    static func remove(_ dirs: String...) {
        for dir in dirs { try? FileManager.default.removeItem(atPath: dir) }
    }

    static func bytes(_ path: String) throws -> Data { try Data(contentsOf: URL(fileURLWithPath: path)) }

    /// Every record or problem of a file, header first.
    static func items(_ path: String, encoding: TextEncoding = .utf8) throws -> [CSVItem] {
        let reader = try CSVReader(path: path, encoding: encoding)
        var out: [CSVItem] = []
        while let item = try reader.next() { out.append(item) }
        return out
    }

    /// Reads a file through ingest's own rules; returns the accepted rows with their data-row
    /// index, and the indices of the rows ingest rejected.
    static func ingest<Row: IngestibleRow>(_ type: Row.Type, _ path: String, rules: IngestRules,
                                           encoding: TextEncoding = .utf8, aliases: [String: String] = [:])
        throws -> (accepted: [(index: Int, row: Row, raw: [String])], rejected: [Int]) {
        let all = try items(path, encoding: encoding)
        guard case .record(let header)? = all.first else {
            Issue.record("\(path) has no header")
            return ([], [])
        }
        let map = try HeaderMap.make(header: header.lossyFields, kind: Row.kind, aliases: aliases).get()
        var ingester = RowIngester<Row>(rules: rules, headerMap: map)
        var accepted: [(Int, Row, [String])] = []
        var rejected: [Int] = []
        for (index, item) in all.dropFirst().enumerated() {
            guard case .record(let r) = item else {
                rejected.append(index)
                continue
            }
            switch ingester.ingest(fileFields: (0..<r.count).map { r.string($0) }) {
            case .accepted(let row): accepted.append((index, row, r.lossyFields))
            case .rejected: rejected.append(index)
            }
        }
        return (accepted, rejected)
    }

    static func rules() throws -> IngestRules {
        let districts = try ReferenceLoader.list(reference + "/wenzhou_districts.csv")
        let services = try ReferenceLoader.list(reference + "/service_catalog.csv")
        return IngestRules(asOf: SampleGenerator.Options.defaultAsOf, districts: Set(districts.map(\.code)),
                           services: Set(services.map(\.code)))
    }

    @Test func theSameSeedGivesIdenticalBytes() throws {
        let a = try Self.generate(seekers: 600, seed: 20_190_829)
        let b = try Self.generate(seekers: 600, seed: 20_190_829)
        defer { Self.remove(a.dir, b.dir) }
        #expect(a.files.count == 6)
        for (x, y) in zip(a.files, b.files) {
            #expect(x.rows == y.rows && x.dirtyRows == y.dirtyRows)
            #expect(try Self.bytes(x.path) == Self.bytes(y.path), "\(x.kind.rawValue) differs")
        }
    }

    @Test func differentSeedsGiveDifferentFiles() throws {
        let a = try Self.generate(seekers: 300, seed: 1)
        let b = try Self.generate(seekers: 300, seed: 2)
        defer { Self.remove(a.dir, b.dir) }
        for kind in [InputKind.seekers, .policeRecords, .training, .institutions, .evaluations] {
            let x = try #require(a.files.first { $0.kind == kind })
            let y = try #require(b.files.first { $0.kind == kind })
            #expect(try Self.bytes(x.path) != Self.bytes(y.path), "\(kind.rawValue) is the same")
        }
    }

    @Test func cleanSeekerRowsHoldValidIDsThatAgreeWithSexAndBirthDate() throws {
        let sample = try Self.generate(seekers: 2_000, seed: 7)
        defer { Self.remove(sample.dir) }
        var rules = try Self.rules()
        let institutions = try Self.ingest(Institution.self, sample.dir + "/institutions.csv", rules: rules)
        rules.institutions = Set(institutions.accepted.map(\.row.institutionID))
        let summary = try #require(sample.files.first { $0.kind == .seekers })
        #expect(summary.rows == 2_000)
        #expect(summary.dirtyRows.count == 20)  // one in each block of 100 rows

        let seekers = try Self.ingest(Seeker.self, summary.path, rules: rules)
        #expect(seekers.rejected == summary.dirtyRows)
        #expect(seekers.accepted.count == 2_000 - 20)
        for (index, seeker, raw) in seekers.accepted {
            // The ID number as written, before any normalization of ingest's.
            guard case .success(let id) = IDNumber.parse(raw[2]) else {
                Issue.record("row \(index): \(raw[2]) is not a valid ID number")
                continue
            }
            #expect(id == seeker.idNumber)
            #expect(id.isMale == (seeker.sex == .male), "row \(index): sex")
            #expect(id.birthDate == seeker.birthDate, "row \(index): birth date")
            #expect(seeker.appliedOn <= rules.asOf)
        }
        // Some people register twice, and some names are shared by different people.
        let people = Set(seekers.accepted.map(\.row.idNumber))
        #expect(people.count < seekers.accepted.count)
        let names = Dictionary(grouping: seekers.accepted.map(\.row), by: \.name)
        #expect(names.values.contains { Set($0.map(\.idNumber)).count > 1 })
    }

    @Test func everyFileHoldsOnePercentDirtyRowsAndIngestRejectsExactlyThose() throws {
        let sample = try Self.generate(seekers: 1_500, seed: 99)
        defer { Self.remove(sample.dir) }
        var rules = try Self.rules()
        func dirty(_ kind: InputKind) throws -> [Int] { try #require(sample.files.first { $0.kind == kind }).dirtyRows }
        func path(_ kind: InputKind) -> String { sample.dir + "/\(kind.rawValue).csv" }

        let institutions = try Self.ingest(Institution.self, path(.institutions), rules: rules)
        #expect(institutions.rejected == (try dirty(.institutions)))
        #expect(!institutions.rejected.isEmpty)
        rules.institutions = Set(institutions.accepted.map(\.row.institutionID))
        let seekers = try Self.ingest(Seeker.self, path(.seekers), rules: rules)
        #expect(seekers.rejected == (try dirty(.seekers)))
        // As ingest does: an evaluated worker must be among the accepted seekers.
        var workers = KeySet(capacity: seekers.accepted.count)
        for s in seekers.accepted { _ = workers.insert(s.row.idNumber.value) }
        rules.workers = workers
        #expect(try Self.ingest(PoliceRecord.self, path(.policeRecords), rules: rules).rejected == dirty(.policeRecords))
        #expect(try Self.ingest(TrainingResult.self, path(.training), rules: rules).rejected == dirty(.training))
        #expect(try Self.ingest(Evaluation.self, path(.evaluations), rules: rules).rejected == dirty(.evaluations))
        #expect(try Self.ingest(ReviewDecision.self, path(.reviewDecisions), rules: rules).rejected == dirty(.reviewDecisions))
        for f in sample.files where f.rows >= 100 {
            #expect(f.dirtyRows.count == f.rows / 100 || f.dirtyRows.count == f.rows / 100 + 1, "\(f.kind.rawValue)")
        }
    }

    @Test func gb18030WithChineseHeadersReadsBackWithTheChineseHeader() throws {
        let sample = try Self.generate(seekers: 200, seed: 3, encoding: .gb18030, chineseHeaders: true)
        defer { Self.remove(sample.dir) }
        let path = sample.dir + "/seekers.csv"
        // 申 is C9 EA in GB18030 (E7 94 B3 in UTF-8).
        #expect(try Self.bytes(path).prefix(2) == Data([0xC9, 0xEA]))
        let all = try Self.items(path, encoding: .gb18030)
        guard case .record(let header)? = all.first else {
            Issue.record("no header")
            return
        }
        #expect(header.lossyFields == SampleGenerator.chineseSeekerHeaders)
        var records = 0
        for case .record(let r) in all.dropFirst() {
            records += 1
            for i in 0..<r.count { #expect(r.string(i) != nil, "line \(r.line): undecodable field \(i)") }
        }
        #expect(records >= 197)

        var rules = try Self.rules()
        rules.institutions = Set(try Self.ingest(Institution.self, sample.dir + "/institutions.csv", rules: rules)
            .accepted.map(\.row.institutionID))
        let aliases = Dictionary(uniqueKeysWithValues: zip(SampleGenerator.chineseSeekerHeaders, Seeker.columns))
        let seekers = try Self.ingest(Seeker.self, path, rules: rules, encoding: .gb18030, aliases: aliases)
        #expect(seekers.rejected == sample.files[0].dirtyRows)
        #expect(seekers.accepted.contains { $0.row.name.unicodeScalars.contains { $0.value >= 0x4E00 } })
    }

    @Test func aStrayQuoteRowIsOneBadRecordEvenWithALineBreakInAnotherField() throws {
        guard case .line(let line) = Spoil.strayQuote(["SQ1", "王丽", "nursing,\ncleaning", "x"], column: 1) else {
            Issue.record("expected a verbatim line")
            return
        }
        #expect(!line.contains("\n"))
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("anxin-sample-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { Self.remove(dir.path) }
        let path = dir.appendingPathComponent("stray.csv").path
        try Data((line + "\nSQ2,李娜,cleaning,y\n").utf8).write(to: URL(fileURLWithPath: path))
        let all = try Self.items(path)
        #expect(all.count == 2)
        guard case .problem(let p)? = all.first else {
            Issue.record("expected a problem first")
            return
        }
        #expect(p.kind == .badQuote)
    }

    @Test func nonsenseOptionsAreRefused() throws {
        let options = SampleGenerator.Options(outputDirectory: "unused", seekers: 0, seed: 1,
                                              referenceDirectory: Self.reference)
        #expect(throws: PipelineError.self) { try SampleGenerator(options: options).run() }
    }
}
