import Testing
@testable import AnxinCore

@Suite("Seeker ingest rules")
struct SeekerRulesTests {
    /// Ingests the sample seeker with some columns changed.
    func seeker(_ changes: [String: String], rules: IngestRules = testRules) throws -> IngestOutcome<Seeker> {
        try ingestOne(Seeker.self, with(Sample.seeker, changes), rules: rules)
    }

    // MARK: Accepted rows

    @Test("a valid row is accepted with every value normalized")
    func acceptedValues() throws {
        let outcome = try seeker([
            "application_id": " A0001 ", "name": "\u{3000}张三 ", "id_number": "３３０３０２ １９９００１０１ １２３５",
            "sex": "男", "birth_date": "1990年1月1日", "phone": "+86 138-1234-5678", "district": "３３０３０２",
            "service_areas": "Cleaning、ＮＵＲＳＩＮＧ、cleaning", "institution_id": "ｗｚｊｚ０００１",
            "health_check": "PASSED", "health_checked_on": "2019/6/1", "applied_on": "20190801",
        ])
        let row = try #require(outcome.row, "\(outcome.findings)")
        #expect(row == Seeker(applicationID: "A0001", name: "张三", idNumber: IDNumber(trusted: IDs.male), sex: .male,
                              birthDate: day(1990, 1, 1), phone: "13812345678", district: "330302",
                              serviceAreas: ["cleaning", "nursing"], institutionID: "WZJZ0001",
                              healthCheck: .passed, healthCheckedOn: day(2019, 6, 1), appliedOn: day(2019, 8, 1)))
        #expect(row.fields == ["A0001", "张三", IDs.male, "M", "1990-01-01", "13812345678", "330302",
                               "cleaning;nursing", "WZJZ0001", "passed", "2019-06-01", "2019-08-01"])
        #expect(row.uniqueKey == "A0001")
    }

    @Test("ID numbers typed every way normalize to the same value", arguments: [
        "33030219920315009X", "33030219920315009x", "３３０３０２１９９２０３１５００９Ｘ", "３３０３０２１９９２０３１５００９ｘ",
        "330302 19920315 009X", "330302\u{3000}19920315\u{3000}009x", "  33030219920315009X\u{3000}",
    ])
    func idNormalization(_ text: String) throws {
        let outcome = try seeker(["id_number": text, "birth_date": "1992-03-15"])
        let row = try #require(outcome.row, "\(outcome.findings)")
        #expect(row.idNumber.value == IDs.maleX)
    }

    @Test("the four date forms give the same date", arguments: [
        "2019-08-01", "2019/8/1", "2019/08/01", "20190801", "2019年8月1日", "２０１９年８月１日", "２０１９－０８－０１",
    ])
    func dateForms(_ text: String) throws {
        let outcome = try seeker(["applied_on": text, "health_checked_on": text])
        let row = try #require(outcome.row, "\(outcome.findings)")
        #expect(row.appliedOn == day(2019, 8, 1))
        #expect(row.healthCheckedOn == day(2019, 8, 1))
        #expect(row.fields[11] == "2019-08-01")
    }

    @Test("sex is M/F or 男/女, in any case and width", arguments: [
        ("M", IDs.male, Sex.male), ("m", IDs.male, Sex.male), ("男", IDs.male, Sex.male),
        (" Ｍ ", IDs.male, Sex.male), ("ｍ", IDs.male, Sex.male), ("F", IDs.female, Sex.female),
        ("f", IDs.female, Sex.female), ("女", IDs.female, Sex.female), ("\u{3000}女\u{3000}", IDs.female, Sex.female),
    ])
    func sexForms(_ text: String, _ id: String, _ expected: Sex) throws {
        let birth = try #require(IDNumber(trusted: id).birthDate)
        let outcome = try seeker(["sex": text, "id_number": id, "birth_date": birth.description])
        let row = try #require(outcome.row, "\(outcome.findings)")
        #expect(row.sex == expected)
    }

    @Test("a female ID ending in X on a leap day is accepted")
    func leapDayFemaleX() throws {
        let outcome = try seeker(["id_number": "11010520000229038x", "sex": "F", "birth_date": "2000年2月29日"])
        let row = try #require(outcome.row, "\(outcome.findings)")
        #expect(row.idNumber.value == IDs.femaleLeapX)
        #expect(row.birthDate == day(2000, 2, 29))
    }

    @Test("phones with spaces, hyphens and +86 normalize to 11 digits", arguments: [
        "13812345678", "138 1234 5678", "138-1234-5678", "+86 138 1234 5678", "+86-138-1234-5678",
        "+8613812345678", "１３８１２３４５６７８", " 13812345678\u{3000}", "138\u{3000}1234\u{3000}5678",
    ])
    func phoneForms(_ text: String) throws {
        let outcome = try seeker(["phone": text])
        let row = try #require(outcome.row, "\(outcome.findings)")
        #expect(row.phone == "13812345678")
    }

    @Test("service-area lists split on ; ， 、 and drop duplicates", arguments: [
        ("cleaning;nursing", ["cleaning", "nursing"]),
        ("cleaning，nursing", ["cleaning", "nursing"]),
        ("cleaning、nursing", ["cleaning", "nursing"]),
        ("cleaning,nursing", ["cleaning", "nursing"]),
        ("cleaning；nursing", ["cleaning", "nursing"]),
        ("cleaning; nursing ;", ["cleaning", "nursing"]),
        ("cleaning;nursing;cleaning", ["cleaning", "nursing"]),
        ("Nursing、ＣＬＥＡＮＩＮＧ，nursing;childcare", ["nursing", "cleaning", "childcare"]),
        ("childcare", ["childcare"]),
    ])
    func serviceAreaLists(_ text: String, _ expected: [String]) throws {
        let outcome = try seeker(["service_areas": text])
        let row = try #require(outcome.row, "\(outcome.findings)")
        #expect(row.serviceAreas == expected)
    }

    @Test("codes in full width are folded", arguments: [
        ("district", "３３０３０３", "330303"), ("district", " 330303\u{3000}", "330303"),
        ("institution_id", "ｗｚｊｚ０００１", "WZJZ0001"), ("institution_id", "ＷＺＪＺ０００１", "WZJZ0001"),
        ("institution_id", "wzjz0001", "WZJZ0001"),
    ])
    func fullWidthCodes(_ column: String, _ text: String, _ expected: String) throws {
        let outcome = try seeker([column: text])
        let row = try #require(outcome.row, "\(outcome.findings)")
        #expect(row.fields[Seeker.columns.firstIndex(of: column)!] == expected)
    }

    @Test("names are trimmed and full-width folded; Chinese, Latin and transliterated names pass", arguments: [
        ("  张三  ", "张三"), ("\u{3000}张三\u{3000}", "张三"), ("阿依古丽·买买提", "阿依古丽·买买提"),
        ("John Smith", "John Smith"), ("Ｊｏｈｎ Ｓｍｉｔｈ", "John Smith"), ("O'Brien", "O'Brien"),
        ("Anne-Marie", "Anne-Marie"), ("张", "张"), (String(repeating: "张", count: 30), String(repeating: "张", count: 30)),
    ])
    func names(_ text: String, _ expected: String) throws {
        let outcome = try seeker(["name": text])
        let row = try #require(outcome.row, "\(outcome.findings)")
        #expect(row.name == expected)
    }

    @Test("an independent worker has no institution, and institutions are not checked before they are read")
    func institutionOptional() throws {
        let independent = try #require(try seeker(["institution_id": ""]).row)
        #expect(independent.institutionID == nil)
        #expect(independent.fields[8] == "")
        let rules = IngestRules(asOf: asOf, districts: testRules.districts, services: testRules.services)
        let unchecked = try #require(try seeker(["institution_id": "wzjz9999"], rules: rules).row)
        #expect(unchecked.institutionID == "WZJZ9999")
    }

    @Test("a pending health check may have no date; passed and failed need one")
    func healthDates() throws {
        let pending = try #require(try seeker(["health_check": "pending", "health_checked_on": ""]).row)
        #expect(pending.healthCheck == .pending)
        #expect(pending.healthCheckedOn == nil)
        #expect(try seeker(["health_check": "passed", "health_checked_on": ""]).findings == ["health_checked_on: missing_field"])
        #expect(try seeker(["health_check": "failed", "health_checked_on": ""]).findings == ["health_checked_on: missing_field"])
        let failed = try #require(try seeker(["health_check": "Failed"]).row)
        #expect(failed.healthCheck == .failed)
        let chinese = try #require(try seeker(["health_check": "合格"]).row)
        #expect(chinese.healthCheck == .passed)
    }

    @Test("an accepted row survives its dataset round trip", arguments: [
        [String: String](),
        ["institution_id": "", "health_check": "pending", "health_checked_on": ""],
        ["id_number": "11010520000229038X", "sex": "女", "birth_date": "20000229", "name": "Ａｎｎａ Ｌｉ",
         "service_areas": "childcare、nursing、cleaning"],
    ])
    func roundTrip(_ changes: [String: String]) throws {
        let row = try #require(try seeker(changes).row)
        #expect(try Seeker(fields: row.fields) == row)
    }

    @Test("a dataset row that was altered does not decode")
    func alteredDataset() throws {
        let row = try #require(try seeker([:]).row)
        var fields = row.fields
        fields[3] = "X"
        #expect(throws: DatasetError.self) { try Seeker(fields: fields) }
        #expect(throws: DatasetError.self) { try Seeker(fields: Array(row.fields.dropLast())) }
    }

    // MARK: Rejected rows, one reason at a time

    @Test("an empty required field is missing_field", arguments: [
        "application_id", "name", "id_number", "sex", "birth_date", "phone", "district", "service_areas",
        "health_check", "applied_on",
    ])
    func missingField(_ column: String) throws {
        #expect(try seeker([column: ""]).findings == ["\(column): missing_field"])
        #expect(try seeker([column: " \u{3000} "]).findings == ["\(column): missing_field"])
    }

    @Test("a service-area list of separators only is missing_field")
    func emptyServiceList() throws {
        #expect(try seeker(["service_areas": ";、，"]).findings == ["service_areas: missing_field"])
    }

    @Test("too few or too many fields is column_count", arguments: [11, 13, 1, 0])
    func columnCount(_ count: Int) throws {
        var harness = try Harness<Seeker>()
        let fields = Seeker.columns.map { Sample.seeker[$0]! }
        let row: [String?] = count <= fields.count ? Array(fields.prefix(count)) : fields + Array(repeating: "x", count: count - fields.count)
        let outcome = harness.ingest(fields: row)
        #expect(outcome.findings == ["\(FieldProblem.wholeRow): column_count"])
        #expect(outcome.problems.first?.detail == "expected 12 fields, found \(count)")
    }

    @Test("a field that is not valid text is bad_encoding")
    func badEncoding() throws {
        var harness = try Harness<Seeker>()
        var fields: [String?] = Seeker.columns.map { Sample.seeker[$0]! }
        fields[1] = nil
        #expect(harness.ingest(fields: fields).findings == ["name: bad_encoding"])
        fields[5] = nil
        #expect(harness.ingest(fields: fields).findings == ["name: bad_encoding", "phone: bad_encoding"])
    }

    @Test("a nil field in a column the pipeline ignores is no problem")
    func badEncodingInExtraColumn() throws {
        var harness = try Harness<Seeker>(header: Seeker.columns + ["备注"])
        let fields: [String?] = Seeker.columns.map { Sample.seeker[$0]! } + [nil]
        #expect(harness.ingest(fields: fields).row != nil)
    }

    @Test("a malformed ID number is bad_id", arguments: [
        "33030219900101123", "3303021990010112355", "330302199O01011235", "33030219990230123X", "张三",
    ])
    func badID(_ text: String) throws {
        #expect(try seeker(["id_number": text]).findings == ["id_number: bad_id"])
    }

    @Test("a wrong check character is bad_id_check", arguments: ["330302199001011234", "33030219900101123X"])
    func badIDCheck(_ text: String) throws {
        #expect(try seeker(["id_number": text]).findings == ["id_number: bad_id_check"])
    }

    @Test("an impossible or malformed date is bad_date", arguments: [
        "2019-02-29", "2019-13-01", "2019-8", "19-08-29", "2019-08-29 10:00", "2019-08/29", "2019.08.01",
    ])
    func badDate(_ text: String) throws {
        #expect(try seeker(["applied_on": text]).findings == ["applied_on: bad_date"])
        #expect(try seeker(["health_checked_on": text]).findings == ["health_checked_on: bad_date"])
        #expect(try seeker(["birth_date": text]).findings == ["birth_date: bad_date"])
    }

    @Test("a phone that is not an 11-digit mainland mobile is bad_phone", arguments: [
        "1381234567", "138123456789", "23812345678", "12812345678", "138-1234-567a", "+1 138 1234 5678",
        "0577-88881234", "phone",
    ])
    func badPhone(_ text: String) throws {
        #expect(try seeker(["phone": text]).findings == ["phone: bad_phone"])
    }

    @Test("a + that does not introduce 86 is bad_phone, not silently dropped")
    func plusWithoutCountryCode86() throws {
        #expect(try seeker(["phone": "+1 381 234 5678"]).findings == ["phone: bad_phone"])
        #expect(try seeker(["phone": "+13812345678"]).findings == ["phone: bad_phone"])
    }

    @Test("a name with digits or symbols, or over 30 characters, is bad_name", arguments: [
        "张三1", "张三１", String(repeating: "张", count: 31), String(repeating: "a", count: 31), "=1+1",
        "<script>", "张三@home", "·", "-",
    ])
    func badName(_ text: String) throws {
        #expect(try seeker(["name": text]).findings == ["name: bad_name"])
    }

    @Test("a sex that is not M/F or 男/女 is bad_sex",
          arguments: ["X", "U", "男性", "unknown"])
    func badSex(_ text: String) throws {
        #expect(try seeker(["sex": text]).findings == ["sex: bad_sex"])
    }

    @Test("a sex that disagrees with the ID number is sex_mismatch", arguments: [
        ("F", IDs.male, "1990-01-01"), ("女", IDs.maleX, "1992-03-15"), ("M", IDs.female, "1985-06-15"),
        ("男", IDs.femaleLeapX, "2000-02-29"),
    ])
    func sexMismatch(_ sex: String, _ id: String, _ birth: String) throws {
        let outcome = try seeker(["sex": sex, "id_number": id, "birth_date": birth])
        #expect(outcome.findings == ["sex: sex_mismatch"])
    }

    @Test("a birth date that disagrees with the ID number is birth_mismatch", arguments: [
        "1990-01-02", "1991-01-01", "1990/2/1", "19890101",
    ])
    func birthMismatch(_ text: String) throws {
        let outcome = try seeker(["birth_date": text])
        #expect(outcome.findings == ["birth_date: birth_mismatch"])
        #expect(outcome.problems.first?.detail.contains("1990-01-01") == true)
    }

    @Test("a district outside the reference list is unknown_district", arguments: ["330304", "999999", "鹿城区"])
    func unknownDistrict(_ text: String) throws {
        #expect(try seeker(["district": text]).findings == ["district: unknown_district"])
    }

    @Test("a service area outside the catalog is unknown_service, naming the unknown code")
    func unknownService() throws {
        let outcome = try seeker(["service_areas": "cleaning;Gardening"])
        #expect(outcome.findings == ["service_areas: unknown_service"])
        #expect(outcome.problems.first?.detail.contains("gardening") == true)
        #expect(outcome.problems.first?.value == "cleaning;Gardening")
    }

    @Test("an institution outside the institutions extract is unknown_institution")
    func unknownInstitution() throws {
        #expect(try seeker(["institution_id": "WZJZ9999"]).findings == ["institution_id: unknown_institution"])
    }

    @Test("a health check that is not passed/failed/pending is bad_value", arguments: ["ok", "yes", "通过"])
    func badHealthCheck(_ text: String) throws {
        #expect(try seeker(["health_check": text]).findings == ["health_check: bad_value"])
    }

    @Test("an application id over 64 characters is too_long")
    func tooLong() throws {
        #expect(try seeker(["application_id": String(repeating: "A", count: 65)]).findings == ["application_id: too_long"])
        #expect(try seeker(["application_id": String(repeating: "A", count: 64)]).row != nil)
    }

    @Test("a repeated application_id is duplicate: the first is accepted, the second rejected")
    func duplicate() throws {
        var harness = try Harness<Seeker>()
        #expect(harness.ingest(Sample.seeker).row != nil)
        let second = harness.ingest(with(Sample.seeker, ["application_id": " A0001 ", "name": "李四"]))
        #expect(second.findings == ["application_id: duplicate"])
        #expect(second.problems.first?.value == "A0001")
        #expect(harness.ingest(with(Sample.seeker, ["application_id": "A0002"])).row != nil)
    }

    @Test("a rejected row does not claim its key")
    func rejectedRowKeepsNoKey() throws {
        var harness = try Harness<Seeker>()
        #expect(harness.ingest(with(Sample.seeker, ["phone": "bad"])).findings == ["phone: bad_phone"])
        #expect(harness.ingest(Sample.seeker).row != nil)
    }

    @Test("dated one day after as-of is after_as_of; the as-of day itself is accepted", arguments: [
        ["applied_on"], ["health_checked_on"], ["health_checked_on", "applied_on"],
    ])
    func afterAsOf(_ columns: [String]) throws {
        let late = Dictionary(uniqueKeysWithValues: columns.map { ($0, dayAfterAsOf.description) })
        #expect(try seeker(late).findings == columns.map { "\($0): after_as_of" })
        let onTheDay = Dictionary(uniqueKeysWithValues: columns.map { ($0, "2019年8月29日") })
        #expect(try seeker(onTheDay).row != nil)
    }

    @Test("a failed health check dated after as-of is after_as_of")
    func failedAfterAsOf() throws {
        let outcome = try seeker(["health_check": "failed", "health_checked_on": "20190830"])
        #expect(outcome.findings == ["health_checked_on: after_as_of"])
    }

    @Test("a pending health check with a date after as-of is kept (the contract names passed or failed checks)")
    func pendingAfterAsOf() throws {
        let outcome = try seeker(["health_check": "pending", "health_checked_on": "2019-09-05"])
        #expect(outcome.row != nil, "\(outcome.findings)")
    }

    @Test("a row with several problems reports all of them, in column order")
    func severalProblems() throws {
        let outcome = try seeker([
            "application_id": "", "name": "=1+1", "sex": "F", "phone": "12345", "district": "999999",
            "service_areas": "gardening", "institution_id": "WZJZ0002", "health_check": "maybe",
            "applied_on": "2019-09-01",
        ])
        #expect(outcome.findings == [
            "application_id: missing_field", "name: bad_name", "sex: sex_mismatch", "phone: bad_phone",
            "district: unknown_district", "service_areas: unknown_service", "institution_id: unknown_institution",
            "health_check: bad_value", "applied_on: after_as_of",
        ])
        #expect(outcome.problems.map(\.value) == ["", "=1+1", "F", "12345", "999999", "gardening", "WZJZ0002",
                                                  "maybe", "2019-09-01"])
    }

    @Test("a bad ID suppresses the checks that depend on it, but not the others")
    func badIDAndOthers() throws {
        let outcome = try seeker(["id_number": "330302199001011234", "sex": "F", "birth_date": "1980-01-01",
                                  "phone": "1"])
        #expect(outcome.findings == ["id_number: bad_id_check", "phone: bad_phone"])
    }
}
