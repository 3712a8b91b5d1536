/// How a file's header row maps onto an input's canonical columns.
public struct HeaderMap: Sendable, Equatable {
    /// For each canonical column, the index of the file's column, or nil when it is absent.
    public let indices: [Int?]
    /// The file's header text for each canonical column (the canonical name when absent).
    public let headers: [String]
    /// Columns of the file that map to nothing (ignored, reported once).
    public let extra: [String]
    /// Number of columns in the file.
    public let width: Int

    /// Why a header cannot be used.
    public enum Problem: Error, Sendable, Equatable {
        /// Required canonical columns that no header maps to.
        case missing([String])
        /// Two headers map to one canonical column.
        case ambiguous(column: String, headers: [String])
    }

    /// Maps `header` (the file's first row) for `kind`; `aliases` maps header text to canonical names.
    /// Headers match after trimming, full-width folding and case-folding; a canonical name
    /// always matches itself.
    public static func make(header: [String], kind: InputKind, aliases: [String: String]) -> Result<HeaderMap, Problem> {
        let columns = kind.columns
        var foldedAliases: [String: String] = [:]
        for (from, to) in aliases { foldedAliases[fold(from)] = to }
        var found: [String: [Int]] = [:]
        var extra: [String] = []
        for (j, h) in header.enumerated() {
            let key = fold(h)
            let canonical = foldedAliases[key] ?? (columns.contains(key) ? key : nil)
            if let canonical { found[canonical, default: []].append(j) } else { extra.append(h) }
        }
        var indices: [Int?] = []
        var headers: [String] = []
        var missing: [String] = []
        for column in columns {
            let js = found[column] ?? []
            if js.count > 1 { return .failure(.ambiguous(column: column, headers: js.map { header[$0] })) }
            if js.isEmpty && !kind.optionalColumns.contains(column) { missing.append(column) }
            indices.append(js.first)
            headers.append(js.first.map { Text.trim(header[$0]) } ?? column)
        }
        if !missing.isEmpty { return .failure(.missing(missing)) }
        return .success(HeaderMap(indices: indices, headers: headers, extra: extra, width: header.count))
    }

    static func fold(_ h: String) -> String { Text.code(h) }
}

/// Turns one extract's rows into typed rows or ledger entries, tracking unique keys.
public struct RowIngester<Row: IngestibleRow> {
    /// The rules rows are checked against.
    public let rules: IngestRules
    /// The file's header mapping.
    public let headerMap: HeaderMap
    @usableFromInline var seenKeys: KeySet
    private var values: [String]
    @usableFromInline let lane: FastLane?
    @usableFromInline var fileFields: [String?] = []

    /// An ingester for one file; `fastLane` lets canonical rows skip building Strings;
    /// `expectedRows` sizes the set of unique keys.
    public init(rules: IngestRules, headerMap: HeaderMap, fastLane: Bool = true, expectedRows: Int = 1024) {
        self.rules = rules
        self.headerMap = headerMap
        values = Array(repeating: "", count: Row.columns.count)
        lane = fastLane ? FastLane(kind: Row.kind, rules: rules, headerMap: headerMap) : nil
        seenKeys = KeySet(capacity: Row.columns.isEmpty ? 0 : expectedRows)
    }

    /// Ingests one row given as raw bytes (`ends[k]` is the end offset of field k in `storage`).
    /// A canonical row's dataset line is appended to `line` (`.line`); any other row is parsed
    /// by the full rules (`.row` or `.rejected`).
    @inlinable
    public mutating func ingest(storage: UnsafeBufferPointer<UInt8>, ends: UnsafeBufferPointer<Int>,
                                line: inout [UInt8]) -> LineOutcome<Row> {
        if ends.count == headerMap.width, let lane {
            let start = line.count
            if let key = lane.accept(storage: storage, ends: ends, into: &line) {
                if key.isEmpty { return .line }
                if line.withUnsafeBufferPointer({ seenKeys.insert(UnsafeBufferPointer(rebasing: $0[key])) }) {
                    return .line
                }
                let text = line.withUnsafeBufferPointer { String(decoding: UnsafeBufferPointer(rebasing: $0[key]), as: UTF8.self) }
                line.removeSubrange(start...)
                return .rejected([FieldProblem(column: Row.columns[0], reason: .duplicate,
                                               detail: "\(Row.columns[0]) \(text) appears earlier in the file", value: text)])
            }
        }
        fileFields.removeAll(keepingCapacity: true)
        var from = 0
        for end in ends {
            let field = UnsafeBufferPointer(rebasing: storage[from..<end])
            fileFields.append(Text.isASCII(field) ? String(decoding: field, as: UTF8.self)
                                                  : String(validating: field, as: UTF8.self))
            from = end
        }
        switch ingest(fileFields: fileFields) {
        case .accepted(let row): return .row(row)
        case .rejected(let problems): return .rejected(problems)
        }
    }

    /// Parses one row given the file's fields (nil where a field is not valid text).
    public mutating func ingest(fileFields: [String?]) -> IngestOutcome<Row> {
        guard fileFields.count == headerMap.width else {
            let value = fileFields.map { $0 ?? "\u{FFFD}" }.joined(separator: ",")
            return .rejected([FieldProblem(column: FieldProblem.wholeRow, reason: .columnCount,
                                          detail: "expected \(headerMap.width) fields, found \(fileFields.count)",
                                          value: value)])
        }
        var encodingProblems: [FieldProblem] = []
        for (i, j) in headerMap.indices.enumerated() {
            guard let j else { values[i] = ""; continue }
            if let text = fileFields[j] {
                values[i] = text
            } else {
                values[i] = ""
                encodingProblems.append(FieldProblem(column: Row.columns[i], reason: .badEncoding, value: "\u{FFFD}"))
            }
        }
        if !encodingProblems.isEmpty { return .rejected(encodingProblems) }
        var cursor = FieldCursor(values: values, columns: Row.columns)
        guard let row = Row.parse(&cursor, rules: rules) else { return .rejected(cursor.problems) }
        if let key = row.uniqueKey {
            if !seenKeys.insert(key) {
                let column = Row.columns[0]
                return .rejected([FieldProblem(column: column, reason: .duplicate,
                                              detail: "\(column) \(key) appears earlier in the file", value: key)])
            }
        }
        return .accepted(row)
    }
}

/// What became of one input row given as bytes.
public enum LineOutcome<Row: Sendable>: Sendable {
    /// Canonical and valid: its dataset line was written out as it came.
    case line
    /// Valid after normalization.
    case row(Row)
    /// Not usable, with every problem found.
    case rejected([FieldProblem])
}

/// What became of one input row.
public enum IngestOutcome<Row: Sendable>: Sendable {
    /// Valid and normalized.
    case accepted(Row)
    /// Not usable, with every problem found.
    case rejected([FieldProblem])
}
