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

    /// Reads a CSV output (UTF-8) as rows of fields, header first.
    static func rows(_ path: String) throws -> [[String]] {
        try items(path).compactMap { item in
            guard case .record(let r) = item else { return nil }
            return (0..<r.count).map { r.string($0) ?? "" }
        }
    }

    /// The calibrated sample through the real stages, night after night, in a throwaway project
    /// folder holding the repository's `pipeline.conf` and reference lists: the first night's
    /// funnel is the article's, the second night recolours exactly two cards and clears one
    /// review, and no card number changes hands.
    @Test(arguments: [UInt64(2019), 7])
    func theCalibratedSampleReproducesThePublishedFiguresAndTheNextNight(seed: UInt64) async throws {
        let fm = FileManager.default
        let root = fm.temporaryDirectory.appendingPathComponent("anxin-calibrated-\(UUID().uuidString)").path
        let repo = URL(fileURLWithPath: Self.reference).deletingLastPathComponent().path
        try fm.createDirectory(atPath: root, withIntermediateDirectories: true)
        defer { Self.remove(root) }
        try fm.copyItem(atPath: repo + "/pipeline.conf", toPath: root + "/pipeline.conf")
        try fm.copyItem(atPath: Self.reference, toPath: root + "/reference")

        let c = SampleCalibration.wenzhou2019
        // The article's figures (Wenzhou·China, 29 August 2019), as the calibration states them.
        #expect(c.night1.registrations == 3200 && c.night1.screened == 93 && c.night1.eligible == 1951)
        #expect(c.night1.green == 1951 && c.selectedInstitutions == 20 && c.night1.asOf.description == "2019-08-29")
        let options = SampleGenerator.Options.calibrated(c, outputDirectory: root + "/sample-data", seed: seed,
                                                         referenceDirectory: Self.reference)
        let files = try SampleGenerator(options: options).run()
        #expect(files.count == 12)
        // The second night's extracts are the first night's, byte for byte, with the new rows after.
        for kind in InputKind.allCases {
            let first = try Self.bytes(root + "/sample-data/\(kind.rawValue).csv")
            let second = try Self.bytes(root + "/sample-data/night-2/\(kind.rawValue).csv")
            #expect(second.starts(with: first), "\(kind.rawValue)")
        }
        // seekers.csv: GB18030 with the Chinese header, as pipeline.conf expects (申 is C9 EA).
        #expect(try Self.bytes(root + "/sample-data/seekers.csv").prefix(2) == Data([0xC9, 0xEA]))

        var cardsAfterNight1: [String: String] = [:]  // ID number -> card number
        for (night, expected) in c.nights.enumerated().map({ ($0 + 1, $1) }) {
            let path = night == 1 ? root + "/pipeline.conf" : root + "/sample-data/night-2/pipeline.conf"
            var config = try Configuration.load(path: path)
            #expect(config.asOf == expected.asOf)
            config.cardFiles.render = false  // no key needed; the registry is what matters here
            let reference = try ReferenceLoader.load(config.paths)
            let ingest = try await IngestStage.run(config, reference: reference)
            let (_, screen) = try ScreenStage.run(config)
            let cards = try CardsStage.run(config, reference: reference, runID: "night-\(night)")
            let evaluation = try EvaluateStage.run(config)

            let seekers = try #require(ingest.inputs.first { $0.input == "seekers" })
            #expect(seekers.accepted == expected.registrations)
            #expect(seekers.rejected >= 30 && seekers.rejected <= 40, "about 1% of the rows are dirty")
            for input in ingest.inputs { #expect(input.rejected > 0, "\(input.input) has dirty rows") }
            let f = screen.funnel
            #expect(f.registrations == expected.registrations, "night \(night)")
            #expect(f.people == expected.people && f.people < f.registrations, "night \(night)")
            #expect(f.screened == expected.screened, "night \(night)")
            #expect(f.review == expected.review, "night \(night)")
            #expect(f.pending == expected.pending, "night \(night)")
            #expect(f.eligible == expected.eligible, "night \(night)")
            for reason in ["no_passed_training", "health_missing", "health_expired", "health_failed", "underage", "overage"] {
                #expect((f.pendingByReason[reason] ?? 0) > 0, "nobody pending for \(reason)")
            }
            #expect(screen.nameConflicts == 1)
            #expect(screen.unusedDecisions == 0)
            #expect(cards.byColour[.green] ?? 0 == expected.green, "night \(night)")
            #expect(cards.byColour[.yellow] ?? 0 == expected.yellow, "night \(night)")
            #expect(cards.byColour[.red] ?? 0 == expected.red, "night \(night)")
            #expect(cards.issued == expected.issued && cards.changed == expected.recoloured, "night \(night)")
            #expect(evaluation.selected.count == c.selectedInstitutions)
            #expect(evaluation.passedRound1 > c.selectedInstitutions)

            // Everyone screened is screened for a criminal record; the queue has both kinds of review.
            let people = try Self.rows(screen.peoplePath)
            let hits = try Self.rows(screen.hitsPath)
            let screenedIDs = Set(people.filter { $0[2] == "screened" }.map { $0[0] })
            let criminal = Set(hits.filter { ($0[7] == "screened" || $0[7] == "screened_by_decision") && $0[3] == "criminal" }.map { $0[0] })
            #expect(screenedIDs == criminal)
            let reviewReasons = people.filter { $0[2] == "review" }.flatMap { $0[3].split(separator: ";") }
            #expect(reviewReasons.contains("review:possible_match") && reviewReasons.contains("review:unknown_category"))

            let registry = try Self.rows(cards.cardsPath).dropFirst()
            if night == 1 {
                for card in registry { cardsAfterNight1[card[1]] = card[0] }
                #expect(cardsAfterNight1.count == c.cardHolders)
            } else {
                // Every card keeps its number; the night's changes are one issue, one red, one yellow.
                var now: [String: String] = [:]
                for card in registry { now[card[1]] = card[0] }
                for (id, number) in cardsAfterNight1 { #expect(now[id] == number) }
                let changes = try Self.rows(cards.changesPath).dropFirst().map { "\($0[2])>\($0[3])" }.sorted()
                #expect(changes == [">green", "green>red", "green>yellow"])
                // The new card is the cleared review's.
                let issued = try #require(try Self.rows(cards.changesPath).dropFirst().first { $0[2].isEmpty })
                #expect(hits.contains { $0[0] == issued[1] && $0[7] == "cleared" && $0[8].hasSuffix("on 2019-08-30") })
            }
        }

        // The second night's configuration has the project's policy, only its own paths and date.
        let first = try Configuration.load(path: root + "/pipeline.conf")
        let second = try Configuration.load(path: root + "/sample-data/night-2/pipeline.conf")
        #expect(first.screening == second.screening && first.eligibility == second.eligibility)
        #expect(first.cards == second.cards && first.evaluation == second.evaluation && first.gates == second.gates)
        #expect(first.cardFiles.qrBaseURL == second.cardFiles.qrBaseURL && first.cardFiles.render == second.cardFiles.render)
        #expect(first.marketName == second.marketName && first.language == second.language)
        func same(_ a: String, _ b: String) -> Bool {
            URL(fileURLWithPath: a).standardizedFileURL.path == URL(fileURLWithPath: b).standardizedFileURL.path
        }
        #expect(same(first.cardFiles.keyFile, second.cardFiles.keyFile) && same(first.paths.registry, second.paths.registry))
        #expect(same(first.paths.work, second.paths.work) && same(first.paths.districts, second.paths.districts))
        for kind in InputKind.allCases {
            #expect(first.inputs[kind]?.encoding == second.inputs[kind]?.encoding, "\(kind.rawValue)")
            #expect(first.inputs[kind]?.headerAliases == second.inputs[kind]?.headerAliases, "\(kind.rawValue)")
        }
    }

    @Test func theCalibratedSampleIsTheSameEveryTime() throws {
        let a = FileManager.default.temporaryDirectory.appendingPathComponent("anxin-sample-\(UUID().uuidString)").path
        let b = FileManager.default.temporaryDirectory.appendingPathComponent("anxin-sample-\(UUID().uuidString)").path
        defer { Self.remove(a, b) }
        let x = try SampleGenerator(options: .calibrated(.wenzhou2019, outputDirectory: a, referenceDirectory: Self.reference)).run()
        let y = try SampleGenerator(options: .calibrated(.wenzhou2019, outputDirectory: b, referenceDirectory: Self.reference)).run()
        for (f, g) in zip(x, y) { #expect(try Self.bytes(f.path) == Self.bytes(g.path), "\(f.path)") }
        #expect(try Self.bytes(a + "/night-2/pipeline.conf") == Self.bytes(b + "/night-2/pipeline.conf"))
        #expect(SampleCalibration.named("wenzhou-2019") == .wenzhou2019)
        #expect(SampleCalibration.named("wenzhou-2020") == nil)
    }

    @Test func nonsenseOptionsAreRefused() throws {
        let options = SampleGenerator.Options(outputDirectory: "unused", seekers: 0, seed: 1,
                                              referenceDirectory: Self.reference)
        #expect(throws: PipelineError.self) { try SampleGenerator(options: options).run() }
    }
}
