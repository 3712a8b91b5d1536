import AnxinCore

/// What ingest did with one extract.
public struct InputReport: Sendable, Codable, Equatable {
    /// The input's name (`seekers`, ...).
    public var input: String
    /// The path as configured.
    public var path: String
    /// Declared encoding.
    public var encoding: String
    /// Size of the file.
    public var bytes: Int
    /// Data rows read (the header is not a row; blank lines are not rows).
    public var rowsRead: Int
    /// Rows accepted into the dataset.
    public var accepted: Int
    /// Rows rejected into the ledger.
    public var rejected: Int
    /// Columns of the file that map to nothing.
    public var extraColumns: [String]
    /// Rejected rows by reason (a row with several problems counts under each).
    public var rejectsByReason: [String: Int]
}

/// What the ingest stage produced.
public struct IngestReport: Sendable, Codable, Equatable {
    /// The as-of date the rows were judged against.
    public var asOf: String
    /// One entry per extract read, in the contract's order.
    public var inputs: [InputReport]
    /// The rejects ledger.
    public var rejectsPath: String
    /// Entries in the ledger (one per problem).
    public var rejectEntries: Int

    /// The report of one input, if it was read.
    public func input(_ kind: InputKind) -> InputReport? { inputs.first { $0.input == kind.rawValue } }
}
