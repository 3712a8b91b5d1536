/// The six extracts the pipeline reads, with their canonical columns.
public enum InputKind: String, Sendable, CaseIterable, Comparable {
    case seekers
    case policeRecords = "police_records"
    case training
    case institutions
    case evaluations
    case reviewDecisions = "review_decisions"

    /// The canonical columns, in the contract's order.
    public var columns: [String] {
        switch self {
        case .seekers: return Seeker.columns
        case .policeRecords: return PoliceRecord.columns
        case .training: return TrainingResult.columns
        case .institutions: return Institution.columns
        case .evaluations: return Evaluation.columns
        case .reviewDecisions: return ReviewDecision.columns
        }
    }

    /// Columns that may be absent from a file's header (their values are then empty).
    public var optionalColumns: Set<String> {
        switch self {
        case .seekers: return ["institution_id"]
        case .policeRecords: return ["birth_date", "sentence_end"]
        case .reviewDecisions: return ["note"]
        default: return []
        }
    }

    /// True when the pipeline can run without this input.
    public var isOptional: Bool { self == .reviewDecisions }

    public static func < (a: InputKind, b: InputKind) -> Bool {
        allCases.firstIndex(of: a)! < allCases.firstIndex(of: b)!
    }
}
