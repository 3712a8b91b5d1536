import AnxinCore
import CSV

/// Everything a run needs, as read from `pipeline.conf` (see that file for each key).
public struct Configuration: Sendable {
    /// The configuration file's path, as given.
    public var file: String
    /// Relative paths in the file resolve against this folder (the file's own).
    public var baseDirectory: String
    /// The day every rule is judged against.
    public var asOf: CivilDate
    /// The market's name, for reports and document properties.
    public var marketName: String
    /// Language of report labels.
    public var language: ReportLanguage
    /// Where reference lists, work files, outputs and the registry live.
    public var paths: Paths
    /// The extracts, by kind (review decisions may be absent).
    public var inputs: [InputKind: InputSource]
    /// Screening policy.
    public var screening: ScreeningPolicy
    /// Card eligibility policy.
    public var eligibility: EligibilityPolicy
    /// Card numbering.
    public var cards: CardPolicy
    /// The cards' QR codes and public files.
    public var cardFiles: CardFiles

    /// `[cards]` beyond numbering: where the QR signing key lives and what is rendered.
    public struct CardFiles: Sendable, Equatable {
        /// The key file (the environment variable ANXIN_QR_KEY_FILE overrides it).
        public var keyFile: String
        /// The address QR payloads point to.
        public var qrBaseURL: String
        /// Whether the cards stage renders QR images and public pages for new and changed cards.
        public var render: Bool
    }
    /// Institution evaluation.
    public var evaluation: EvaluationPolicy
    /// Limits on how much the inputs may change before the cards stage.
    public var gates: Gates

    /// `[gates]`: a broken extract must not revoke half the city's cards.
    public struct Gates: Sendable, Equatable {
        /// Largest share of rejected seeker rows (0-1).
        public var maxRejectedSeekerShare: Double
        /// Largest drop in police-record rows against the last successful run (0-1).
        public var maxPoliceDrop: Double

        /// The defaults: 5% rejected seekers, a 50% drop in police records.
        public static let `default` = Gates(maxRejectedSeekerShare: 0.05, maxPoliceDrop: 0.5)
    }

    /// Locations, already resolved against `baseDirectory`.
    public struct Paths: Sendable, Equatable {
        /// Wenzhou's district list.
        public var districts: String
        /// The service catalog.
        public var services: String
        /// Datasets and stage records.
        public var work: String
        /// Reports and card files.
        public var output: String
        /// The card registry database.
        public var registry: String

        /// Locations with every path given.
        public init(districts: String, services: String, work: String, output: String, registry: String) {
            self.districts = districts
            self.services = services
            self.work = work
            self.output = output
            self.registry = registry
        }
    }
}

/// One extract: where it is, how it is encoded, how its headers map to canonical names.
public struct InputSource: Sendable, Equatable {
    /// Which extract.
    public var kind: InputKind
    /// The path as written in the configuration (for messages).
    public var configuredPath: String
    /// The path resolved against the configuration's folder.
    public var path: String
    /// Declared encoding.
    public var encoding: TextEncoding
    /// Header text as it appears in the file → canonical column name.
    public var headerAliases: [String: String]

    /// A source with every field given.
    public init(kind: InputKind, configuredPath: String, path: String, encoding: TextEncoding, headerAliases: [String: String]) {
        self.kind = kind
        self.configuredPath = configuredPath
        self.path = path
        self.encoding = encoding
        self.headerAliases = headerAliases
    }
}

/// Languages the report labels ship in.
public enum ReportLanguage: String, Sendable, CaseIterable {
    case zh, en
}
