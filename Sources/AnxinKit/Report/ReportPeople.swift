import AnxinCore
import CSV

/// What the report needs of `persons.csv`, from one pass over it: the funnel, tallies per
/// district and service area, and the people the Screening, Review and Pending sheets list.
/// Card holders, most of a city, are counted but not kept.
struct ReportPeople: Sendable {
    /// A person as the sheets about people need them.
    struct Person: Sendable {
        var idNumber: String
        var name: String
        var district: String
        var institutionID: String
        var reasons: [String]
        var healthCheckedOn: AnxinCore.CivilDate?
    }

    /// People per status in one district (or in all).
    struct Tally: Sendable {
        var people = 0, screened = 0, review = 0, pending = 0, card = 0
    }

    /// People per service area.
    struct AreaTally: Sendable {
        var registered = 0, screened = 0, qualified = 0
    }

    var registrations = 0
    var tally = Tally()
    var byDistrict: [String: Tally] = [:]
    var byArea: [String: AreaTally] = [:]
    var screened: [Person] = []
    var review: [Person] = []
    var pending: [Person] = []

    /// Reads `<work>/screen/persons.csv`.
    ///
    /// Fields are taken straight from the records, without building each person's whole file:
    /// this pass meets every person of the city.
    static func read(_ config: Configuration) throws(PipelineError) -> ReportPeople {
        var people = ReportPeople()
        // PersonResult.columns, by position.
        let (id, name, district, registered, qualified, institution, healthOn, count, status, reasons) =
            (0, 1, 6, 7, 8, 9, 11, 13, 14, 15)
        let path = ScreenStage.directory(config) + "/persons.csv"
        try Dataset.forEachRecord(at: path, columns: PersonResult.columns) { r in
            guard r.count == PersonResult.columns.count, let n = Int(r.lossyString(count)),
                  let first = r.bytes(status).first else {
                throw DatasetError("expected the \(PersonResult.columns.count) fields of a person")
            }
            people.registrations += n
            people.tally.people += 1
            let districtCode = r.lossyString(district)
            var d = people.byDistrict[districtCode] ?? Tally()
            d.people += 1
            let areas = codes(r, registered)
            for area in areas { people.byArea[area, default: AreaTally()].registered += 1 }
            func person() -> Person {
                Person(idNumber: r.lossyString(id), name: CSVWriter.restore(r.lossyString(name)), district: districtCode,
                       institutionID: CSVWriter.restore(r.lossyString(institution)), reasons: codes(r, reasons),
                       healthCheckedOn: AnxinCore.CivilDate.parse(r.lossyString(healthOn)))
            }
            switch first {
            case UInt8(ascii: "c"):  // card
                people.tally.card += 1
                d.card += 1
                for area in codes(r, qualified) { people.byArea[area, default: AreaTally()].qualified += 1 }
            case UInt8(ascii: "s"):  // screened
                people.tally.screened += 1
                d.screened += 1
                for area in areas { people.byArea[area, default: AreaTally()].screened += 1 }
                people.screened.append(person())
            case UInt8(ascii: "r"):  // review
                people.tally.review += 1
                d.review += 1
                people.review.append(person())
            case UInt8(ascii: "p"):  // pending
                people.tally.pending += 1
                d.pending += 1
                people.pending.append(person())
            default:
                throw DatasetError("column status holds \"\(r.lossyString(status))\", which this pipeline never writes")
            }
            people.byDistrict[districtCode] = d
        }
        return people
    }

    /// The `;`-separated codes of a field, split on its bytes.
    private static func codes(_ r: CSVRecord, _ field: Int) -> [String] {
        let bytes = r.bytes(field)
        guard !bytes.isEmpty else { return [] }
        var out: [String] = []
        var start = bytes.startIndex
        for i in bytes.indices where bytes[i] == UInt8(ascii: ";") {
            if i > start { out.append(String(decoding: bytes[start..<i], as: UTF8.self)) }
            start = i + 1
        }
        if start < bytes.endIndex { out.append(String(decoding: bytes[start...], as: UTF8.self)) }
        return out
    }
}
