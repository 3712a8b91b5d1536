/// Which police records disqualify, and for how long: `[screening]` in the configuration.
public struct ScreeningPolicy: Sendable, Equatable {
    /// Criminal categories that disqualify whatever the date.
    public var alwaysDisqualify: Set<String>
    /// Criminal categories that disqualify within a number of years.
    public var criminalLookbackYears: [String: Int]
    /// Administrative categories that disqualify within a number of years (others never do).
    public var administrativeLookbackYears: [String: Int]
    /// Administrative categories that are known and never disqualify.
    public var administrativeIgnored: Set<String>

    /// A policy with every list given.
    public init(alwaysDisqualify: Set<String>, criminalLookbackYears: [String: Int],
                administrativeLookbackYears: [String: Int], administrativeIgnored: Set<String>) {
        self.alwaysDisqualify = alwaysDisqualify
        self.criminalLookbackYears = criminalLookbackYears
        self.administrativeLookbackYears = administrativeLookbackYears
        self.administrativeIgnored = administrativeIgnored
    }

    /// The contract's default policy.
    public static let `default` = ScreeningPolicy(
        alwaysDisqualify: ["homicide", "sexual_offense", "child_abuse", "trafficking", "robbery", "kidnapping"],
        criminalLookbackYears: ["theft": 5, "fraud": 5, "drug": 5, "assault": 5, "public_order": 3, "traffic": 3],
        administrativeLookbackYears: ["drug": 3],
        administrativeIgnored: ["homicide", "sexual_offense", "child_abuse", "trafficking", "robbery",
                                "kidnapping", "theft", "fraud", "assault", "public_order", "traffic"])
}

/// What a person needs for a card besides a clean record: `[eligibility]`.
public struct EligibilityPolicy: Sendable, Equatable {
    /// Youngest age, in completed years, inclusive.
    public var minAge: Int
    /// Oldest age, inclusive.
    public var maxAge: Int
    /// A passed health check counts for this many days (on or after as-of minus this).
    public var healthCheckValidDays: Int
    /// Passed training courses needed.
    public var minPassedCourses: Int

    /// A policy with every number given.
    public init(minAge: Int, maxAge: Int, healthCheckValidDays: Int, minPassedCourses: Int) {
        self.minAge = minAge
        self.maxAge = maxAge
        self.healthCheckValidDays = healthCheckValidDays
        self.minPassedCourses = minPassedCourses
    }

    /// The contract's defaults.
    public static let `default` = EligibilityPolicy(minAge: 18, maxAge: 65, healthCheckValidDays: 365, minPassedCourses: 1)
}

/// How card numbers are formed: `[cards]`.
public struct CardPolicy: Sendable, Equatable {
    /// Letters before the year, e.g. `WZ`.
    public var prefix: String

    /// A policy with a prefix.
    public init(prefix: String) { self.prefix = prefix }

    /// The contract's default.
    public static let `default` = CardPolicy(prefix: "WZ")
}

/// How institutions are evaluated in rounds: `[evaluation]`.
public struct EvaluationPolicy: Sendable, Equatable {
    /// Evaluations of the last this many days count.
    public var windowDays: Int
    /// Round 1: current card holders on staff, at least.
    public var minCardHolders: Int
    /// Round 1: evaluations in the window, at least.
    public var minEvaluations: Int
    /// Round 2: weight m of the Bayesian prior.
    public var priorWeight: Double
    /// Round 2: z of the Wilson interval for the complaint rate.
    public var wilsonZ: Double
    /// Round 2: weight of the rating component R.
    public var weightRating: Double
    /// Round 2: weight of the complaint component C.
    public var weightComplaints: Double
    /// Round 2: weight of the card-holder component K.
    public var weightCardHolders: Double
    /// Round 2: weight of the training component T.
    public var weightTraining: Double
    /// Round 3: how many are selected.
    public var topN: Int

    /// A policy with every number given.
    public init(windowDays: Int, minCardHolders: Int, minEvaluations: Int, priorWeight: Double, wilsonZ: Double,
                weightRating: Double, weightComplaints: Double, weightCardHolders: Double, weightTraining: Double,
                topN: Int) {
        self.windowDays = windowDays
        self.minCardHolders = minCardHolders
        self.minEvaluations = minEvaluations
        self.priorWeight = priorWeight
        self.wilsonZ = wilsonZ
        self.weightRating = weightRating
        self.weightComplaints = weightComplaints
        self.weightCardHolders = weightCardHolders
        self.weightTraining = weightTraining
        self.topN = topN
    }

    /// The contract's defaults.
    public static let `default` = EvaluationPolicy(
        windowDays: 365, minCardHolders: 5, minEvaluations: 10, priorWeight: 20, wilsonZ: 1.96,
        weightRating: 0.5, weightComplaints: 0.2, weightCardHolders: 0.2, weightTraining: 0.1, topN: 20)
}
