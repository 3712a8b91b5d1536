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
