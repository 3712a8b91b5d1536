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
    /// this pass meets every person of the city. District and area codes are counted by their
    /// bytes (a few codes recur a million times) and named once per piece.
    /// The file is read in pieces on every core, each piece's people added up in file order.
    static func read(_ config: Configuration, minimumPieceBytes: Int = Dataset.pieceBytes) throws(PipelineError) -> ReportPeople {
        let path = ScreenStage.directory(config) + "/persons.csv"
        let parts = try Dataset.mapPieces(at: path, columns: PersonResult.columns, minimumPieceBytes: minimumPieceBytes) {
            (piece) throws(PipelineError) -> ReportPeople in try read(piece)
        }
        var people = parts[0]
        for part in parts.dropFirst() { people.add(part) }
        return people
    }

    /// The people of one piece of `persons.csv`.
    private static func read(_ piece: Dataset.Piece) throws(PipelineError) -> ReportPeople {
        var people = ReportPeople()
        // PersonResult.columns, by position.
        let (id, name, district, registered, qualified, institution, healthOn, count, status, reasons) =
            (0, 1, 6, 7, 8, 9, 11, 13, 14, 15)
        var districts = CodeIndex()
        var districtTallies: [Tally] = []
        var areas = CodeIndex()
        var areaTallies: [AreaTally] = []
        var personAreas: [Int] = []
        try piece.forEach { row in
            let r = Fields(row: row)  // the reader's bytes, lent: no copy of a million rows
            guard r.count == PersonResult.columns.count, let n = number(r.bytes(count)) ?? Int(r.lossyString(count)),
                  let first = r.bytes(status).first else {
                throw DatasetError("expected the \(PersonResult.columns.count) fields of a person")
            }
            people.registrations += n
            people.tally.people += 1
            let d = districts.index(of: r.bytes(district)) { districtTallies.append(Tally()) }
            districtTallies[d].people += 1
            personAreas.removeAll(keepingCapacity: true)
            forEachCode(r.bytes(registered)) { code in
                let a = areas.index(of: code) { areaTallies.append(AreaTally()) }
                areaTallies[a].registered += 1
                personAreas.append(a)
            }
            func person() -> Person {
                Person(idNumber: r.lossyString(id), name: CSVWriter.restore(r.lossyString(name)), district: r.lossyString(district),
                       institutionID: CSVWriter.restore(r.lossyString(institution)), reasons: codes(r, reasons),
                       healthCheckedOn: AnxinCore.CivilDate.parse(r.lossyString(healthOn)))
            }
            switch first {
            case UInt8(ascii: "c"):  // card
                people.tally.card += 1
                districtTallies[d].card += 1
                forEachCode(r.bytes(qualified)) { code in
                    areaTallies[areas.index(of: code) { areaTallies.append(AreaTally()) }].qualified += 1
                }
            case UInt8(ascii: "s"):  // screened
                people.tally.screened += 1
                districtTallies[d].screened += 1
                for a in personAreas { areaTallies[a].screened += 1 }
                people.screened.append(person())
            case UInt8(ascii: "r"):  // review
                people.tally.review += 1
                districtTallies[d].review += 1
                people.review.append(person())
            case UInt8(ascii: "p"):  // pending
                people.tally.pending += 1
                districtTallies[d].pending += 1
                people.pending.append(person())
            default:
                throw DatasetError("column status holds \"\(r.lossyString(status))\", which this pipeline never writes")
            }
        }
        // Codes whose bytes differ but read the same (invalid UTF-8) count together, as text.
        for (i, code) in districts.codes.enumerated() {
            let t = districtTallies[i]
            people.byDistrict[String(decoding: code, as: UTF8.self), default: Tally()].add(t)
        }
        for (i, code) in areas.codes.enumerated() {
            let t = areaTallies[i]
            people.byArea[String(decoding: code, as: UTF8.self), default: AreaTally()].add(t)
        }
        return people
    }

    /// Adds the people of a later piece of the file.
    mutating func add(_ other: ReportPeople) {
        registrations += other.registrations
        tally.add(other.tally)
        for (code, t) in other.byDistrict { byDistrict[code, default: Tally()].add(t) }
        for (code, t) in other.byArea { byArea[code, default: AreaTally()].add(t) }
        screened += other.screened
        review += other.review
        pending += other.pending
    }

    /// The value of a field of ASCII digits (at most 18), or nil for anything else.
    private static func number(_ bytes: UnsafeBufferPointer<UInt8>) -> Int? {
        guard !bytes.isEmpty, bytes.count <= 18 else { return nil }
        var n = 0
        for b in bytes {
            guard b >= UInt8(ascii: "0") && b <= UInt8(ascii: "9") else { return nil }
            n = n * 10 + Int(b - UInt8(ascii: "0"))
        }
        return n
    }

    /// Calls `body` with the bytes of each non-empty `;`-separated code of a field.
    private static func forEachCode(_ bytes: UnsafeBufferPointer<UInt8>, _ body: (UnsafeBufferPointer<UInt8>) -> Void) {
        var start = 0
        for i in bytes.indices where bytes[i] == UInt8(ascii: ";") {
            if i > start { body(UnsafeBufferPointer(rebasing: bytes[start..<i])) }
            start = i + 1
        }
        if start < bytes.count { body(UnsafeBufferPointer(rebasing: bytes[start...])) }
    }

    /// The fields of a row of `persons.csv`, as the reader lends them.
    private struct Fields {
        let row: CSVRow
        var count: Int { row.count }
        func bytes(_ i: Int) -> UnsafeBufferPointer<UInt8> { row.field(i) }
        func lossyString(_ i: Int) -> String { String(decoding: row.field(i), as: UTF8.self) }
    }

    /// The `;`-separated codes of a field, split on its bytes.
    private static func codes(_ r: Fields, _ field: Int) -> [String] {
        var out: [String] = []
        forEachCode(r.bytes(field)) { out.append(String(decoding: $0, as: UTF8.self)) }
        return out
    }
}

/// Codes by their bytes, each with a number in the order first seen.
private struct CodeIndex {
    private(set) var codes: [[UInt8]] = []
    /// Past a few dozen codes a lookup by hash beats a look along the list.
    private var byBytes: [[UInt8]: Int] = [:]

    /// The number of `code`; a code not seen before gets the next one, and `added` runs.
    mutating func index(of code: UnsafeBufferPointer<UInt8>, added: () -> Void) -> Int {
        if codes.count <= 32 {
            for (i, known) in codes.enumerated() where known.count == code.count && known.elementsEqual(code) { return i }
        } else if let i = byBytes[Array(code)] {
            return i
        }
        codes.append(Array(code))
        byBytes[Array(code)] = codes.count - 1
        added()
        return codes.count - 1
    }
}

extension ReportPeople.Tally {
    mutating func add(_ t: Self) {
        people += t.people
        screened += t.screened
        review += t.review
        pending += t.pending
        card += t.card
    }
}

extension ReportPeople.AreaTally {
    mutating func add(_ t: Self) {
        registered += t.registered
        screened += t.screened
        qualified += t.qualified
    }
}
