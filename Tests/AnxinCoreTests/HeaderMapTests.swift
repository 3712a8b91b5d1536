import Testing
@testable import AnxinCore

@Suite("HeaderMap")
struct HeaderMapTests {
    /// The aliases a Wenzhou intake office's seekers extract needs.
    static let chineseAliases: [String: String] = [
        "申请编号": "application_id", "姓名": "name", "身份证号码": "id_number", "性别": "sex",
        "出生日期": "birth_date", "手机号码": "phone", "所属区县": "district", "服务类别": "service_areas",
        "所属机构": "institution_id", "体检结果": "health_check", "体检日期": "health_checked_on",
        "申请日期": "applied_on",
    ]
    static let chineseHeader = [
        "申请编号", "姓名", "身份证号码", "性别", "出生日期", "手机号码", "所属区县", "服务类别",
        "所属机构", "体检结果", "体检日期", "申请日期",
    ]

    @Test("a header of canonical names maps in order", arguments: InputKind.allCases)
    func canonicalHeader(_ kind: InputKind) throws {
        let map = try HeaderMap.make(header: kind.columns, kind: kind, aliases: [:]).get()
        #expect(map.indices == kind.columns.indices.map { $0 })
        #expect(map.headers == kind.columns)
        #expect(map.extra.isEmpty)
        #expect(map.width == kind.columns.count)
    }

    @Test("columns may come in any order")
    func anyOrder() throws {
        let header = Array(Seeker.columns.reversed())
        let map = try HeaderMap.make(header: header, kind: .seekers, aliases: [:]).get()
        #expect(map.indices == Seeker.columns.indices.map { Seeker.columns.count - 1 - $0 })
    }

    @Test("Chinese headers map through aliases, and keep their own text")
    func chineseAliasesMap() throws {
        let map = try HeaderMap.make(header: Self.chineseHeader, kind: .seekers, aliases: Self.chineseAliases).get()
        #expect(map.indices == Seeker.columns.indices.map { $0 })
        #expect(map.headers == Self.chineseHeader)
        #expect(map.extra.isEmpty)
    }

    @Test("a row read through Chinese headers in another order lands in the right fields")
    func chineseHeaderIngest() throws {
        let header = ["备注"] + Self.chineseHeader.reversed()
        var harness = try Harness<Seeker>(header: header, aliases: Self.chineseAliases)
        let byChinese = Dictionary(uniqueKeysWithValues: zip(Self.chineseHeader, Seeker.columns.map { Sample.seeker[$0]! }))
        let fields: [String?] = ["一些备注"] + Self.chineseHeader.reversed().map { byChinese[$0] }
        let outcome = harness.ingest(fields: fields)
        let row = try #require(outcome.row, "\(outcome.findings)")
        #expect(row.applicationID == "A0001")
        #expect(row.name == "张三")
        #expect(row.idNumber.value == IDs.male)
        #expect(row.phone == "13812345678")
        #expect(row.appliedOn == day(2019, 8, 1))
    }

    @Test("matching ignores case, width and surrounding spaces", arguments: [
        "name", "NAME", "Name", "Ｎａｍｅ", "ＮＡＭＥ", "  name  ", "\u{3000}name\u{3000}", "\u{FEFF}name",
    ])
    func caseAndWidthInsensitive(_ nameHeader: String) throws {
        var header = Seeker.columns
        header[1] = nameHeader
        let map = try HeaderMap.make(header: header, kind: .seekers, aliases: [:]).get()
        #expect(map.indices[1] == 1)
        #expect(map.extra.isEmpty)
        #expect(map.headers[1] == Text.trim(nameHeader))
    }

    @Test("alias keys match ignoring case, width and spaces too", arguments: [
        "Phone No", "PHONE NO", "phone no", "ｐｈｏｎｅ ｎｏ", " Phone No\u{3000}",
    ])
    func aliasKeysFolded(_ phoneHeader: String) throws {
        var header = Seeker.columns
        header[5] = phoneHeader
        let map = try HeaderMap.make(header: header, kind: .seekers, aliases: ["Phone No": "phone"]).get()
        #expect(map.indices[5] == 5)
        #expect(map.extra.isEmpty)
    }

    @Test("columns that map to nothing are listed as extra, in file order")
    func extraColumns() throws {
        let header = ["备注"] + TrainingResult.columns + ["operator", "录入时间"]
        let map = try HeaderMap.make(header: header, kind: .training, aliases: [:]).get()
        #expect(map.extra == ["备注", "operator", "录入时间"])
        #expect(map.indices == TrainingResult.columns.indices.map { $0 + 1 })
        #expect(map.width == header.count)
    }

    @Test("missing required columns are named, in canonical order")
    func missingColumns() {
        let header = Seeker.columns.filter { $0 != "phone" && $0 != "district" }
        #expect(HeaderMap.make(header: header, kind: .seekers, aliases: [:]) == .failure(.missing(["phone", "district"])))
        let training = TrainingResult.columns.filter { $0 != "hours" }
        #expect(HeaderMap.make(header: training, kind: .training, aliases: [:]) == .failure(.missing(["hours"])))
        #expect(HeaderMap.make(header: [], kind: .evaluations, aliases: [:]) == .failure(.missing(Evaluation.columns)))
    }

    @Test("optional columns may be absent", arguments: [
        (InputKind.seekers, ["institution_id"]),
        (InputKind.policeRecords, ["birth_date", "sentence_end"]),
        (InputKind.reviewDecisions, ["note"]),
    ])
    func optionalColumns(_ kind: InputKind, _ absent: [String]) throws {
        let header = kind.columns.filter { !absent.contains($0) }
        let map = try HeaderMap.make(header: header, kind: kind, aliases: [:]).get()
        for column in absent {
            let i = kind.columns.firstIndex(of: column)!
            #expect(map.indices[i] == nil)
            #expect(map.headers[i] == column)
        }
        #expect(map.width == header.count)
    }

    @Test("a seeker without an institution_id column is accepted as an independent worker")
    func seekerWithoutInstitutionColumn() throws {
        var harness = try Harness<Seeker>(header: Seeker.columns.filter { $0 != "institution_id" })
        let outcome = harness.ingest(Sample.seeker)
        let row = try #require(outcome.row, "\(outcome.findings)")
        #expect(row.institutionID == nil)
    }

    @Test("optional columns are optional only for their own input")
    func optionalOnlyWhereNamed() {
        // birth_date is optional for police records, not for seekers.
        let header = Seeker.columns.filter { $0 != "birth_date" }
        #expect(HeaderMap.make(header: header, kind: .seekers, aliases: [:]) == .failure(.missing(["birth_date"])))
    }

    @Test("two headers for one column are an error", arguments: [
        ["name", "姓名"], ["name", "NAME"], ["姓名", "名字"],
    ])
    func ambiguous(_ twoNames: [String]) {
        var header = Seeker.columns.filter { $0 != "name" }
        header.insert(twoNames[0], at: 1)
        header.append(twoNames[1])
        let result = HeaderMap.make(header: header, kind: .seekers, aliases: ["姓名": "name", "名字": "name"])
        #expect(result == .failure(.ambiguous(column: "name", headers: twoNames)))
    }
}

