/// Why an input row could not be used: the contract's vocabulary, the same in every output.
public enum RejectReason: String, Sendable, CaseIterable, Comparable {
    case missingField = "missing_field"
    case columnCount = "column_count"
    case badEncoding = "bad_encoding"
    case badQuote = "bad_quote"
    case unterminatedQuote = "unterminated_quote"
    case badID = "bad_id"
    case badIDCheck = "bad_id_check"
    case badDate = "bad_date"
    case badPhone = "bad_phone"
    case badName = "bad_name"
    case badSex = "bad_sex"
    case sexMismatch = "sex_mismatch"
    case birthMismatch = "birth_mismatch"
    case unknownDistrict = "unknown_district"
    case unknownService = "unknown_service"
    case unknownInstitution = "unknown_institution"
    case unknownWorker = "unknown_worker"
    case badValue = "bad_value"
    case badNumber = "bad_number"
    case badRating = "bad_rating"
    case tooLong = "too_long"
    case duplicate = "duplicate"
    case afterAsOf = "after_as_of"

    /// A sentence for people who do not read codes.
    public var explanation: String {
        switch self {
        case .missingField: return "a required field is empty"
        case .columnCount: return "the row has too few or too many fields"
        case .badEncoding: return "bytes that are not valid in the file's declared encoding"
        case .badQuote: return "a quote where CSV allows none"
        case .unterminatedQuote: return "the file ends inside a quoted field"
        case .badID: return "not an 18-character ID number, or its birth date does not exist"
        case .badIDCheck: return "the ID number's check character does not match"
        case .badDate: return "not a date in a recognised format, or a day that does not exist"
        case .badPhone: return "not an 11-digit mainland mobile number"
        case .badName: return "a name must be 1-30 Chinese or Latin characters"
        case .badSex: return "sex must be M/F or 男/女"
        case .sexMismatch: return "sex does not agree with the ID number"
        case .birthMismatch: return "birth date does not agree with the ID number"
        case .unknownDistrict: return "not a Wenzhou district or county code"
        case .unknownService: return "not a code of the service catalog"
        case .unknownInstitution: return "no such institution in the institutions extract"
        case .unknownWorker: return "no such person among the job seekers"
        case .badValue: return "not one of the allowed values"
        case .badNumber: return "not a number in the allowed range"
        case .badRating: return "rating must be a whole number from 1 to 5"
        case .tooLong: return "longer than allowed"
        case .duplicate: return "the row's key appears earlier in the file"
        case .afterAsOf: return "dated after the run's as-of date"
        }
    }

    public static func < (a: RejectReason, b: RejectReason) -> Bool { a.rawValue < b.rawValue }
}

/// One thing wrong with one field of a row.
public struct FieldProblem: Sendable, Hashable {
    /// Canonical column name, or `wholeRow` when the problem is the row as a whole.
    public var column: String
    /// The reason code.
    public var reason: RejectReason
    /// What was expected, in a few words.
    public var detail: String
    /// The value as it arrived.
    public var value: String

    /// The column name of problems that concern the whole row (its quoting, its field count).
    public static let wholeRow = "(row)"

    /// A problem with one field.
    public init(column: String, reason: RejectReason, detail: String = "", value: String) {
        self.column = column
        self.reason = reason
        self.detail = detail.isEmpty ? reason.explanation : detail
        self.value = value
    }
}

/// An entry of the rejects ledger: where a row was, and what was wrong with it.
public struct Reject: Sendable, Hashable {
    /// The input's name (`seekers`, `police_records`, ...).
    public var input: String
    /// The file's path as configured.
    public var file: String
    /// Physical line of the row.
    public var line: Int
    /// The problem.
    public var problem: FieldProblem
    /// The column's header as it appears in the file (may differ from the canonical name).
    public var header: String

    /// An entry for `problem` at `line` of `file`.
    public init(input: String, file: String, line: Int, problem: FieldProblem, header: String) {
        self.input = input
        self.file = file
        self.line = line
        self.problem = problem
        self.header = header
    }
}
