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

    /// A person from one registration.
    public init(_ s: Seeker) {
        idNumber = s.idNumber
        name = s.name
        sex = s.sex
        birthDate = s.birthDate
        phone = s.phone
        district = s.district
        registeredAreas = s.serviceAreas
        institutionID = s.institutionID
        healthCheck = s.healthCheck
        healthCheckedOn = s.healthCheckedOn
        appliedOn = s.appliedOn
        registrations = 1
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

    /// Groups `seekers` by normalized ID number.
    public init(_ seekers: [Seeker]) {
        var byID: [IDNumber: Int] = [:]
        byID.reserveCapacity(seekers.count)
        var merged: [Person] = []
        merged.reserveCapacity(seekers.count)
        var latestKey: [(CivilDate, String)] = []
        latestKey.reserveCapacity(seekers.count)
        // Every registration's application id and name, kept only for IDs registered twice.
        var names: [Int: [(String, String)]] = [:]
        for s in seekers {
            guard let i = byID[s.idNumber] else {
                byID[s.idNumber] = merged.count
                merged.append(Person(s))
                latestKey.append((s.appliedOn, s.applicationID))
                continue
            }
            // On the second registration the person's file still holds the first one.
            if names[i] == nil { names[i] = [(latestKey[i].1, merged[i].name)] }
            names[i]!.append((s.applicationID, s.name))
            let key = (s.appliedOn, s.applicationID)
            let isLater = key.0 > latestKey[i].0
                || (key.0 == latestKey[i].0 && ApplicationID.isLarger(key.1, than: latestKey[i].1))
            var areas = merged[i].registeredAreas
            for a in s.serviceAreas where !areas.contains(a) { areas.append(a) }
            if isLater {
                let count = merged[i].registrations
                merged[i] = Person(s)
                merged[i].registrations = count
                latestKey[i] = key
            }
            merged[i].registeredAreas = areas
            merged[i].registrations += 1
        }
        var conflicts: [NameConflict] = []
        for (i, list) in names {
            let distinct = Set(list.map { Text.nameKey($0.1) })
            if distinct.count > 1 {
                conflicts.append(NameConflict(idNumber: merged[i].idNumber,
                                              registrations: list.map { (applicationID: $0.0, name: $0.1) },
                                              chosenName: merged[i].name))
            }
        }
        // Sort positions by a numeric key rather than moving a million people around.
        let keys = merged.map(\.idNumber.sortKey)
        people = merged.indices.sorted { keys[$0] < keys[$1] }.map { merged[$0] }
        self.conflicts = conflicts.sorted { $0.idNumber < $1.idNumber }
        registrations = seekers.count
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
