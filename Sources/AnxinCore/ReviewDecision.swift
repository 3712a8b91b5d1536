/// What an official decided about a person in the review queue.
public enum Decision: String, Sendable, Hashable {
    /// The review items are dismissed.
    case clear
    /// The person is screened for the records under review.
    case screen
}

/// One official's decision, from the review-decisions sheet of an earlier night.
public struct ReviewDecision: IngestibleRow, Hashable {
    public var idNumber: IDNumber
    public var decision: Decision
    public var decidedBy: String
    public var decidedOn: CivilDate
    public var note: String

    /// A decision with every field given.
    public init(idNumber: IDNumber, decision: Decision, decidedBy: String, decidedOn: CivilDate, note: String) {
        self.idNumber = idNumber
        self.decision = decision
        self.decidedBy = decidedBy
        self.decidedOn = decidedOn
        self.note = note
    }

    public static let kind = InputKind.reviewDecisions
    public static let columns = ["id_number", "decision", "decided_by", "decided_on", "note"]
    public var uniqueKey: String? { nil }

    public var fields: [String] {
        [idNumber.value, decision.rawValue, decidedBy, decidedOn.description, note]
    }

    public init(fields f: [String]) throws(DatasetError) {
        try Decode.check(f, Self.columns)
        self.init(idNumber: IDNumber(trusted: f[0]), decision: try Decode.enumValue("decision", f[1]),
                  decidedBy: f[2], decidedOn: try Decode.date("decided_on", f[3]), note: f[4])
    }

    static let decisions: [String: Decision] = ["clear": .clear, "screen": .screen]

    public static func parse(_ c: inout FieldCursor, rules: IngestRules) -> ReviewDecision? {
        let id = c.idNumber(0)
        let decision = c.choice(1, decisions, expected: "clear or screen")
        let by = c.text(2, maxLength: 100)
        let on = c.date(3, notAfter: rules.asOf)
        let note = c.text(4, required: false, maxLength: 2000)
        guard c.problems.isEmpty, let id, let decision, let on else { return nil }
        return ReviewDecision(idNumber: id, decision: decision, decidedBy: by, decidedOn: on, note: note)
    }
}
