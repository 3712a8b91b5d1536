import Foundation

/// `manifest.json`: one run's inputs with checksums, stage results, counts and outputs. Kept
/// under `<output>/runs/<run-id>/`, the latest also at `<output>/manifest.json`.
public struct Manifest: Codable, Sendable {
    public var runID: String
    public var asOf: String
    public var toolVersion: String
    public var configHash: String
    /// `done`, `failed`, `stopped_by_gate` or `dry_run`.
    public var status: String
    public var error: String?
    /// From the start of the run to its end (stages may run side by side, so their seconds
    /// can add up to more).
    public var seconds: Double?
    public var inputs: [ManifestInput] = []
    public var stages: [StageEntry] = []
    public var counts = Counts([:])
    public var outputs: [ManifestOutput] = []

    init(runID: String, asOf: String, toolVersion: String, configHash: String, status: String) {
        self.runID = runID
        self.asOf = asOf
        self.toolVersion = toolVersion
        self.configHash = configHash
        self.status = status
    }

    enum CodingKeys: String, CodingKey {
        case runID = "run_id", asOf = "as_of", toolVersion = "tool_version", configHash = "config_hash"
        case status, error, seconds, inputs, stages, counts, outputs
    }

    /// The counts every manifest carries, exactly these keys.
    public struct Counts: Codable, Sendable, Equatable {
        public var seekersRows, people, rejectedRows, screened, review, pending: Int
        public var cardsGreen, cardsYellow, cardsRed, cardsNew: Int
        public var institutionsEvaluated, institutionsSelected: Int

        init(_ c: [String: Int]) {
            seekersRows = c["seekers_rows"] ?? 0
            people = c["people"] ?? 0
            rejectedRows = c["rejected_rows"] ?? 0
            screened = c["screened"] ?? 0
            review = c["review"] ?? 0
            pending = c["pending"] ?? 0
            cardsGreen = c["cards_green"] ?? 0
            cardsYellow = c["cards_yellow"] ?? 0
            cardsRed = c["cards_red"] ?? 0
            cardsNew = c["cards_new"] ?? 0
            institutionsEvaluated = c["institutions_evaluated"] ?? 0
            institutionsSelected = c["institutions_selected"] ?? 0
        }

        enum CodingKeys: String, CodingKey {
            case seekersRows = "seekers_rows", people, rejectedRows = "rejected_rows", screened, review, pending
            case cardsGreen = "cards_green", cardsYellow = "cards_yellow", cardsRed = "cards_red", cardsNew = "cards_new"
            case institutionsEvaluated = "institutions_evaluated", institutionsSelected = "institutions_selected"
        }
    }

    func save(_ config: Configuration) throws(PipelineError) {
        try JSONFile.write(self, to: config.paths.output + "/runs/\(runID)/manifest.json")
        try JSONFile.write(self, to: config.paths.output + "/manifest.json")
    }
}

/// An input of the run.
public struct ManifestInput: Codable, Sendable {
    public var input: String
    public var path: String
    public var sha256: String
    public var bytes: Int
    public var rowsRead: Int
    public var accepted: Int
    public var rejected: Int

    enum CodingKeys: String, CodingKey {
        case input, path, sha256, bytes, rowsRead = "rows_read", accepted = "rows_accepted", rejected = "rows_rejected"
    }
}

/// What became of one stage in the run.
public struct StageEntry: Codable, Sendable {
    public var stage: StageName
    /// True when it ran in this run.
    public var ran: Bool
    /// Why it ran or was skipped.
    public var why: String
    public var started: String?
    public var seconds: Double
    public var counts: [String: Int]
}

/// A file the run's stages wrote.
public struct ManifestOutput: Codable, Sendable {
    public var stage: StageName
    public var path: String
    public var sha256: String
}
