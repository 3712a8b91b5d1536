import Foundation
@testable import AnxinKit

/// A throwaway project folder: the repo's reference lists, input files and a configuration.
struct Fixture {
    let root: URL

    /// The repository's root, found from this file's path.
    static let repo = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent()

    init() throws {
        root = FileManager.default.temporaryDirectory.appendingPathComponent("anxin-test-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: root.appendingPathComponent("reference"), withIntermediateDirectories: true)
        for name in ["wenzhou_districts.csv", "service_catalog.csv"] {
            try FileManager.default.copyItem(at: Fixture.repo.appendingPathComponent("reference/\(name)"),
                                             to: root.appendingPathComponent("reference/\(name)"))
        }
        for (name, text) in Fixture.minimalInputs { try write(name, text) }
    }

    /// A valid minimal set of extracts.
    static let minimalInputs: [(String, String)] = [
        ("institutions.csv", "institution_id,name,district,license_no,license_valid_until,registered_on\nWZJZ0001,温州好家政,330302,L001,2020-12-31,2018-05-01\n"),
        ("seekers.csv", "application_id,name,id_number,sex,birth_date,phone,district,service_areas,institution_id,health_check,health_checked_on,applied_on\nA1,王秀兰,11010519491231002X,F,1949-12-31,13812345678,330302,cleaning;nursing,WZJZ0001,passed,2019-01-01,2019-02-01\n"),
        ("police_records.csv", "record_id,id_number,name,birth_date,offense_code,offense_category,record_kind,record_date,sentence_end\nR1,,王秀兰,1949-12-31,X1,theft,criminal,2017-01-01,\n"),
        ("training.csv", "id_number,course_code,service_area,hours,passed,completed_on\n11010519491231002X,C1,cleaning,40,true,2019-03-01\n"),
        ("evaluations.csv", "evaluation_id,institution_id,worker_id_number,rating,complaint,evaluated_on\nE1,WZJZ0001,11010519491231002X,5,false,2019-05-01\n"),
    ]

    /// Writes a file relative to the fixture's root.
    func write(_ name: String, _ text: String) throws {
        try Data(text.utf8).write(to: root.appendingPathComponent(name))
    }

    /// Writes raw bytes relative to the fixture's root.
    func write(_ name: String, bytes: [UInt8]) throws {
        try Data(bytes).write(to: root.appendingPathComponent(name))
    }

    /// A path inside the fixture.
    func path(_ name: String) -> String { root.appendingPathComponent(name).path }

    /// A configuration naming the fixture's inputs, with `extra` appended and `replacing`
    /// substitutions applied.
    func config(_ extra: String = "", replacing: [(String, String)] = []) throws -> String {
        var text = """
            [run]
            as_of = "2019-08-29"

            [inputs.seekers]
            path = "seekers.csv"

            [inputs.police_records]
            path = "police_records.csv"

            [inputs.training]
            path = "training.csv"

            [inputs.institutions]
            path = "institutions.csv"

            [inputs.evaluations]
            path = "evaluations.csv"

            """ + extra
        for (a, b) in replacing { text = text.replacingOccurrences(of: a, with: b) }
        try write("pipeline.conf", text)
        return path("pipeline.conf")
    }

    /// Reads a CSV output as lines.
    static func lines(at path: String) throws -> [String] {
        try String(contentsOfFile: path, encoding: .utf8)
            .split(separator: "\n", omittingEmptySubsequences: false).map(String.init).filter { !$0.isEmpty }
    }
}
