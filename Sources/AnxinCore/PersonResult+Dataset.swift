/// `persons.csv`: each person's merged file with the screening result, for later stages.
extension PersonResult: DatasetRow {
    public static let columns = [
        "id_number", "name", "sex", "birth_date", "age", "phone", "district", "registered_areas",
        "qualified_areas", "institution_id", "health_check", "health_checked_on", "applied_on",
        "registrations", "status", "reasons",
    ]

    public var fields: [String] {
        let p = person
        return [p.idNumber.value, p.name, p.sex.rawValue, p.birthDate.description, String(age), p.phone, p.district,
                p.registeredAreas.joined(separator: ";"), qualifiedAreas.joined(separator: ";"), p.institutionID ?? "",
                p.healthCheck.rawValue, p.healthCheckedOn?.description ?? "", p.appliedOn.description,
                String(p.registrations), status.rawValue, reasons.joined(separator: ";")]
    }

    public init(fields f: [String]) throws(DatasetError) {
        try Decode.check(f, Self.columns)
        let list: (String) -> [String] = Text.list
        let seeker = Seeker(applicationID: "", name: f[1], idNumber: IDNumber(trusted: f[0]),
                            sex: try Decode.enumValue("sex", f[2]), birthDate: try Decode.date("birth_date", f[3]),
                            phone: f[5], district: f[6], serviceAreas: list(f[7]),
                            institutionID: f[9].isEmpty ? nil : f[9],
                            healthCheck: try Decode.enumValue("health_check", f[10]),
                            healthCheckedOn: try Decode.optionalDate("health_checked_on", f[11]),
                            appliedOn: try Decode.date("applied_on", f[12]))
        var person = Person(seeker)
        person.registrations = try Decode.int("registrations", f[13])
        self.init(person: person, status: try Decode.enumValue("status", f[14]), reasons: list(f[15]),
                  qualifiedAreas: list(f[8]), age: try Decode.int("age", f[4]))
    }
}
