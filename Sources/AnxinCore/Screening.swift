/// How a police record was tied to a person.
public enum MatchKind: String, Sendable, Hashable {
    /// The record's ID number is the person's.
    case hit
    /// No usable ID number on the record, but the same name and birth date.
    case possibleMatch = "possible_match"
}

/// What the policy says of one record, were it a hit.
public enum Verdict: Sendable, Hashable {
    /// The record disqualifies; `rule` says which rule.
    case screens(rule: String)
    /// The policy does not name the category: an official must decide.
    case needsReview(rule: String)
    /// The record does not disqualify.
    case doesNotMatter(rule: String)
}

extension ScreeningPolicy {
    /// Judges one record against the as-of date. Lookbacks count from the later of the record
    /// date and the end of the sentence.
    public func judge(_ r: PoliceRecord, asOf: CivilDate) -> Verdict {
        let category = r.offenseCategory
        switch r.recordKind {
        case .criminal:
            if alwaysDisqualify.contains(category) { return .screens(rule: "criminal \(category): disqualifies whatever the date") }
            if let years = criminalLookbackYears[category] {
                return lookback(r, years: years, asOf: asOf, kind: "criminal")
            }
        case .administrative:
            if let years = administrativeLookbackYears[category] {
                return lookback(r, years: years, asOf: asOf, kind: "administrative")
            }
            if administrativeIgnored.contains(category) {
                return .doesNotMatter(rule: "administrative \(category): not disqualifying")
            }
        }
        return .needsReview(rule: "\(r.recordKind.rawValue) \(category): a category the policy does not name")
    }

    private func lookback(_ r: PoliceRecord, years: Int, asOf: CivilDate, kind: String) -> Verdict {
        let from = r.lookbackFrom
        let limit = asOf.yearsEarlier(years)
        if from >= limit {
            return .screens(rule: "\(kind) \(r.offenseCategory) within \(years) years (\(from) is on or after \(limit))")
        }
        return .doesNotMatter(rule: "\(kind) \(r.offenseCategory) older than \(years) years (\(from) is before \(limit))")
    }
}

/// Police records indexed for the join: by ID number for hits, by name and birth date for
/// records whose ID number is missing or invalid.
public struct PoliceIndex: Sendable {
    /// Records with a valid ID number, by that number's `IDNumber.sortKey` (a number is
    /// cheaper to hash and compare than the text, and a million people are looked up).
    private var byID: [UInt64: [PoliceRecord]] = [:]
    /// Records without a valid ID number but with a birth date, by name key and birth date.
    private var byNameAndBirth: [NameAndBirth: [PoliceRecord]] = [:]
    /// Records indexed.
    public private(set) var count = 0

    /// An empty index.
    public init() {}

    /// An index of `records`.
    public init(_ records: some Sequence<PoliceRecord>) {
        for r in records { add(r) }
    }

    /// Adds one record.
    public mutating func add(_ r: PoliceRecord) {
        count += 1
        if r.idValid {
            byID[IDNumber(trusted: r.idNumber).sortKey, default: []].append(r)
        } else if let birth = r.birthDate {
            byNameAndBirth[PoliceIndex.key(name: r.name, birth: birth), default: []].append(r)
        }
    }

    /// The records whose valid ID number is `id` (hits).
    public func records(of id: IDNumber) -> [PoliceRecord] { byID[id.sortKey] ?? [] }

    /// The records without a valid ID number that share `name` and `birth` (possible matches).
    public func records(named name: String, born birth: CivilDate) -> [PoliceRecord] {
        byNameAndBirth.isEmpty ? [] : byNameAndBirth[PoliceIndex.key(name: name, birth: birth)] ?? []
    }

    /// The key of a name and a birth date.
    public static func key(name: String, birth: CivilDate) -> NameAndBirth {
        NameAndBirth(name: Text.nameKey(name), birth: birth.daysSinceEpoch)
    }
}

/// What a police record must share with one of the people to concern them: a valid ID number
/// among theirs (a hit), or a name and birth date (a possible match). The join keeps only such
/// records, so three million records cost a lookup each, not a place in memory.
public struct JoinKeys: Sendable {
    private var ids: KeySet
    /// Name keys and birth dates, as the bytes `withNameAndBirth` spells them.
    private var namesAndBirths: KeySet

    /// The keys of `files`' people (the two sets are built side by side, each in one go: the
    /// people come in ID order, and a set fed keys in order would keep them in a sorted run,
    /// where three million lookups would each be a binary search).
    public init(_ files: PersonFiles) {
        let people = files.people
        let sets = Parallel.map(parts: 2) { part in
            var bytes: [UInt8] = []
            var ends: [Int] = []
            ends.reserveCapacity(people.count)
            // Fields read in place: a copy of each person would retain all its text.
            for i in people.indices {
                if part == 0 {
                    bytes.append(contentsOf: people[i].idNumber.value.utf8)
                } else {
                    JoinKeys.withNameAndBirth(name: people[i].name, birth: people[i].birthDate) { bytes.append(contentsOf: $0) }
                }
                ends.append(bytes.count)
            }
            return KeySet(bytes: bytes, ends: ends)
        }
        ids = sets[0]
        namesAndBirths = sets[1]
    }

    /// Lookups in the keys, valid during `body`: what each thread of the join uses for its
    /// share of three million records (see `KeySet.withView`).
    public func withLookup<R, E: Error>(_ body: (Lookup) throws(E) -> R) throws(E) -> R {
        try ids.withView { (ids) throws(E) -> R in
            try namesAndBirths.withView { (names) throws(E) -> R in try body(Lookup(ids: ids, namesAndBirths: names)) }
        }
    }

    /// Whether a decoded record can concern someone.
    public func concerns(_ r: PoliceRecord) -> Bool {
        withLookup { lookup in
            if r.idValid { return Text.withBytes(r.idNumber) { lookup.ids.contains($0) } }
            guard let birth = r.birthDate else { return false }
            return lookup.concerns(name: r.name, birth: birth)
        }
    }

    /// The keys' lookups, through pointers (see `withLookup`).
    public struct Lookup {
        let ids: KeySet.View
        let namesAndBirths: KeySet.View

        /// Whether a record with these fields, as its dataset spells them, can concern
        /// someone: a valid ID number among the people's, or their name and birth date.
        public func concerns(idValid: Bool, id: UnsafeBufferPointer<UInt8>, name: UnsafeBufferPointer<UInt8>,
                             birth: UnsafeBufferPointer<UInt8>) -> Bool {
            if idValid { return ids.contains(id) }
            guard !birth.isEmpty,
                  let date = Canonical.parseDate(birth) ?? CivilDate.parse(String(decoding: birth, as: UTF8.self))
            else { return false }
            return concerns(name: String(decoding: name, as: UTF8.self), birth: date)
        }

        func concerns(name: String, birth: CivilDate) -> Bool {
            JoinKeys.withNameAndBirth(name: name, birth: birth) { namesAndBirths.contains($0) }
        }
    }

    /// Calls `body` with the bytes of a name key and a birth date: the date's day number in four
    /// bytes, then the key's UTF-8.
    private static func withNameAndBirth<R>(name: String, birth: CivilDate,
                                            _ body: (UnsafeBufferPointer<UInt8>) -> R) -> R {
        Text.withBytes(Text.nameKey(name)) { key in
            withUnsafeTemporaryAllocation(of: UInt8.self, capacity: key.count + 4) { buffer in
                let day = UInt32(truncatingIfNeeded: birth.daysSinceEpoch)
                for i in 0..<4 { buffer[i] = UInt8(truncatingIfNeeded: day >> (8 * i)) }
                for (i, b) in key.enumerated() { buffer[4 + i] = b }
                return body(UnsafeBufferPointer(buffer))
            }
        }
    }
}

/// A normalized name and a birth date: what a possible match must share with a person.
public struct NameAndBirth: Hashable, Sendable {
    /// The birth date, as days since 1970-01-01 (first, so that most unequal keys differ
    /// before their names are compared).
    public var birth: Int
    /// The name key (`Text.nameKey`).
    public var name: String

    /// A key from its parts.
    public init(name: String, birth: Int) {
        self.name = name
        self.birth = birth
    }
}

/// What became of one record matched to one person: a row of `screening_hits.csv`.
public struct ScreeningHit: Sendable, Hashable {
    /// What happened to the match.
    public enum Outcome: String, Sendable, Hashable {
        /// The record screens the person.
        case screened
        /// The person waits in the review queue for an official's decision.
        case review
        /// The record does not disqualify (or, for a possible match, would not have).
        case ignored
        /// An official dismissed it (`clear`).
        case cleared
        /// An official screened the person for it (`screen`).
        case screenedByDecision = "screened_by_decision"
    }

    public var idNumber: IDNumber
    public var record: PoliceRecord
    public var match: MatchKind
    /// The policy's rule, in words.
    public var rule: String
    public var outcome: Outcome
    /// The official's decision that settled it, if any (`clear by 李四 on 2019-08-20`).
    public var decision: String
}

/// A person's status: the contract's words.
public enum PersonStatus: String, Sendable, Hashable, CaseIterable {
    case card, screened, review, pending
}

/// The screening and eligibility result of one person.
public struct PersonResult: Sendable, Hashable {
    public var person: Person
    public var status: PersonStatus
    /// Reason codes, sorted (`screened:theft`, `review:possible_match`, `health_expired`, ...).
    public var reasons: [String]
    /// The service areas of the person's passed courses, sorted.
    public var qualifiedAreas: [String]
    /// Completed years on the as-of date.
    public var age: Int

    /// A result with every field given.
    public init(person: Person, status: PersonStatus, reasons: [String], qualifiedAreas: [String], age: Int) {
        self.person = person
        self.status = status
        self.reasons = reasons
        self.qualifiedAreas = qualifiedAreas
        self.age = age
    }
}

/// A review decision that was not applied, and why.
public struct UnusedDecision: Sendable, Hashable {
    public var decision: ReviewDecision
    /// Why it was not applied.
    public var reason: String
}

/// Counts from registration to card.
public struct Funnel: Sendable, Hashable, Codable {
    public var registrations: Int
    public var people: Int
    public var screened: Int
    public var review: Int
    public var pending: Int
    /// Pending people by reason (a person may count under several).
    public var pendingByReason: [String: Int]
    public var eligible: Int
}

/// The result of the screening stage.
public struct Screening: Sendable {
    /// One result per person, in ID order.
    public var results: [PersonResult]
    /// Every record matched to a person, in ID then record order.
    public var hits: [ScreeningHit]
    /// Decisions that were not applied.
    public var unusedDecisions: [UnusedDecision]
    /// The funnel.
    public var funnel: Funnel
}

/// Screens people against police records, applies officials' decisions and checks card
/// eligibility, as `[screening]` and `[eligibility]` say. People are independent of each
/// other, so big files are screened in pieces on every core (`plan`); the result is the same.
///
/// The people are moved out of `files` into their results, not copied (a copy of a million
/// people retains all their text, and the release of the originals touches it again); a
/// caller that keeps its own copy of `files` keeps its people.
public func screen(_ files: consuming PersonFiles, against police: PoliceIndex, training: TrainingIndex,
                   decisions: [ReviewDecision], policy: ScreeningPolicy, eligibility: EligibilityPolicy,
                   asOf: CivilDate, plan: Parallel.Plan = .standard) -> Screening {
    // The latest decision per person (by date; on the same date the later row).
    var latest: [IDNumber: ReviewDecision] = [:]
    for d in decisions {
        if let old = latest[d.idNumber], old.decidedOn > d.decidedOn { continue }
        latest[d.idNumber] = d
    }
    let screener = Screener(police: police, training: training, latest: latest, policy: policy,
                            eligibility: eligibility, asOf: asOf)
    let registrations = files.registrations
    var people = files.people
    files.people = []  // the people are held in `people` alone
    let pieces = Parallel.pieces(of: people.indices, plan)
    // Each result is made in its place in the array: one per person, in the people's order.
    let (results, found) = people.withUnsafeMutableBufferPointer { buffer in
        let people = Parallel.Source(buffer)
        return Parallel.build(count: buffer.count, ranges: pieces) { i, out in
            screener.screen(pieces[i], of: people, into: out)
        }
    }

    var hits: [ScreeningHit] = []
    var funnel = Funnel(registrations: registrations, people: people.count, screened: 0, review: 0,
                        pending: 0, pendingByReason: [:], eligible: 0)
    var used: Set<IDNumber> = []
    var known: Set<IDNumber> = []  // people some decision names
    for part in found {
        hits.append(contentsOf: part.hits)
        funnel.screened += part.funnel.screened
        funnel.review += part.funnel.review
        funnel.pending += part.funnel.pending
        funnel.eligible += part.funnel.eligible
        funnel.pendingByReason.merge(part.funnel.pendingByReason, uniquingKeysWith: +)
        used.formUnion(part.used)
        known.formUnion(part.known)
    }

    var unused: [UnusedDecision] = []
    for d in decisions where !used.contains(d.idNumber) || latest[d.idNumber] != d {
        let reason: String
        if !known.contains(d.idNumber) {
            reason = "no job seeker has this ID number"
        } else if !used.contains(d.idNumber) {
            reason = "the person is not in tonight's review queue"
        } else {
            reason = "a later decision for the same person was applied"
        }
        unused.append(UnusedDecision(decision: d, reason: reason))
    }
    return Screening(results: results, hits: hits, unusedDecisions: unused, funnel: funnel)
}

/// The screening of one person after another, with everything the rules read.
private struct Screener: Sendable {
    let police: PoliceIndex
    let training: TrainingIndex
    /// The latest decision per person.
    let latest: [IDNumber: ReviewDecision]
    let policy: ScreeningPolicy
    let eligibility: EligibilityPolicy
    let asOf: CivilDate

    /// What screening some of the people gave besides their results.
    struct Part: Sendable {
        var hits: [ScreeningHit] = []
        var funnel = Funnel(registrations: 0, people: 0, screened: 0, review: 0, pending: 0, pendingByReason: [:], eligible: 0)
        /// People whose decision was applied.
        var used: Set<IDNumber> = []
        /// People some decision names.
        var known: Set<IDNumber> = []
    }

    /// Screens the people at `indices`, moving each into its result, set at the person's
    /// index through `out`.
    func screen(_ indices: Range<Int>, of people: Parallel.Source<Person>, into out: Parallel.Output<PersonResult>) -> Part {
        var part = Part()
        let healthLimit = asOf.adding(days: -eligibility.healthCheckValidDays)
        var courses = TrainingIndex.Cursor()  // people come in ID order
        for index in indices {
            let person = people.take(index, leaving: Person.vacated)
            var reasons: [String] = []
            var personHits: [ScreeningHit] = []
            var reviewItems: [Int] = []  // indices into personHits
            var screened = false

            for r in police.records(of: person.idNumber) {
                switch policy.judge(r, asOf: asOf) {
                case .screens(let rule):
                    personHits.append(ScreeningHit(idNumber: person.idNumber, record: r, match: .hit, rule: rule, outcome: .screened, decision: ""))
                    screened = true
                    reasons.append("screened:\(r.offenseCategory)")
                case .needsReview(let rule):
                    reviewItems.append(personHits.count)
                    personHits.append(ScreeningHit(idNumber: person.idNumber, record: r, match: .hit, rule: rule, outcome: .review, decision: ""))
                case .doesNotMatter(let rule):
                    personHits.append(ScreeningHit(idNumber: person.idNumber, record: r, match: .hit, rule: rule, outcome: .ignored, decision: ""))
                }
            }
            for r in police.records(named: person.name, born: person.birthDate) {
                // A possible match never screens by itself; it holds the card back for review
                // when its record would matter were it a hit.
                switch policy.judge(r, asOf: asOf) {
                case .screens(let rule), .needsReview(let rule):
                    reviewItems.append(personHits.count)
                    personHits.append(ScreeningHit(idNumber: person.idNumber, record: r, match: .possibleMatch,
                                                   rule: "possible match; were it a hit: \(rule)", outcome: .review, decision: ""))
                case .doesNotMatter(let rule):
                    personHits.append(ScreeningHit(idNumber: person.idNumber, record: r, match: .possibleMatch,
                                                   rule: "possible match; were it a hit: \(rule)", outcome: .ignored, decision: ""))
                }
            }

            // Decisions are few: look one up only for a person it could name.
            let decided = latest.isEmpty ? nil : latest[person.idNumber]
            if decided != nil { part.known.insert(person.idNumber) }
            if !reviewItems.isEmpty, let d = decided {
                part.used.insert(person.idNumber)
                let words = "\(d.decision.rawValue) by \(d.decidedBy) on \(d.decidedOn)"
                for i in reviewItems {
                    personHits[i].decision = words
                    switch d.decision {
                    case .clear:
                        personHits[i].outcome = .cleared
                    case .screen:
                        personHits[i].outcome = .screenedByDecision
                        screened = true
                        reasons.append("screened:\(personHits[i].record.offenseCategory)")
                    }
                }
            } else {
                for i in reviewItems {
                    reasons.append(personHits[i].match == .possibleMatch ? "review:possible_match" : "review:unknown_category")
                }
            }

            // Card eligibility.
            let age = person.birthDate.age(on: asOf)
            if age < eligibility.minAge { reasons.append("underage") }
            if age > eligibility.maxAge { reasons.append("overage") }
            switch person.healthCheck {
            case .pending:
                reasons.append("health_missing")
            case .failed:
                reasons.append("health_failed")
            case .passed:
                if let on = person.healthCheckedOn {
                    if on < healthLimit { reasons.append("health_expired") }
                } else {
                    reasons.append("health_missing")
                }
            }
            var areas: [String] = []
            var passed = 0
            // The courses read in place: a copy of each would retain its text.
            let theirs = training.courses(of: person.idNumber, from: &courses)
            for i in theirs.indices where theirs[i].passed {
                passed += 1
                if !areas.contains(theirs[i].serviceArea) { areas.append(theirs[i].serviceArea) }
            }
            areas.sort()
            if passed < eligibility.minPassedCourses { reasons.append("no_passed_training") }

            reasons.sort()
            let status: PersonStatus
            if screened {
                status = .screened
                part.funnel.screened += 1
            } else if !reviewItems.isEmpty && decided == nil {
                status = .review
                part.funnel.review += 1
            } else if !reasons.isEmpty {
                status = .pending
                part.funnel.pending += 1
                for (i, r) in reasons.enumerated() where i == 0 || reasons[i - 1] != r {
                    part.funnel.pendingByReason[r, default: 0] += 1
                }
            } else {
                status = .card
                part.funnel.eligible += 1
            }
            out.set(index, PersonResult(person: person, status: status, reasons: reasons, qualifiedAreas: areas, age: age))
            part.hits.append(contentsOf: personHits)
        }
        return part
    }
}
