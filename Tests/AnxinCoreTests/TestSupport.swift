import Testing
@testable import AnxinCore

// Shared fixtures for the ingest tests: the run's rules, a valid row of every input, and a
// small harness that feeds rows through `RowIngester` exactly as the ingest stage does.

/// The as-of date of every ingest test.
let asOf = CivilDate(year: 2019, month: 8, day: 29)!

/// The day after `asOf`: anything dated then is `after_as_of`.
let dayAfterAsOf = CivilDate(year: 2019, month: 8, day: 30)!

/// Rules for one run: two districts, three services, one institution.
let testRules = IngestRules(asOf: asOf, districts: ["330302", "330303"],
                            services: ["cleaning", "nursing", "childcare"],
                            institutions: ["WZJZ0001"])

/// Valid resident ID numbers, checked against ISO 7064 MOD 11-2 by hand.
enum IDs {
    /// Male (sequence 123), born 1990-01-01, Lucheng.
    static let male = "330302199001011235"
    /// Female (sequence 002), born 1985-06-15, Longwan.
    static let female = "330303198506150021"
    /// Male (sequence 009), born 1992-03-15, ends in X.
    static let maleX = "33030219920315009X"
    /// Female (sequence 038), born on a leap day, ends in X.
    static let femaleLeapX = "11010520000229038X"
}

/// A valid row of each input, by canonical column.
enum Sample {
    static let seeker: [String: String] = [
        "application_id": "A0001", "name": "张三", "id_number": IDs.male, "sex": "M",
        "birth_date": "1990-01-01", "phone": "13812345678", "district": "330302",
        "service_areas": "cleaning;nursing", "institution_id": "WZJZ0001", "health_check": "passed",
        "health_checked_on": "2019-06-01", "applied_on": "2019-08-01",
    ]
    static let police: [String: String] = [
        "record_id": "P0001", "id_number": IDs.male, "name": "张三", "birth_date": "1990-01-01",
        "offense_code": "TH-01", "offense_category": "theft", "record_kind": "criminal",
        "record_date": "2016-05-10", "sentence_end": "2017-05-10",
    ]
    static let training: [String: String] = [
        "id_number": IDs.male, "course_code": "C-101", "service_area": "nursing", "hours": "40",
        "passed": "true", "completed_on": "2019-07-01",
    ]
    static let institution: [String: String] = [
        "institution_id": "WZJZ0001", "name": "温州安心家政服务有限公司", "district": "330302",
        "license_no": "LIC-2018-001", "license_valid_until": "2021-12-31", "registered_on": "2018-05-01",
    ]
    static let evaluation: [String: String] = [
        "evaluation_id": "E0001", "institution_id": "WZJZ0001", "worker_id_number": IDs.male,
        "rating": "5", "complaint": "false", "evaluated_on": "2019-08-20",
    ]
    static let decision: [String: String] = [
        "id_number": IDs.male, "decision": "clear", "decided_by": "王科长", "decided_on": "2019-08-28",
        "note": "同名不同人",
    ]
}

/// `base` with some columns changed.
func with(_ base: [String: String], _ changes: [String: String]) -> [String: String] {
    base.merging(changes) { $1 }
}

/// Feeds rows through a `RowIngester` over a header of canonical names (or any header given).
struct Harness<Row: IngestibleRow> {
    var ingester: RowIngester<Row>
    let header: [String]

    init(rules: IngestRules = testRules, header: [String] = Row.columns, aliases: [String: String] = [:]) throws {
        self.header = header
        let map = try HeaderMap.make(header: header, kind: Row.kind, aliases: aliases).get()
        ingester = RowIngester(rules: rules, headerMap: map)
    }

    /// A row given by canonical column; columns not named are empty.
    mutating func ingest(_ values: [String: String]) -> IngestOutcome<Row> {
        ingester.ingest(fileFields: header.map { values[$0] ?? "" })
    }

    /// A row given as the file's fields.
    mutating func ingest(fields: [String?]) -> IngestOutcome<Row> {
        ingester.ingest(fileFields: fields)
    }
}

/// Ingests one row with a fresh ingester.
func ingestOne<Row: IngestibleRow>(_ type: Row.Type, _ values: [String: String],
                                   rules: IngestRules = testRules) throws -> IngestOutcome<Row> {
    var harness = try Harness<Row>(rules: rules)
    return harness.ingest(values)
}

extension IngestOutcome {
    /// The row, when accepted.
    var row: Row? {
        if case .accepted(let r) = self { return r }
        return nil
    }

    /// The problems, when rejected (empty when accepted).
    var problems: [FieldProblem] {
        if case .rejected(let p) = self { return p }
        return []
    }

    /// The reasons of the problems, in the order found.
    var reasons: [RejectReason] { problems.map(\.reason) }

    /// The `column: reason` of every problem, easy to compare in one `#expect`.
    var findings: [String] { problems.map { "\($0.column): \($0.reason.rawValue)" } }
}

/// A CivilDate from a literal that is known to be valid.
func day(_ y: Int, _ m: Int, _ d: Int) -> CivilDate { CivilDate(year: y, month: m, day: d)! }
