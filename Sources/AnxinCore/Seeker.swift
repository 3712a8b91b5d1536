/// Sex as the ID number encodes it.
public enum Sex: String, Sendable, Hashable {
    case male = "M"
    case female = "F"
}

/// Outcome of the health check.
public enum HealthCheck: String, Sendable, Hashable {
    case passed, failed, pending
}

/// One registration of a job seeker (a person may register more than once).
public struct Seeker: IngestibleRow, Hashable {
    public var applicationID: String
    public var name: String
    public var idNumber: IDNumber
    public var sex: Sex
    public var birthDate: CivilDate
    public var phone: String
    public var district: String
    public var serviceAreas: [String]
    public var institutionID: String?
    public var healthCheck: HealthCheck
    public var healthCheckedOn: CivilDate?
    public var appliedOn: CivilDate

    /// A registration with nothing in it (no text to release), left where one was moved out
    /// (see `PersonFiles`).
    static let vacated = Seeker(applicationID: "", name: "", idNumber: IDNumber(trusted: ""), sex: .female,
                                birthDate: CivilDate(year: 2000, month: 1, day: 1)!, phone: "", district: "",
                                serviceAreas: [], institutionID: nil, healthCheck: .pending, healthCheckedOn: nil,
                                appliedOn: CivilDate(year: 2000, month: 1, day: 1)!)

    /// A registration with every field given.
    public init(applicationID: String, name: String, idNumber: IDNumber, sex: Sex, birthDate: CivilDate,
                phone: String, district: String, serviceAreas: [String], institutionID: String?,
                healthCheck: HealthCheck, healthCheckedOn: CivilDate?, appliedOn: CivilDate) {
        self.applicationID = applicationID
        self.name = name
        self.idNumber = idNumber
        self.sex = sex
        self.birthDate = birthDate
        self.phone = phone
        self.district = district
        self.serviceAreas = serviceAreas
        self.institutionID = institutionID
        self.healthCheck = healthCheck
        self.healthCheckedOn = healthCheckedOn
        self.appliedOn = appliedOn
    }

    public static let kind = InputKind.seekers
    public static let columns = [
        "application_id", "name", "id_number", "sex", "birth_date", "phone", "district",
        "service_areas", "institution_id", "health_check", "health_checked_on", "applied_on",
    ]

    public var uniqueKey: String? { applicationID }

    public var fields: [String] {
        [applicationID, name, idNumber.value, sex.rawValue, birthDate.description, phone, district,
         serviceAreas.joined(separator: ";"), institutionID ?? "", healthCheck.rawValue,
         healthCheckedOn?.description ?? "", appliedOn.description]
    }

    public init(fields f: [String]) throws(DatasetError) {
        try Decode.check(f, Self.columns)
        self.init(applicationID: f[0], name: f[1], idNumber: IDNumber(trusted: f[2]),
                  sex: try Decode.enumValue("sex", f[3]), birthDate: try Decode.date("birth_date", f[4]),
                  phone: f[5], district: f[6],
                  serviceAreas: Text.list(f[7]),
                  institutionID: f[8].isEmpty ? nil : f[8],
                  healthCheck: try Decode.enumValue("health_check", f[9]),
                  healthCheckedOn: try Decode.optionalDate("health_checked_on", f[10]),
                  appliedOn: try Decode.date("applied_on", f[11]))
    }

    public init<Fields: DatasetFields>(row f: Fields) throws(DatasetError) {
        try f.check(Self.columns)
        self.init(applicationID: f.text(0), name: f.text(1), idNumber: IDNumber(trusted: f.text(2)),
                  sex: try Decode.enumValue("sex", f.text(3)), birthDate: try f.date("birth_date", 4),
                  phone: f.text(5), district: f.text(6),
                  serviceAreas: f.list(7),
                  institutionID: f.bytes(8).isEmpty ? nil : f.text(8),
                  healthCheck: try Decode.enumValue("health_check", f.text(9)),
                  healthCheckedOn: try f.optionalDate("health_checked_on", 10),
                  appliedOn: try f.date("applied_on", 11))
    }

    static let sexes: [String: Sex] = ["m": .male, "f": .female, "男": .male, "女": .female,
                                       "male": .male, "female": .female]
    static let healthChecks: [String: HealthCheck] = [
        "passed": .passed, "failed": .failed, "pending": .pending,
        "合格": .passed, "不合格": .failed, "待检": .pending,
    ]

    public static func parse(_ c: inout FieldCursor, rules: IngestRules) -> Seeker? {
        let applicationID = c.text(0, maxLength: 64)
        let name = PersonName.validate(&c, 1)
        let id = c.idNumber(2)
        var sex: Sex?
        let sexText = c.text(3)
        if !sexText.isEmpty {
            sex = sexes[Text.code(sexText)]
            if sex == nil { c.fail(3, .badSex) }
            if let sex, let id, (sex == .male) != id.isMale {
                c.fail(3, .sexMismatch, "the ID number says \(id.isMale ? "M" : "F")")
            }
        }
        let birth = c.date(4)
        if let birth, let id, let idBirth = id.birthDate, birth != idBirth {
            c.fail(4, .birthMismatch, "the ID number says \(idBirth)")
        }
        let phone = Phone.validate(&c, 5)
        let district = c.code(6, in: rules.districts, reason: .unknownDistrict)
        let areas = ServiceAreas.validate(&c, 7, known: rules.services)
        let institutionText = c.text(8, required: false, maxLength: 64)
        var institution: String?
        if !institutionText.isEmpty {
            institution = FieldCursor.institutionID(institutionText)
            if let known = rules.institutions, !known.contains(institution!) {
                c.fail(8, .unknownInstitution)
            }
        }
        let health = c.choice(9, healthChecks, expected: "passed, failed or pending")
        // A pending check has no result yet, so only a passed or failed one can be "after as-of".
        let decided = health == .passed || health == .failed
        let checkedOn = c.date(10, required: decided, notAfter: decided ? rules.asOf : nil)
        let appliedOn = c.date(11, notAfter: rules.asOf)
        guard c.problems.isEmpty, let name, let id, let sex, let birth, let phone, let district,
              let areas, let health, let appliedOn else { return nil }
        return Seeker(applicationID: applicationID, name: name, idNumber: id, sex: sex, birthDate: birth,
                      phone: phone, district: district, serviceAreas: areas, institutionID: institution,
                      healthCheck: health, healthCheckedOn: checkedOn, appliedOn: appliedOn)
    }
}

/// Rules for personal names.
public enum PersonName {
    /// Letters a name may hold: Chinese characters and Latin letters, with the spaces,
    /// middle dots, hyphens and apostrophes of transliterated names.
    public static func isAllowed(_ s: Unicode.Scalar) -> Bool {
        switch s.value {
        case 0x41...0x5A, 0x61...0x7A: return true
        case 0xC0...0x24F: return s.value != 0xD7 && s.value != 0xF7
        case 0x3400...0x4DBF, 0x4E00...0x9FFF, 0xF900...0xFAFF, 0x20000...0x3134F: return true
        case 0x20, 0x2D, 0x27, 0x2E: return true
        default: return Text.isMiddleDot(s)
        }
    }

    /// The letters among the allowed characters (not spaces or punctuation).
    static func isLetter(_ s: Unicode.Scalar) -> Bool {
        switch s.value {
        case 0x20, 0x2D, 0x27, 0x2E: return false
        default: return !Text.isMiddleDot(s)
        }
    }

    /// Validates field `i` as a name: trimmed, full-width folded, 1-30 characters.
    public static func validate(_ c: inout FieldCursor, _ i: Int) -> String? {
        let t = Text.foldFullWidth(c.text(i, maxLength: 1000))
        if t.isEmpty { return nil }
        var count = 0
        var letters = 0
        var allowed = true
        for s in t.unicodeScalars {
            count += 1
            if !isAllowed(s) { allowed = false; break }
            if isLetter(s) { letters += 1 }
        }
        guard allowed, count <= 30, letters > 0 else {
            c.fail(i, .badName)
            return nil
        }
        return t
    }
}

/// Rules for mainland mobile numbers.
public enum Phone {
    /// Validates field `i`: 11 digits starting 13-19, after dropping spaces, hyphens and a +86 prefix.
    public static func validate(_ c: inout FieldCursor, _ i: Int) -> String? {
        let t = c.text(i)
        if t.isEmpty { return nil }
        var digits = Array(Text.foldFullWidth(t).utf8.filter { $0 != 0x20 && $0 != 0x2D })
        let plus = digits.first == 0x2B
        if plus { digits.removeFirst() }
        // A country code is 86, written +86 or 86; a + before anything else is not a mainland number.
        if digits.count == 13 && digits[0] == 0x38 && digits[1] == 0x36 {
            digits.removeFirst(2)
        } else if plus {
            digits = []
        }
        guard digits.count == 11, digits.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }),
              digits[0] == 0x31, digits[1] >= 0x33 else {
            c.fail(i, .badPhone)
            return nil
        }
        return String(decoding: digits, as: UTF8.self)
    }
}

/// Rules for `;`-separated service-area lists.
public enum ServiceAreas {
    /// Validates field `i`: at least one code, every code in the catalog; duplicates dropped.
    public static func validate(_ c: inout FieldCursor, _ i: Int, known: Set<String>) -> [String]? {
        let t = c.text(i, maxLength: 2000)
        if t.isEmpty { return nil }
        var codes: [String] = []
        var unknown: [String] = []
        // Split on bytes: `;` and `,` (full-width forms are folded first) and `、` (E3 80 81).
        Text.withBytes(Text.foldFullWidth(t)) { b in
            var start = 0
            var i = 0
            while i <= b.count {
                var separator = 0
                if i == b.count || b[i] == 0x3B || b[i] == 0x2C {
                    separator = 1
                } else if b[i] == 0xE3, i + 2 < b.count, b[i + 1] == 0x80, b[i + 2] == 0x81 {
                    separator = 3
                }
                if separator == 0 { i += 1; continue }
                let code = Text.code(String(decoding: UnsafeBufferPointer(rebasing: b[start..<i]), as: UTF8.self))
                if !code.isEmpty {
                    if !known.contains(code) { unknown.append(code) } else if !codes.contains(code) { codes.append(code) }
                }
                i += separator
                start = i
            }
        }
        if !unknown.isEmpty {
            c.fail(i, .unknownService, "not in the service catalog: \(unknown.joined(separator: ", "))")
            return nil
        }
        if codes.isEmpty {
            c.fail(i, .missingField)
            return nil
        }
        return codes
    }
}
