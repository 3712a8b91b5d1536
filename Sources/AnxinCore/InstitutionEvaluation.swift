import Foundation

/// One institution's result in the evaluation rounds, with everything needed to defend it.
public struct InstitutionResult: Sendable, Hashable {
    public var institution: Institution
    /// People whose registration names the institution.
    public var registeredStaff: Int
    /// Of them, current card holders (green cards).
    public var cardHolders: Int
    /// Evaluations in the window.
    public var evaluations: Int
    /// Their mean rating, when there are any.
    public var meanRating: Double?
    /// Evaluations in the window with a complaint.
    public var complaints: Int
    /// Training courses of its staff, and how many were passed.
    public var courses: Int
    public var coursesPassed: Int
    /// Round 2 components (0-1) and the score (0-100); nil for institutions that stopped in round 1.
    public var components: Components?
    /// Rank among the institutions scored in round 2.
    public var rank: Int?
    /// 1, 2 or 3: the last round reached.
    public var roundReached: Int
    /// Selected in round 3.
    public var selected: Bool
    /// Why it stopped, e.g. `licence_expired`, `too_few_card_holders:3<5`, `below_top_20:rank 23`.
    public var stoppedBecause: [String]

    /// R, C, K, T and the score.
    public struct Components: Sendable, Hashable {
        public var rating: Double
        public var complaints: Double
        public var cardHolders: Double
        public var training: Double
        public var score: Double
    }
}

/// The whole evaluation: every institution and the pooled mean rating.
public struct EvaluationOutcome: Sendable {
    /// In order of institution id.
    public var institutions: [InstitutionResult]
    /// g: the mean of all evaluations in the window, pooled.
    public var pooledMean: Double?
    /// Evaluations in the window (all institutions).
    public var evaluationsInWindow: Int
    /// How many passed round 1 and round 2 (were scored), and were selected.
    public var passedRound1: Int
    public var selected: Int
}

/// The Bayesian average of a rating: `(v·r + m·g) / (v + m)`.
public func bayesianAverage(count v: Int, mean r: Double, priorWeight m: Double, priorMean g: Double) -> Double {
    let denominator = Double(v) + m
    return denominator == 0 ? g : (Double(v) * r + m * g) / denominator
}

/// The upper bound of the Wilson score interval of `k` successes in `n` trials (1 when n = 0).
public func wilsonUpperBound(successes k: Int, trials n: Int, z: Double) -> Double {
    guard n > 0 else { return 1 }
    let nn = Double(n)
    let p = Double(k) / nn
    let z2 = z * z
    let centre = p + z2 / (2 * nn)
    let margin = z * (p * (1 - p) / nn + z2 / (4 * nn * nn)).squareRoot()
    return min(1, (centre + margin) / (1 + z2 / nn))
}

/// Applies `change` to a value in place (a dictionary entry is found once, not once per field).
@inline(__always) private func modify<T>(_ value: inout T, _ change: (inout T) -> Void) { change(&value) }

/// The evaluations of the window summed up per institution: all that the rounds read of them.
/// Tallies of parts of the evaluations add up to the tally of all of them, so a big file can be
/// tallied in pieces, and no evaluation needs to stay in memory.
public struct EvaluationTally: Sendable {
    /// An institution's evaluations in the window.
    struct Counts: Sendable {
        var evaluations = 0, ratingSum = 0, complaints = 0
    }

    /// The window: the policy's days up to the as-of date (empty if the days are negative).
    public let windowStart: CivilDate
    public let windowEnd: CivilDate
    private(set) var byInstitution: [String: Counts] = [:]
    private(set) var pooledSum = 0
    /// Evaluations in the window.
    public private(set) var pooledCount = 0

    /// No evaluations yet, for the window of `policy` ending on `asOf`.
    public init(policy: EvaluationPolicy, asOf: CivilDate) {
        windowStart = asOf.adding(days: -policy.windowDays)
        windowEnd = asOf
    }

    /// Counts `e` if it falls in the window.
    public mutating func add(_ e: Evaluation) {
        guard e.evaluatedOn >= windowStart && e.evaluatedOn <= windowEnd else { return }
        tally(e.institutionID, rating: e.rating, complaint: e.complaint)
    }

    /// Counts an evaluation in the window.
    private mutating func tally(_ institutionID: String, rating: Int, complaint: Bool) {
        modify(&byInstitution[institutionID, default: Counts()]) { c in  // one lookup per evaluation
            c.evaluations += 1
            c.ratingSum += rating
            if complaint { c.complaints += 1 }
        }
        pooledSum += rating
        pooledCount += 1
    }

    /// Counts the evaluation of a dataset row whose `count` fields are `field(i)`'s bytes, as
    /// `add(try Evaluation(fields:))` would, without making the row's strings: a city has a
    /// million evaluations, many outside the window. Returns false, counting nothing, when a
    /// field does not read the way this pipeline writes it; the caller then decodes the row the
    /// usual way, which says what is wrong.
    public mutating func add(count: Int, field: (Int) -> UnsafeBufferPointer<UInt8>) -> Bool {
        guard count == Evaluation.columns.count, let on = Canonical.parseDate(field(5)) else { return false }
        let complaint: Bool
        switch Array(field(4)) {
        case Array("true".utf8): complaint = true
        case Array("false".utf8): complaint = false
        default: return false
        }
        let digits = field(3)
        guard !digits.isEmpty, digits.count <= 9, digits.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }) else { return false }
        let rating = digits.reduce(0) { $0 * 10 + Int($1 - 0x30) }
        guard on >= windowStart && on <= windowEnd else { return true }
        // A text the writer protected from spreadsheets starts with an apostrophe: the long way.
        let institution = field(1)
        guard institution.first != 0x27 else { return false }
        tally(String(decoding: institution, as: UTF8.self), rating: rating, complaint: complaint)
        return true
    }

    /// Whether `other` counts over the same window.
    func sameWindow(as other: EvaluationTally) -> Bool {
        windowStart == other.windowStart && windowEnd == other.windowEnd
    }

    /// Adds the evaluations `other` counted (over the same window).
    public mutating func add(_ other: EvaluationTally) {
        precondition(sameWindow(as: other), "tallies over different windows")
        for (id, o) in other.byInstitution {
            modify(&byInstitution[id, default: Counts()]) { c in
                c.evaluations += o.evaluations
                c.ratingSum += o.ratingSum
                c.complaints += o.complaints
            }
        }
        pooledSum += other.pooledSum
        pooledCount += other.pooledCount
    }
}

/// Evaluates institutions in rounds: eligibility, score, selection of the top N.
public func evaluateInstitutions(_ institutions: [Institution], people: [PersonResult],
                                 training: TrainingIndex, evaluations: [Evaluation],
                                 policy p: EvaluationPolicy, asOf: CivilDate) -> EvaluationOutcome {
    var tally = EvaluationTally(policy: p, asOf: asOf)
    for e in evaluations { tally.add(e) }
    return evaluateInstitutions(institutions, people: people, training: training, evaluations: tally, policy: p, asOf: asOf)
}

/// Evaluates institutions in rounds, from their evaluations' tally.
public func evaluateInstitutions(_ institutions: [Institution], people: [PersonResult],
                                 training: TrainingIndex, evaluations tally: EvaluationTally,
                                 policy p: EvaluationPolicy, asOf: CivilDate) -> EvaluationOutcome {
    struct Facts { var staff = 0, holders = 0, courses = 0, passed = 0, evaluations = 0, ratingSum = 0, complaints = 0 }
    var facts: [String: Facts] = [:]
    // Fields read in place: a copy of each of a million people would retain all its text.
    var cursor = TrainingIndex.Cursor()  // people come in ID order
    for i in people.indices {
        guard let id = people[i].person.institutionID else { continue }
        let courses = training.courses(of: people[i].person.idNumber, from: &cursor)
        let holder = people[i].status == .card
        modify(&facts[id, default: Facts()]) { f in  // one lookup per person
            f.staff += 1
            if holder { f.holders += 1 }
            f.courses += courses.count
            f.passed += courses.reduce(0) { $0 + ($1.passed ? 1 : 0) }
        }
    }
    precondition(tally.sameWindow(as: EvaluationTally(policy: p, asOf: asOf)), "a tally over another window")
    for (id, c) in tally.byInstitution {
        modify(&facts[id, default: Facts()]) { f in
            f.evaluations += c.evaluations
            f.ratingSum += c.ratingSum
            f.complaints += c.complaints
        }
    }
    let (pooledSum, pooledCount) = (tally.pooledSum, tally.pooledCount)
    let g = pooledCount > 0 ? Double(pooledSum) / Double(pooledCount) : nil

    var results: [InstitutionResult] = []
    for inst in institutions.sorted(by: { $0.institutionID < $1.institutionID }) {
        let f = facts[inst.institutionID] ?? Facts()
        var stopped: [String] = []
        if inst.licenseValidUntil < asOf { stopped.append("licence_expired") }
        if f.holders < p.minCardHolders { stopped.append("too_few_card_holders:\(f.holders)<\(p.minCardHolders)") }
        if f.evaluations < p.minEvaluations { stopped.append("too_few_evaluations:\(f.evaluations)<\(p.minEvaluations)") }
        var components: InstitutionResult.Components?
        let mean = f.evaluations > 0 ? Double(f.ratingSum) / Double(f.evaluations) : nil
        if stopped.isEmpty {
            let prior = g ?? 3
            let r = (bayesianAverage(count: f.evaluations, mean: mean ?? prior, priorWeight: p.priorWeight, priorMean: prior) - 1) / 4
            let c = 1 - wilsonUpperBound(successes: f.complaints, trials: f.evaluations, z: p.wilsonZ)
            let k = f.staff > 0 ? Double(f.holders) / Double(f.staff) : 0
            let t = f.courses > 0 ? Double(f.passed) / Double(f.courses) : 0
            let score = 100 * (p.weightRating * r + p.weightComplaints * c + p.weightCardHolders * k + p.weightTraining * t)
            components = .init(rating: r, complaints: c, cardHolders: k, training: t, score: score)
        }
        results.append(InstitutionResult(
            institution: inst, registeredStaff: f.staff, cardHolders: f.holders, evaluations: f.evaluations,
            meanRating: mean, complaints: f.complaints, courses: f.courses, coursesPassed: f.passed,
            components: components, rank: nil, roundReached: stopped.isEmpty ? 2 : 1, selected: false,
            stoppedBecause: stopped))
    }
    // Round 3: rank by score; ties go to more evaluations, then the smaller institution id.
    let ranked = results.indices.filter { results[$0].components != nil }.sorted { a, b in
        let x = results[a], y = results[b]
        if x.components!.score != y.components!.score { return x.components!.score > y.components!.score }
        if x.evaluations != y.evaluations { return x.evaluations > y.evaluations }
        return x.institution.institutionID < y.institution.institutionID
    }
    for (position, i) in ranked.enumerated() {
        results[i].rank = position + 1
        if position < p.topN {
            results[i].selected = true
            results[i].roundReached = 3
        } else {
            results[i].stoppedBecause = ["below_top_\(p.topN):rank \(position + 1)"]
        }
    }
    return EvaluationOutcome(institutions: results, pooledMean: g, evaluationsInWindow: pooledCount,
                             passedRound1: ranked.count, selected: min(ranked.count, p.topN))
}

extension InstitutionResult {
    /// The columns of `institutions.csv`.
    public static let columns = [
        "institution_id", "name", "district", "license_valid_until", "registered_staff", "card_holders",
        "evaluations", "mean_rating", "complaints", "R", "C", "K", "T", "score", "rank", "round_reached",
        "selected", "stopped_because",
    ]

    /// The row of `institutions.csv`.
    public var fields: [String] {
        func number(_ v: Double?) -> String { v.map { String(format: "%.6f", $0) } ?? "" }
        let c = components
        return [institution.institutionID, institution.name, institution.district, institution.licenseValidUntil.description,
                String(registeredStaff), String(cardHolders), String(evaluations), number(meanRating), String(complaints),
                number(c?.rating), number(c?.complaints), number(c?.cardHolders), number(c?.training),
                c.map { String(format: "%.4f", $0.score) } ?? "", rank.map(String.init) ?? "", String(roundReached),
                selected ? "true" : "false", stoppedBecause.joined(separator: ";")]
    }
}
