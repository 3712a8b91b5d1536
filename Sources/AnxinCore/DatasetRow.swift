/// A row of a named dataset: written out as CSV by one stage, read back by the next.
public protocol DatasetRow: Sendable {
    /// The dataset's columns, in order.
    static var columns: [String] { get }
    /// The columns of the dataset file (the canonical ones, plus any the pipeline derives).
    static var datasetColumns: [String] { get }
    /// The row's values, in `datasetColumns` order.
    var fields: [String] { get }
    /// Rebuilds a row this pipeline wrote; throws when the dataset was altered.
    init(fields: [String]) throws(DatasetError)
    /// Rebuilds a row from its fields read in place: the same row as `init(fields:)`, for the
    /// biggest datasets without a string made for every field. By default through
    /// `init(fields:)`.
    init<Fields: DatasetFields>(row: Fields) throws(DatasetError)
}

extension DatasetRow {
    /// By default a dataset has exactly the canonical columns.
    public static var datasetColumns: [String] { columns }

    public init<Fields: DatasetFields>(row: Fields) throws(DatasetError) {
        try self.init(fields: (0..<row.count).map(row.text))
    }
}

/// The fields of one line of a dataset, read in place by `DatasetRow.init(row:)`.
public protocol DatasetFields {
    /// Number of fields.
    var count: Int { get }
    /// Field `i`'s bytes as the file holds them (a field that would read as a formula has a
    /// leading `'`).
    func bytes(_ i: Int) -> UnsafeBufferPointer<UInt8>
    /// Field `i`'s text, as `init(fields:)` is given it (that `'` taken off).
    func text(_ i: Int) -> String
}

extension DatasetFields {
    /// Throws unless there are `columns.count` fields.
    func check(_ columns: [String]) throws(DatasetError) {
        try Decode.check(count: count, columns)
    }

    /// Field `i` as `Decode.date` reads it, plain dates read on bytes.
    func date(_ column: String, _ i: Int) throws(DatasetError) -> CivilDate {
        let b = bytes(i)
        if b.first != 0x27, let date = Canonical.parseDate(b) { return date }
        return try Decode.date(column, text(i))
    }

    /// Field `i` as `Decode.optionalDate` reads it.
    func optionalDate(_ column: String, _ i: Int) throws(DatasetError) -> CivilDate? {
        bytes(i).isEmpty ? nil : try date(column, i)
    }

    /// Field `i` as `Text.list` splits it, on bytes.
    func list(_ i: Int) -> [String] {
        let b = bytes(i)
        return b.first == 0x27 ? Text.list(text(i)) : Text.list(utf8: b)
    }
}

/// A row of an input extract: validated and normalized by ingest.
public protocol IngestibleRow: DatasetRow {
    /// Which extract the row comes from.
    static var kind: InputKind { get }
    /// Validates and normalizes the canonical fields; problems go to `cursor`.
    static func parse(_ cursor: inout FieldCursor, rules: IngestRules) -> Self?
    /// A key that must be unique within the file, if the contract names one.
    var uniqueKey: String? { get }
}

/// A dataset file that does not hold what this pipeline wrote.
public struct DatasetError: Error, Sendable, CustomStringConvertible {
    /// What was wrong.
    public var message: String
    /// An error with a message.
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}

extension DatasetError {
    static func field(_ column: String, _ value: String) -> DatasetError {
        DatasetError("column \(column) holds \"\(value)\", which this pipeline never writes")
    }
}

/// Decoding helpers for datasets this pipeline wrote.
enum Decode {
    static func date(_ column: String, _ value: String) throws(DatasetError) -> CivilDate {
        guard let d = CivilDate.parse(value) else { throw .field(column, value) }
        return d
    }

    static func optionalDate(_ column: String, _ value: String) throws(DatasetError) -> CivilDate? {
        value.isEmpty ? nil : try date(column, value)
    }

    static func enumValue<T: RawRepresentable<String>>(_ column: String, _ value: String) throws(DatasetError) -> T {
        guard let v = T(rawValue: value) else { throw .field(column, value) }
        return v
    }

    static func int(_ column: String, _ value: String) throws(DatasetError) -> Int {
        guard let v = Int(value) else { throw .field(column, value) }
        return v
    }

    static func double(_ column: String, _ value: String) throws(DatasetError) -> Double {
        guard let v = Double(value) else { throw .field(column, value) }
        return v
    }

    static func bool(_ column: String, _ value: String) throws(DatasetError) -> Bool {
        switch value {
        case "true": return true
        case "false": return false
        default: throw .field(column, value)
        }
    }

    static func check(_ fields: [String], _ columns: [String]) throws(DatasetError) {
        try check(count: fields.count, columns)
    }

    /// That a row of `count` fields has one for each of `columns`.
    static func check(count: Int, _ columns: [String]) throws(DatasetError) {
        guard count == columns.count else { throw DatasetError("expected \(columns.count) fields, found \(count)") }
    }
}
