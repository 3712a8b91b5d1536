/// One course result of one person.
public struct TrainingResult: IngestibleRow, Hashable {
    public var idNumber: IDNumber
    public var courseCode: String
    public var serviceArea: String
    public var hours: Double
    public var passed: Bool
    public var completedOn: CivilDate

    /// A result with every field given.
    public init(idNumber: IDNumber, courseCode: String, serviceArea: String, hours: Double,
                passed: Bool, completedOn: CivilDate) {
        self.idNumber = idNumber
        self.courseCode = courseCode
        self.serviceArea = serviceArea
        self.hours = hours
        self.passed = passed
        self.completedOn = completedOn
    }

    public static let kind = InputKind.training
    public static let columns = ["id_number", "course_code", "service_area", "hours", "passed", "completed_on"]
    public var uniqueKey: String? { nil }

    public var fields: [String] {
        [idNumber.value, courseCode, serviceArea, Number.format(hours), passed ? "true" : "false",
         completedOn.description]
    }

    public init(fields f: [String]) throws(DatasetError) {
        try Decode.check(f, Self.columns)
        self.init(idNumber: IDNumber(trusted: f[0]), courseCode: f[1], serviceArea: f[2],
                  hours: try Decode.double("hours", f[3]), passed: try Decode.bool("passed", f[4]),
                  completedOn: try Decode.date("completed_on", f[5]))
    }

    public init<Fields: DatasetFields>(row f: Fields) throws(DatasetError) {
        try f.check(Self.columns)
        self.init(idNumber: IDNumber(trusted: f.text(0)), courseCode: f.text(1), serviceArea: f.text(2),
                  hours: try Decode.double("hours", f.text(3)), passed: try Decode.bool("passed", f.text(4)),
                  completedOn: try f.date("completed_on", 5))
    }

    public static func parse(_ c: inout FieldCursor, rules: IngestRules) -> TrainingResult? {
        let id = c.idNumber(0)
        let course = Text.foldFullWidth(c.text(1, maxLength: 64))
        let area = c.code(2, in: rules.services, reason: .unknownService)
        let hours = Number.parse(&c, 3, range: 0...10_000)
        let passed = c.bool(4)
        let completed = c.date(5, notAfter: rules.asOf)
        guard c.problems.isEmpty, let id, let area, let hours, let passed, let completed else { return nil }
        return TrainingResult(idNumber: id, courseCode: course, serviceArea: area, hours: hours,
                              passed: passed, completedOn: completed)
    }
}

/// Numbers as extracts type them.
public enum Number {
    /// Parses field `i` as a decimal number within `range`.
    public static func parse(_ c: inout FieldCursor, _ i: Int, range: ClosedRange<Double>) -> Double? {
        let t = Text.foldFullWidth(c.text(i))
        if t.isEmpty { return nil }
        guard t.utf8.allSatisfy({ ($0 >= 0x30 && $0 <= 0x39) || $0 == 0x2E }),
              let v = Double(t), range.contains(v) else {
            c.fail(i, .badNumber, "expected a number from \(format(range.lowerBound)) to \(format(range.upperBound))")
            return nil
        }
        return v
    }

    /// A number without a needless `.0`.
    public static func format(_ v: Double) -> String {
        if v == v.rounded(), abs(v) < 1e15 { return String(Int(v)) }
        return String(v)
    }
}

/// Every course result, grouped by person: sorted by ID number once, then looked up without
/// hashing. A city has a million results; people are met in ID order (screening, the
/// evaluation), so a lookup given a `Cursor` moves a few places forward rather than searching.
public struct TrainingIndex: Sendable {
    /// The results by ID number, in file order for one number.
    private let results: [TrainingResult]
    /// `results[i].idNumber.sortKey`.
    private let keys: [UInt64]
    /// Whether every result's ID number has a key of its own (see `IDNumber.hasDistinctKey`).
    private let distinctKeys: Bool

    /// Indexes `results` (in file order).
    public init(_ results: consuming [TrainingResult]) {
        var order = results.indices.map { (key: results[$0].idNumber.sortKey, index: $0) }
        order.sort { $0.key != $1.key ? $0.key < $1.key : $0.index < $1.index }
        distinctKeys = results.allSatisfy { $0.idNumber.hasDistinctKey }
        var sorted = consume results
        TrainingIndex.permute(&sorted, by: order.lazy.map(\.index))
        self.results = sorted
        keys = order.map(\.key)
    }

    /// Puts at each position `i` of `values` the element that was at `source[i]`, moving the
    /// elements along the permutation's cycles: a copy of each would retain and release every
    /// text it holds (a city has a million results).
    static func permute<Source: RandomAccessCollection>(_ values: inout [TrainingResult], by source: Source)
    where Source.Element == Int, Source.Index == Int {
        precondition(source.count == values.count)
        var placed = [Bool](repeating: false, count: values.count)
        values.withUnsafeMutableBufferPointer { buffer in
            guard let base = buffer.baseAddress else { return }
            for start in buffer.indices where !placed[start] {
                let first = (base + start).move()
                var position = start
                while true {
                    placed[position] = true
                    let from = source[source.startIndex + position]
                    precondition(from == start || !placed[from], "not a permutation")
                    if from == start {
                        (base + position).initialize(to: first)
                        break
                    }
                    (base + position).moveInitialize(from: base + from, count: 1)
                    position = from
                }
            }
        }
    }

    /// The number of results.
    public var count: Int { results.count }

    /// Where the last lookup ended: lookups in ascending ID order, each given the same cursor,
    /// take a few steps each.
    public struct Cursor {
        var position = 0
        /// A cursor at the start.
        public init() {}
    }

    /// The results of the person with ID number `id`, in file order.
    public func courses(of id: IDNumber) -> ArraySlice<TrainingResult> {
        var cursor = Cursor()
        return courses(of: id, from: &cursor)
    }

    /// The results of the person with ID number `id`, in file order, looked up from `cursor`.
    public func courses(of id: IDNumber, from cursor: inout Cursor) -> ArraySlice<TrainingResult> {
        let key = id.sortKey
        var start = cursor.position
        if start > keys.count || start > 0 && keys[start - 1] >= key {
            start = TrainingIndex.firstIndex(in: keys, notBelow: key, from: 0, to: min(start, keys.count))
        } else {
            // Forward in growing steps, then halving: a few places for the next person in order.
            var step = 1
            var end = start
            while end < keys.count && keys[end] < key {
                start = end + 1
                end = min(keys.count, end + step)
                step *= 2
            }
            start = TrainingIndex.firstIndex(in: keys, notBelow: key, from: start, to: end)
        }
        var end = start
        while end < keys.count && keys[end] == key { end += 1 }
        cursor.position = end
        // The key orders ID numbers as their text does; text that is not an ID number (an edited
        // dataset) could share a key with another, and then the number itself is compared.
        if start == end || distinctKeys && id.hasDistinctKey { return results[start..<end] }
        return ArraySlice(results[start..<end].filter { $0.idNumber == id })
    }

    /// The first index in `from..<to` whose key is at least `key` (`to` if none), the keys there
    /// being sorted.
    private static func firstIndex(in keys: [UInt64], notBelow key: UInt64, from: Int, to: Int) -> Int {
        var (low, high) = (from, to)
        while low < high {
            let middle = (low + high) / 2
            if keys[middle] < key { low = middle + 1 } else { high = middle }
        }
        return low
    }
}
