import Testing
@testable import AnxinCore

// Police records, training, institutions, evaluations and review decisions.

@Suite("Police record ingest rules")
struct PoliceRecordRulesTests {
    func record(_ changes: [String: String]) throws -> IngestOutcome<PoliceRecord> {
        try ingestOne(PoliceRecord.self, with(Sample.police, changes))
    }

    @Test("a valid record is accepted with every value normalized")
    func acceptedValues() throws {
        let outcome = try record([
            "record_id": " P0001 ", "id_number": "３３０３０２ １９９００１０１ １２３５", "name": "\u{3000}张三 ",
            "birth_date": "1990年1月1日", "offense_code": "ＴＨ－０１", "offense_category": " Theft ",
            "record_kind": "刑事", "record_date": "2016/5/10", "sentence_end": "20170510",
        ])
        let row = try #require(outcome.row, "\(outcome.findings)")
        #expect(row == PoliceRecord(recordID: "P0001", idNumber: IDs.male, idValid: true, name: "张三",
                                    birthDate: day(1990, 1, 1), offenseCode: "TH-01", offenseCategory: "theft",
                                    recordKind: .criminal, recordDate: day(2016, 5, 10), sentenceEnd: day(2017, 5, 10)))
        #expect(row.fields == ["P0001", IDs.male, "张三", "1990-01-01", "TH-01", "theft", "criminal", "2016-05-10",
                               "2017-05-10", "true"])
        #expect(row.lookbackFrom == day(2017, 5, 10))
    }

    @Test("record kinds in English or Chinese, any case", arguments: [
        ("criminal", RecordKind.criminal), ("CRIMINAL", RecordKind.criminal), ("刑事", RecordKind.criminal),
        ("administrative", RecordKind.administrative), ("Administrative", RecordKind.administrative),
        ("行政", RecordKind.administrative),
    ])
    func recordKinds(_ text: String, _ expected: RecordKind) throws {
        let row = try #require(try record(["record_kind": text]).row)
        #expect(row.recordKind == expected)
    }

    @Test("police dates in the future are kept", arguments: [
        ["record_date": "2019-08-30"], ["sentence_end": "2030-01-01"], ["record_date": "2025年1月1日", "sentence_end": "2035/1/1"],
    ])
    func futureDatesKept(_ changes: [String: String]) throws {
        let outcome = try record(changes)
        #expect(outcome.row != nil, "\(outcome.findings)")
    }

    @Test("an empty or invalid id_number is kept with idValid false", arguments: [
        ("", ""), ("330302199001011234", "330302199001011234"), ("3303021990010112", "3303021990010112"),
        ("33030219990230123x", "33030219990230123X"), ("unknown", "unknown"),
    ])
    func invalidIDKept(_ text: String, _ normalized: String) throws {
        let outcome = try record(["id_number": text])
        let row = try #require(outcome.row, "\(outcome.findings)")
        #expect(row.idValid == false)
        #expect(row.idNumber == normalized)
    }

    @Test("empty optional fields are kept empty")
    func optionalFields() throws {
        let row = try #require(try record(["birth_date": "", "sentence_end": "", "offense_code": ""]).row)
        #expect(row.birthDate == nil)
        #expect(row.sentenceEnd == nil)
        #expect(row.offenseCode == "")
        #expect(row.lookbackFrom == row.recordDate)
    }

    @Test("a file without birth_date and sentence_end columns is read")
    func optionalColumnsAbsent() throws {
        var harness = try Harness<PoliceRecord>(header: PoliceRecord.columns.filter { $0 != "birth_date" && $0 != "sentence_end" })
        let row = try #require(harness.ingest(Sample.police).row)
        #expect(row.birthDate == nil)
        #expect(row.sentenceEnd == nil)
    }

    @Test("an empty required field is missing_field", arguments: [
        "record_id", "name", "offense_category", "record_kind", "record_date",
    ])
    func missingField(_ column: String) throws {
        #expect(try record([column: ""]).findings == ["\(column): missing_field"])
    }

    @Test("a record kind that is neither criminal nor administrative is bad_value")
    func badKind() throws {
        #expect(try record(["record_kind": "civil"]).findings == ["record_kind: bad_value"])
    }

    @Test("bad dates are bad_date", arguments: ["record_date", "birth_date", "sentence_end"])
    func badDate(_ column: String) throws {
        #expect(try record([column: "2019-02-29"]).findings == ["\(column): bad_date"])
    }

    @Test("a repeated record_id is duplicate")
    func duplicate() throws {
        var harness = try Harness<PoliceRecord>()
        #expect(harness.ingest(Sample.police).row != nil)
        #expect(harness.ingest(with(Sample.police, ["offense_category": "fraud"])).findings == ["record_id: duplicate"])
    }

    @Test("accepted records survive their dataset round trip, idValid included", arguments: [
        [String: String](), ["id_number": "", "birth_date": "", "sentence_end": ""],
        ["id_number": "330302199001011234", "record_kind": "行政", "offense_category": "Drug"],
    ])
    func roundTrip(_ changes: [String: String]) throws {
        let row = try #require(try record(changes).row)
        #expect(row.fields.count == PoliceRecord.datasetColumns.count)
        #expect(try PoliceRecord(fields: row.fields) == row)
    }
}

@Suite("Training ingest rules")
struct TrainingRulesTests {
    func course(_ changes: [String: String]) throws -> IngestOutcome<TrainingResult> {
        try ingestOne(TrainingResult.self, with(Sample.training, changes))
    }

    @Test("a valid result is accepted with every value normalized")
    func acceptedValues() throws {
        let outcome = try course([
            "id_number": "33030219920315009x", "course_code": "Ｃ－１０１", "service_area": "ＮＵＲＳＩＮＧ",
            "hours": "１２.５", "passed": "是", "completed_on": "2019年7月1日",
        ])
        let row = try #require(outcome.row, "\(outcome.findings)")
        #expect(row == TrainingResult(idNumber: IDNumber(trusted: IDs.maleX), courseCode: "C-101", serviceArea: "nursing",
                                      hours: 12.5, passed: true, completedOn: day(2019, 7, 1)))
        #expect(row.fields == [IDs.maleX, "C-101", "nursing", "12.5", "true", "2019-07-01"])
        #expect(row.uniqueKey == nil)
    }

    @Test("booleans in every accepted spelling", arguments: [
        ("true", true), ("TRUE", true), ("1", true), ("yes", true), ("Y", true), ("是", true), ("ｔｒｕｅ", true),
        ("false", false), ("False", false), ("0", false), ("no", false), ("n", false), ("否", false),
    ])
    func booleans(_ text: String, _ expected: Bool) throws {
        let row = try #require(try course(["passed": text]).row)
        #expect(row.passed == expected)
    }

    @Test("hours within 0 to 10000", arguments: [("0", 0.0), ("40", 40.0), ("12.5", 12.5), ("10000", 10_000.0), (" 8 ", 8.0)])
    func hours(_ text: String, _ expected: Double) throws {
        let row = try #require(try course(["hours": text]).row)
        #expect(row.hours == expected)
    }

    @Test("hours that are not a number in range are bad_number", arguments: [
        "-1", "10001", "abc", "1,5", "1.2.3", ".", "1e3", "forty", "12h",
    ])
    func badNumber(_ text: String) throws {
        #expect(try course(["hours": text]).findings == ["hours: bad_number"])
    }

    @Test("a passed value that is not a boolean is bad_value", arguments: ["maybe", "2", "passed"])
    func badBoolean(_ text: String) throws {
        #expect(try course(["passed": text]).findings == ["passed: bad_value"])
    }

    @Test("a service area outside the catalog is unknown_service")
    func unknownService() throws {
        #expect(try course(["service_area": "gardening"]).findings == ["service_area: unknown_service"])
    }

    @Test("bad ID numbers are bad_id or bad_id_check")
    func badIDs() throws {
        #expect(try course(["id_number": "33030219900101123"]).findings == ["id_number: bad_id"])
        #expect(try course(["id_number": "330302199001011234"]).findings == ["id_number: bad_id_check"])
    }

    @Test("an empty required field is missing_field", arguments: TrainingResult.columns)
    func missingField(_ column: String) throws {
        #expect(try course([column: ""]).findings == ["\(column): missing_field"])
    }

    @Test("completed one day after as-of is after_as_of; on the day is accepted")
    func afterAsOf() throws {
        #expect(try course(["completed_on": "2019-08-30"]).findings == ["completed_on: after_as_of"])
        #expect(try course(["completed_on": "2019-08-29"]).row != nil)
    }

    @Test("the same result twice is no duplicate (training has no key)")
    func noKey() throws {
        var harness = try Harness<TrainingResult>()
        #expect(harness.ingest(Sample.training).row != nil)
        #expect(harness.ingest(Sample.training).row != nil)
    }

    @Test("accepted results survive their dataset round trip", arguments: ["40", "12.5", "0", "0.25"])
    func roundTrip(_ hours: String) throws {
        let row = try #require(try course(["hours": hours, "passed": "否"]).row)
        #expect(try TrainingResult(fields: row.fields) == row)
    }
}

@Suite("Institution ingest rules")
struct InstitutionRulesTests {
    func institution(_ changes: [String: String]) throws -> IngestOutcome<Institution> {
        try ingestOne(Institution.self, with(Sample.institution, changes))
    }

    @Test("a valid institution is accepted with every value normalized")
    func acceptedValues() throws {
        let outcome = try institution([
            "institution_id": " ｗｚｊｚ０００２ ", "name": "温州安心家政", "district": "３３０３０３",
            "license_no": "ＬＩＣ－２０１８－００２", "license_valid_until": "2021/12/31", "registered_on": "20180501",
        ])
        let row = try #require(outcome.row, "\(outcome.findings)")
        #expect(row == Institution(institutionID: "WZJZ0002", name: "温州安心家政", district: "330303",
                                   licenseNo: "LIC-2018-002", licenseValidUntil: day(2021, 12, 31),
                                   registeredOn: day(2018, 5, 1)))
        #expect(row.uniqueKey == "WZJZ0002")
    }

    @Test("a licence valid into the future, or already expired, is accepted", arguments: ["2030-01-01", "2018-01-01"])
    func licenceDates(_ text: String) throws {
        #expect(try institution(["license_valid_until": text]).row != nil)
    }

    @Test("a repeated institution_id is duplicate, whatever its case or width")
    func duplicate() throws {
        var harness = try Harness<Institution>()
        #expect(harness.ingest(Sample.institution).row != nil)
        #expect(harness.ingest(with(Sample.institution, ["institution_id": "wzjz0001"])).findings == ["institution_id: duplicate"])
        #expect(harness.ingest(with(Sample.institution, ["institution_id": "ＷＺＪＺ０００１"])).findings == ["institution_id: duplicate"])
        #expect(harness.ingest(with(Sample.institution, ["institution_id": "WZJZ0002"])).row != nil)
    }

    @Test("a district outside the reference list is unknown_district")
    func unknownDistrict() throws {
        #expect(try institution(["district": "330304"]).findings == ["district: unknown_district"])
    }

    @Test("bad dates are bad_date", arguments: ["license_valid_until", "registered_on"])
    func badDate(_ column: String) throws {
        #expect(try institution([column: "2021-02-29"]).findings == ["\(column): bad_date"])
    }

    @Test("an empty required field is missing_field", arguments: Institution.columns)
    func missingField(_ column: String) throws {
        #expect(try institution([column: ""]).findings == ["\(column): missing_field"])
    }

    @Test("an accepted institution survives its dataset round trip")
    func roundTrip() throws {
        let row = try #require(try institution(["institution_id": "wzjz0003"]).row)
        #expect(try Institution(fields: row.fields) == row)
    }
}

@Suite("Evaluation ingest rules")
struct EvaluationRulesTests {
    func evaluation(_ changes: [String: String], rules: IngestRules = testRules) throws -> IngestOutcome<Evaluation> {
        try ingestOne(Evaluation.self, with(Sample.evaluation, changes), rules: rules)
    }

    @Test("a valid evaluation is accepted with every value normalized")
    func acceptedValues() throws {
        let outcome = try evaluation([
            "evaluation_id": " E0001 ", "institution_id": "ｗｚｊｚ０００１", "worker_id_number": "11010519491231002x",
            "rating": "４", "complaint": "是", "evaluated_on": "2019年8月29日",
        ])
        let row = try #require(outcome.row, "\(outcome.findings)")
        #expect(row == Evaluation(evaluationID: "E0001", institutionID: "WZJZ0001",
                                  workerIDNumber: IDNumber(trusted: "11010519491231002X"), rating: 4, complaint: true,
                                  evaluatedOn: day(2019, 8, 29)))
        #expect(row.fields == ["E0001", "WZJZ0001", "11010519491231002X", "4", "true", "2019-08-29"])
    }

    @Test("ratings 1 to 5 are accepted", arguments: 1...5)
    func ratings(_ rating: Int) throws {
        let row = try #require(try evaluation(["rating": String(rating)]).row)
        #expect(row.rating == rating)
    }

    @Test("a rating that is not a whole number from 1 to 5 is bad_rating", arguments: [
        "0", "6", "4.5", "five", "-1", "10", "4星",
    ])
    func badRating(_ text: String) throws {
        #expect(try evaluation(["rating": text]).findings == ["rating: bad_rating"])
    }

    @Test("an institution outside the institutions extract is unknown_institution")
    func unknownInstitution() throws {
        #expect(try evaluation(["institution_id": "WZJZ0002"]).findings == ["institution_id: unknown_institution"])
    }

    @Test("a complaint that is not a boolean is bad_value")
    func badComplaint() throws {
        #expect(try evaluation(["complaint": "sometimes"]).findings == ["complaint: bad_value"])
    }

    @Test("a worker ID with a wrong check character is bad_id_check")
    func badWorkerID() throws {
        #expect(try evaluation(["worker_id_number": "330302199001011234"]).findings == ["worker_id_number: bad_id_check"])
        #expect(try evaluation(["worker_id_number": "3303021990"]).findings == ["worker_id_number: bad_id"])
    }

    @Test("an empty required field is missing_field", arguments: Evaluation.columns)
    func missingField(_ column: String) throws {
        #expect(try evaluation([column: ""]).findings == ["\(column): missing_field"])
    }

    @Test("evaluated one day after as-of is after_as_of; on the day is accepted")
    func afterAsOf() throws {
        #expect(try evaluation(["evaluated_on": "2019-08-30"]).findings == ["evaluated_on: after_as_of"])
        #expect(try evaluation(["evaluated_on": "2019-08-29"]).row != nil)
    }

    @Test("a repeated evaluation_id is duplicate: the first is accepted, the second rejected")
    func duplicate() throws {
        var harness = try Harness<Evaluation>()
        #expect(harness.ingest(Sample.evaluation).row != nil)
        #expect(harness.ingest(with(Sample.evaluation, ["rating": "1"])).findings == ["evaluation_id: duplicate"])
    }

    @Test("a row with several problems reports all of them")
    func severalProblems() throws {
        let outcome = try evaluation(["institution_id": "X1", "worker_id_number": "", "rating": "6", "complaint": "?",
                                      "evaluated_on": "2019-02-29"])
        #expect(outcome.findings == [
            "institution_id: unknown_institution", "worker_id_number: missing_field", "rating: bad_rating",
            "complaint: bad_value", "evaluated_on: bad_date",
        ])
    }

    @Test("an accepted evaluation survives its dataset round trip")
    func roundTrip() throws {
        let row = try #require(try evaluation(["complaint": "1", "rating": "3"]).row)
        #expect(try Evaluation(fields: row.fields) == row)
    }
}

@Suite("Review decision ingest rules")
struct ReviewDecisionRulesTests {
    func decision(_ changes: [String: String]) throws -> IngestOutcome<ReviewDecision> {
        try ingestOne(ReviewDecision.self, with(Sample.decision, changes))
    }

    @Test("a valid decision is accepted with every value normalized", arguments: [
        ("clear", Decision.clear), ("CLEAR", Decision.clear), ("Screen", Decision.screen), ("ｓｃｒｅｅｎ", Decision.screen),
    ])
    func acceptedValues(_ text: String, _ expected: Decision) throws {
        let outcome = try decision(["id_number": " 330302 19900101 1235 ", "decision": text, "decided_on": "2019/8/28"])
        let row = try #require(outcome.row, "\(outcome.findings)")
        #expect(row == ReviewDecision(idNumber: IDNumber(trusted: IDs.male), decision: expected, decidedBy: "王科长",
                                      decidedOn: day(2019, 8, 28), note: "同名不同人"))
    }

    @Test("a decision other than clear or screen is bad_value", arguments: ["approve", "yes", "清除"])
    func badDecision(_ text: String) throws {
        #expect(try decision(["decision": text]).findings == ["decision: bad_value"])
    }

    @Test("decided one day after as-of is after_as_of; on the day is accepted")
    func afterAsOf() throws {
        #expect(try decision(["decided_on": "2019-08-30"]).findings == ["decided_on: after_as_of"])
        #expect(try decision(["decided_on": "20190829"]).row != nil)
    }

    @Test("an empty required field is missing_field", arguments: ["id_number", "decision", "decided_by", "decided_on"])
    func missingField(_ column: String) throws {
        #expect(try decision([column: ""]).findings == ["\(column): missing_field"])
    }

    @Test("the note is optional, as a field and as a column")
    func noteOptional() throws {
        let row = try #require(try decision(["note": ""]).row)
        #expect(row.note == "")
        var harness = try Harness<ReviewDecision>(header: ReviewDecision.columns.filter { $0 != "note" })
        #expect(try #require(harness.ingest(Sample.decision).row).note == "")
    }

    @Test("bad ID numbers are bad_id or bad_id_check")
    func badIDs() throws {
        #expect(try decision(["id_number": "330302199001011234"]).findings == ["id_number: bad_id_check"])
        #expect(try decision(["id_number": "33030219900101123"]).findings == ["id_number: bad_id"])
    }

    @Test("accepted decisions survive their dataset round trip", arguments: ["", "同名不同人, 已核实"])
    func roundTrip(_ note: String) throws {
        let row = try #require(try decision(["note": note, "decision": "screen"]).row)
        #expect(try ReviewDecision(fields: row.fields) == row)
    }
}
