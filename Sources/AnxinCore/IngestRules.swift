/// What ingest validates against: the as-of date and the reference lists.
public struct IngestRules: Sendable {
    /// Rows dated after this day are rejected as `after_as_of`.
    public var asOf: CivilDate
    /// Known district and county codes.
    public var districts: Set<String>
    /// Known service-area codes.
    public var services: Set<String>
    /// Known institution ids; nil while the institutions extract is not read yet.
    public var institutions: Set<String>?
    /// ID numbers of the job seekers (evaluated workers must be among them); nil: not checked.
    public var workers: KeySet?

    /// Rules for one run.
    public init(asOf: CivilDate, districts: Set<String>, services: Set<String>, institutions: Set<String>? = nil) {
        self.asOf = asOf
        self.districts = districts
        self.services = services
        self.institutions = institutions
    }
}

/// Reads one row's canonical fields, collecting every problem instead of stopping at the first.
public struct FieldCursor {
    /// The row's values in canonical column order (empty for absent optional columns).
    public let values: [String]
    /// The canonical column names.
    public let columns: [String]
    /// Everything found wrong so far.
    public private(set) var problems: [FieldProblem] = []

    /// A cursor over one row.
    public init(values: [String], columns: [String]) {
        self.values = values
        self.columns = columns
    }

    /// Records a problem with column `i`.
    public mutating func fail(_ i: Int, _ reason: RejectReason, _ detail: String = "") {
        problems.append(FieldProblem(column: columns[i], reason: reason, detail: detail, value: values[i]))
    }

    /// Trimmed text; empty and required is `missing_field`.
    public mutating func text(_ i: Int, required: Bool = true, maxLength: Int = 200) -> String {
        let t = Text.trim(values[i])
        if t.isEmpty {
            if required { fail(i, .missingField) }
            return ""
        }
        // Counting characters is slow; a text of at most maxLength bytes cannot be too long.
        if t.utf8.count > maxLength && t.unicodeScalars.count > maxLength {
            fail(i, .tooLong, "at most \(maxLength) characters")
        }
        return t
    }

    /// A date in one of the accepted forms.
    public mutating func date(_ i: Int, required: Bool = true, notAfter limit: CivilDate? = nil) -> CivilDate? {
        let t = text(i, required: required)
        if t.isEmpty { return nil }
        guard let d = CivilDate.parse(t) else {
            fail(i, .badDate, "expected a date such as 2019-08-29, 2019/8/29, 20190829 or 2019年8月29日")
            return nil
        }
        if let limit, d > limit {
            fail(i, .afterAsOf, "dated \(d), after the as-of date \(limit)")
            return nil
        }
        return d
    }

    /// A valid ID number.
    public mutating func idNumber(_ i: Int) -> IDNumber? {
        let t = text(i)
        if t.isEmpty { return nil }
        switch IDNumber.parse(t) {
        case .success(let id): return id
        case .failure(.format):
            fail(i, .badID)
            return nil
        case .failure(.checkCharacter):
            fail(i, .badIDCheck)
            return nil
        }
    }

    /// One of a fixed set of words (compared after trimming, full-width folding and lower-casing).
    public mutating func choice<T>(_ i: Int, _ table: [String: T], expected: String) -> T? {
        let t = text(i)
        if t.isEmpty { return nil }
        guard let v = table[Text.code(t)] else {
            fail(i, .badValue, "expected \(expected)")
            return nil
        }
        return v
    }

    /// A boolean: true/false, 1/0, yes/no, 是/否.
    public mutating func bool(_ i: Int) -> Bool? {
        choice(i, FieldCursor.booleans, expected: "true or false")
    }

    static let booleans: [String: Bool] = [
        "true": true, "false": false, "1": true, "0": false, "yes": true, "no": false,
        "y": true, "n": false, "t": true, "f": false, "是": true, "否": false,
    ]

    /// A code from a reference list.
    public mutating func code(_ i: Int, in known: Set<String>, reason: RejectReason, required: Bool = true) -> String? {
        let t = text(i, required: required)
        if t.isEmpty { return nil }
        let c = Text.code(t)
        guard known.contains(c) else {
            fail(i, reason)
            return nil
        }
        return c
    }

    /// An institution id as the institutions extract spells it: trimmed, full-width folded, upper case.
    public static func institutionID(_ text: String) -> String {
        Text.foldFullWidth(Text.trim(text)).uppercased()
    }
}
