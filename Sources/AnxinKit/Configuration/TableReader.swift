import TOMLKit

/// Reads one TOML table strictly: each key is typed and checked, and `finish()` turns any
/// key nobody asked for into an error, so a typo never passes silently.
struct TableReader {
    let table: TOMLTable
    /// Dotted name, e.g. `screening.criminal_lookback_years` (empty for the root).
    let name: String
    let file: String
    private var seen: Set<String> = []
    private var expected: [String] = []

    init(table: TOMLTable, name: String, file: String) {
        self.table = table
        self.name = name
        self.file = file
    }

    /// The table's keys (for tables whose keys are data, such as header aliases).
    var keys: [String] { table.keys }

    /// An error about `key`, in the form `file: [table] key: message`.
    func error(_ key: String, _ message: String) -> PipelineError {
        .config("\(file): \(name.isEmpty ? "" : "[\(name)] ")\(key): \(message)")
    }

    /// The raw value of `key`, marking it as known.
    mutating func raw(_ key: String) -> TOMLValueConvertible? {
        seen.insert(key)
        expected.append(key)
        return table[key]
    }

    mutating func string(_ key: String, required: Bool = false) throws(PipelineError) -> String? {
        guard let v = raw(key) else {
            if required { throw error(key, "missing: expected a string") }
            return nil
        }
        guard let s = v.string else { throw error(key, "expected a string, found \(Self.describe(v))") }
        return s
    }

    mutating func int(_ key: String, range: ClosedRange<Int>) throws(PipelineError) -> Int? {
        guard let v = raw(key) else { return nil }
        guard v.type == .int, let i = v.int else { throw error(key, "expected a whole number, found \(Self.describe(v))") }
        guard range.contains(i) else { throw error(key, "expected a whole number from \(range.lowerBound) to \(range.upperBound), found \(i)") }
        return i
    }

    mutating func double(_ key: String, range: ClosedRange<Double>) throws(PipelineError) -> Double? {
        guard let v = raw(key) else { return nil }
        let d: Double
        if v.type == .int, let i = v.int { d = Double(i) } else if v.type == .double, let x = v.double { d = x } else {
            throw error(key, "expected a number, found \(Self.describe(v))")
        }
        guard range.contains(d) else { throw error(key, "expected a number from \(range.lowerBound) to \(range.upperBound), found \(d)") }
        return d
    }

    mutating func bool(_ key: String) throws(PipelineError) -> Bool? {
        guard let v = raw(key) else { return nil }
        guard v.type == .bool, let b = v.bool else { throw error(key, "expected true or false, found \(Self.describe(v))") }
        return b
    }

    mutating func stringArray(_ key: String) throws(PipelineError) -> [String]? {
        guard let v = raw(key) else { return nil }
        guard let a = v.array else { throw error(key, "expected a list of strings, found \(Self.describe(v))") }
        var out: [String] = []
        for element in a {
            guard let s = element.string else { throw error(key, "expected a list of strings, found \(Self.describe(element)) in it") }
            out.append(s)
        }
        return out
    }

    mutating func table(_ key: String, required: Bool) throws(PipelineError) -> TableReader? {
        guard let v = raw(key) else {
            if required { throw .config("\(file): missing table [\(qualified(key))]") }
            return nil
        }
        guard let t = v.table else { throw error(key, "expected a table [\(qualified(key))], found \(Self.describe(v))") }
        return TableReader(table: t, name: qualified(key), file: file)
    }

    /// Fails on the first key that was never asked for.
    func finish() throws(PipelineError) {
        for key in table.keys.sorted() where !seen.contains(key) {
            let known = expected.isEmpty ? "" : "; expected one of \(expected.joined(separator: ", "))"
            throw .config("\(file): \(name.isEmpty ? "" : "[\(name)] ")unknown key \"\(key)\"\(known)")
        }
    }

    private func qualified(_ key: String) -> String { name.isEmpty ? key : "\(name).\(key)" }

    static func describe(_ v: TOMLValueConvertible) -> String {
        switch v.type {
        case .string: return "the string \"\(v.string ?? "")\""
        case .int: return "the number \(v.int ?? 0)"
        case .double: return "the number \(v.double ?? 0)"
        case .bool: return "\(v.bool ?? false)"
        case .array: return "a list"
        case .table: return "a table"
        default: return "a \(v.type)"
        }
    }
}
