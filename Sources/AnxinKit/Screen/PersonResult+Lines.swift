import AnxinCore
import CSV

/// The screening's two big datasets, a line per person, made straight into bytes: a city's
/// million people would otherwise make sixteen strings each.
extension PersonResult {
    /// Appends `fields` (a line of `persons.csv`), in its order, as the same bytes.
    func appendFields(to line: inout CSVLines) {
        line.field(person.idNumber.value)
        line.field(person.name)
        line.field(person.sex.rawValue)
        person.birthDate.withUTF8 { line.field(utf8: $0) }
        line.field(age)
        line.field(person.phone)
        line.field(person.district)
        line.field(joining: person.registeredAreas, separator: UInt8(ascii: ";"))
        line.field(joining: qualifiedAreas, separator: UInt8(ascii: ";"))
        line.field(person.institutionID ?? "")
        line.field(person.healthCheck.rawValue)
        if let checked = person.healthCheckedOn { checked.withUTF8 { line.field(utf8: $0) } } else { line.field("") }
        person.appliedOn.withUTF8 { line.field(utf8: $0) }
        line.field(person.registrations)
        line.field(status.rawValue)
        line.field(joining: reasons, separator: UInt8(ascii: ";"))
    }

    /// Appends a line of `people.csv` (`ScreenStage.peopleColumns`): ID number, name, status,
    /// reasons, the service areas of passed courses and institution.
    func appendPeopleFields(to line: inout CSVLines) {
        line.field(person.idNumber.value)
        line.field(person.name)
        line.field(status.rawValue)
        line.field(joining: reasons, separator: UInt8(ascii: ";"))
        line.field(joining: qualifiedAreas, separator: UInt8(ascii: ";"))
        line.field(person.institutionID ?? "")
    }
}
