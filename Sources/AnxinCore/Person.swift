/// One person, one file: every registration of one ID number merged.
public struct Person: Sendable, Hashable {
    public var idNumber: IDNumber
    /// Fields of the latest registration (latest `applied_on`, then the larger application id).
    public var name: String
    public var sex: Sex
    public var birthDate: CivilDate
    public var phone: String
    public var district: String
    /// Service areas of all registrations, united, in first-seen order.
    public var registeredAreas: [String]
    public var institutionID: String?
    public var healthCheck: HealthCheck
    public var healthCheckedOn: CivilDate?
    public var appliedOn: CivilDate
    /// How many registrations were merged.
    public var registrations: Int

    /// A person with nothing in it (no text to release), the value a person's place in an
    /// array is given before a person is moved into it or after one is moved out of it (see
    /// `PersonFiles` and `screen`).
    static let vacated = Person(idNumber: Seeker.vacated.idNumber, name: "", sex: Seeker.vacated.sex,
                                birthDate: Seeker.vacated.birthDate, phone: "", district: "", registeredAreas: [],
                                institutionID: nil, healthCheck: Seeker.vacated.healthCheck, healthCheckedOn: nil,
                                appliedOn: Seeker.vacated.appliedOn, registrations: 1)

    /// Makes this person the one `Person(s)` makes, its fields moved out of `s` (each swapped
    /// with this person's, which are expected empty: see `vacated`) rather than copied.
    mutating func take(from s: inout Seeker) {
        swap(&idNumber, &s.idNumber)
        swap(&name, &s.name)
        swap(&phone, &s.phone)
        swap(&district, &s.district)
        swap(&registeredAreas, &s.serviceAreas)
        swap(&institutionID, &s.institutionID)
        sex = s.sex
        birthDate = s.birthDate
        healthCheck = s.healthCheck
        healthCheckedOn = s.healthCheckedOn
        appliedOn = s.appliedOn
        registrations = 1
    }
}

extension Person {
    /// A person from one registration (declared here, not in the type, so that the type keeps
    /// its memberwise initializer for `vacated`).
    public init(_ s: Seeker) {
        self = Person.vacated
        var s = s
        take(from: &s)
    }
}

/// Two registrations of one ID number under different names: reported, never silently picked.
public struct NameConflict: Sendable, Hashable {
    /// The ID number.
    public var idNumber: IDNumber
    /// Each registration's application id and name, in file order.
    public var registrations: [(applicationID: String, name: String)]
    /// The name the person's file carries (that of the latest registration).
    public var chosenName: String

    public static func == (a: NameConflict, b: NameConflict) -> Bool {
        a.idNumber == b.idNumber && a.chosenName == b.chosenName
            && a.registrations.map(\.applicationID) == b.registrations.map(\.applicationID)
            && a.registrations.map(\.name) == b.registrations.map(\.name)
    }

    public func hash(into h: inout Hasher) {
        h.combine(idNumber)
        for r in registrations { h.combine(r.applicationID); h.combine(r.name) }
    }
}

/// Merges registrations into people.
public struct PersonFiles: Sendable {
    /// People, in order of ID number.
    public var people: [Person]
    /// IDs registered under more than one name.
    public var conflicts: [NameConflict]
    /// Registrations read.
    public var registrations: Int

    /// Groups `seekers` by normalized ID number; `plan` says how the work is cut over the cores
    /// (the result does not depend on it). The registrations are taken apart into the people:
    /// each person's text is moved out of the registration it comes from, not copied (a copy
    /// of a million registrations' text, and the release of the originals after it, touched
    /// every string twice more).
    public init(_ seekers: consuming [Seeker], plan: Parallel.Plan = .standard) {
        // Sort registrations by ID number (file order within one number) and merge each run of
        // equal numbers: no hash table, and the people come out in ID order. Keys and people
        // are made in pieces on every core.
        var taken = consume seekers  // held here alone: taking from it copies nothing (a caller that keeps its own copy gets one)
        let pieces = Parallel.pieces(of: taken.indices, plan)
        let sortedPieces = Parallel.map(parts: pieces.count) { [taken] i in
            var keys = pieces[i].map { (key: taken[$0].idNumber.sortKey, index: $0) }
            keys.sort { $0.key != $1.key ? $0.key < $1.key : $0.index < $1.index }
            return keys
        }
        let order = PersonFiles.mergeSorted(sortedPieces)
        // Pieces end where an ID number ends, so no person is split between two; each piece
        // knows where its people start.
        let bounds = [0] + Parallel.pieces(of: order.indices, plan).dropFirst().map { piece in
            var b = piece.lowerBound
            while b < order.count && order[b].key == order[b - 1].key { b += 1 }
            return b
        } + [order.count]
        var firstPerson = [0]
        for i in 0..<(bounds.count - 1) {
            var n = 0
            for j in bounds[i]..<bounds[i + 1] where j == 0 || order[j].key != order[j - 1].key { n += 1 }
            firstPerson.append(firstPerson[i] + n)
        }
        let ranges = (0..<(bounds.count - 1)).map { firstPerson[$0]..<firstPerson[$0 + 1] }
        registrations = taken.count
        (people, conflicts) = taken.withUnsafeMutableBufferPointer { buffer in
            let registrations = Parallel.Source(buffer)
            let (people, found) = Parallel.build(count: firstPerson.last!, ranges: ranges) { i, out in
                PersonFiles.merge(order[bounds[i]..<bounds[i + 1]], taking: registrations, into: out, from: ranges[i].lowerBound)
            }
            return (people, found.flatMap { $0 })
        }
    }

    /// Sets, as element `slot` of `out`, the person of the registration at `index` alone:
    /// what `Person(_:)` makes of it, its fields moved out of the registration rather than
    /// copied. (They are swapped into an empty person set there first: a person made elsewhere
    /// and then set there was copied, its text retained, and the original released.)
    private static func person(of index: Int, in seekers: Parallel.Source<Seeker>,
                               into out: Parallel.Output<Person>, at slot: Int) {
        out.set(slot, Person.vacated)
        out.change(slot) { p in seekers.change(index) { s in p.take(from: &s) } }
    }

    /// Pieces sorted by (key, index), merged into one such order; on equal keys the earlier
    /// piece (the smaller indices) comes first.
    private static func mergeSorted(_ pieces: [[(key: UInt64, index: Int)]]) -> [(key: UInt64, index: Int)] {
        guard pieces.count > 1 else { return pieces.first ?? [] }
        var merged: [(key: UInt64, index: Int)] = []
        merged.reserveCapacity(pieces.reduce(0) { $0 + $1.count })
        var next = Array(repeating: 0, count: pieces.count)
        while true {
            var best = -1
            for p in pieces.indices where next[p] < pieces[p].count {
                if best < 0 || pieces[p][next[p]].key < pieces[best][next[best]].key { best = p }
            }
            if best < 0 { break }
            merged.append(pieces[best][next[best]])
            next[best] += 1
        }
        return merged
    }

    /// People from registrations sorted by ID number, set through `out` from index `first` on;
    /// returns their name conflicts.
    private static func merge(_ order: ArraySlice<(key: UInt64, index: Int)>, taking seekers: Parallel.Source<Seeker>,
                              into out: Parallel.Output<Person>, from first: Int) -> [NameConflict] {
        var next = first
        var conflicts: [NameConflict] = []
        var start = order.startIndex
        while start < order.endIndex {
            var end = start + 1
            while end < order.endIndex && order[end].key == order[start].key { end += 1 }
            if end - start == 1 {
                PersonFiles.person(of: order[start].index, in: seekers, into: out, at: next)
            } else {
                let group = order[start..<end].map { seekers.take($0.index, leaving: Seeker.vacated) }
                let merged = PersonFiles.merge(group)
                out.set(next, merged)
                if Set(group.map { Text.nameKey($0.name) }).count > 1 {
                    conflicts.append(NameConflict(idNumber: merged.idNumber,
                                                  registrations: group.map { (applicationID: $0.applicationID, name: $0.name) },
                                                  chosenName: merged.name))
                }
            }
            next += 1
            start = end
        }
        return conflicts
    }

    /// One person from the registrations of one ID number, in file order: the latest
    /// registration (latest `applied_on`, then the larger application id) gives the fields;
    /// service areas are united in first-seen order.
    static func merge(_ group: [Seeker]) -> Person {
        var latest = group[0]
        var areas = latest.serviceAreas
        for s in group.dropFirst() {
            for a in s.serviceAreas where !areas.contains(a) { areas.append(a) }
            if s.appliedOn > latest.appliedOn
                || (s.appliedOn == latest.appliedOn && ApplicationID.isLarger(s.applicationID, than: latest.applicationID)) {
                latest = s
            }
        }
        var person = Person(latest)
        person.registeredAreas = areas
        person.registrations = group.count
        return person
    }
}

/// Ordering of application ids, for "the larger application id" of the contract.
public enum ApplicationID {
    /// True when `a` is the larger: numerically when both are digits; otherwise the longer,
    /// then the later in text order (so `A10` is larger than `A9`).
    public static func isLarger(_ a: String, than b: String) -> Bool {
        if let x = UInt64(a), let y = UInt64(b) { return x > y }
        return a.utf8.count != b.utf8.count ? a.utf8.count > b.utf8.count : a > b
    }
}
