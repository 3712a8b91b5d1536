import AnxinCore
import CSV
import Foundation
import Testing
@testable import AnxinKit

/// The fast lane only ever accepts rows the full rules accept unchanged: over every row of the
/// sample (dirty rows included), ingest with and without it must write the same bytes.
@Suite("Ingest's fast lane")
struct FastLaneTests {
    func lines<Row: IngestibleRow>(_ type: Row.Type, _ source: InputSource, rules: IngestRules, fast: Bool) throws -> [String] {
        let map = try IngestStage.readHeader(source)
        var ingester = RowIngester<Row>(rules: rules, headerMap: map, fastLane: fast)
        let reader = try CSVReader(path: source.path, encoding: source.encoding)
        var out: [String] = []
        var first = true
        var line: [UInt8] = []
        while let item = try reader.next() {
            guard case .record(let r) = item else { out.append("problem"); continue }
            if first { first = false; continue }
            line.removeAll()
            switch r.withUnsafeBuffers({ ingester.ingest(storage: $0, ends: $1, line: &line) }) {
            case .line: out.append("lane " + String(decoding: line, as: UTF8.self))
            case .row(let row): out.append(row.fields.joined(separator: ",") + "\n")
            case .rejected(let problems): out.append(problems.map { "\($0.column):\($0.reason.rawValue)" }.joined(separator: ";"))
            }
        }
        return out
    }

    @Test("the sample ingests to the same bytes with and without the fast lane")
    func agreesWithTheFullRules() throws {
        let config = try Configuration.load(path: Fixture.repo.appendingPathComponent("pipeline.conf").path)
        let reference = try ReferenceLoader.load(config.paths)
        var rules = IngestRules(asOf: config.asOf, districts: reference.districtCodes, services: reference.serviceCodes)
        let institutions = Set(try lines(Institution.self, config.inputs[.institutions]!, rules: rules, fast: false)
            .filter { $0.hasSuffix("\n") }.map { String($0.split(separator: ",")[0]) })
        rules.institutions = institutions
        var workers = KeySet()
        for l in try lines(Seeker.self, config.inputs[.seekers]!, rules: rules, fast: false) where l.hasSuffix("\n") {
            _ = workers.insert(String(l.split(separator: ",", omittingEmptySubsequences: false)[2]))
        }
        rules.workers = workers

        func check<Row: IngestibleRow>(_ type: Row.Type, _ kind: InputKind) throws {
            let source = config.inputs[kind]!
            let fastLines = try lines(type, source, rules: rules, fast: true)
            let fast = fastLines.map { $0.hasPrefix("lane ") ? String($0.dropFirst(5)) : $0 }
            let slow = try lines(type, source, rules: rules, fast: false)
            #expect(fast.count == slow.count)
            for (i, (a, b)) in zip(fast, slow).enumerated() where a != b {
                Issue.record("\(kind.rawValue) row \(i + 1): fast lane \(a) but full rules \(b)")
            }
            // The lane must actually carry most rows, or it is not doing its job.
            #expect(fastLines.filter { $0.hasPrefix("lane ") }.count > slow.count / 2)
        }
        try check(Seeker.self, .seekers)
        try check(PoliceRecord.self, .policeRecords)
        try check(TrainingResult.self, .training)
        try check(Evaluation.self, .evaluations)
    }
}
