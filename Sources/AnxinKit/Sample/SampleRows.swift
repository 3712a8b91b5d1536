import AnxinCore
import CSV
import Foundation

// The pieces rows are made of: dirty rows and their kinds, the output files, and how IDs
// and dates are written down.

/// A deliberately dirty row: fields the writer quotes as usual, or a line written as it is.
enum DirtyRow {
    case fields([String])
    case line(String)
}

/// The ways a `seekers.csv` row is spoiled.
enum SeekerFlaw: CaseIterable {
    case badCheck, badID, badDate, sexMismatch, birthMismatch, badPhone, unknownDistrict, unknownService
    case unknownInstitution, missingField, tooFewFields, tooManyFields, duplicateID, afterAsOf, badName
    case badValue, strayQuote
}

/// The ways a `police_records.csv` row is spoiled (a bad or missing ID number is not one:
/// old records are kept and matched by name and birth date).
enum PoliceFlaw: CaseIterable {
    case missingField, badKind, badDate, tooFewFields, tooManyFields, duplicateID, strayQuote
}

/// The ways a `training.csv` row is spoiled.
enum TrainingFlaw: CaseIterable {
    case badCheck, badID, missingField, unknownService, badHours, badPassed, badDate, afterAsOf
    case tooFewFields, tooManyFields, strayQuote
}

/// The ways an extra `institutions.csv` row is spoiled.
enum InstitutionFlaw: CaseIterable {
    case duplicateID, unknownDistrict, badDate, missingField, tooFewFields, tooManyFields, strayQuote
}

/// The ways an `evaluations.csv` row is spoiled.
enum EvaluationFlaw: CaseIterable {
    case badRating, unknownInstitution, badCheck, unknownWorker, badComplaint, badDate, afterAsOf, duplicateID
    case missingField, tooFewFields, tooManyFields, strayQuote
}

/// The ways an extra `review_decisions.csv` row is spoiled.
enum DecisionFlaw: CaseIterable {
    case badDecision, afterAsOf, badDate, missingField, badCheck, tooFewFields
}

/// One output file: its writer and what has gone into it.
struct OutputFile {
    let kind: InputKind
    let writer: CSVWriter
    private(set) var rows = 0
    private(set) var dirtyRows: [Int] = []
    /// Rows written clean.
    var cleanRows: Int { rows - dirtyRows.count }

    init(kind: InputKind, directory: String, header: [String], encoding: TextEncoding = .utf8) throws(CSVError) {
        self.kind = kind
        // World-readable like any extract handed over; raw values, so no formula escaping.
        writer = try CSVWriter(path: directory + "/\(kind.rawValue).csv", mode: 0o644,
                               neutralizeFormulas: false, encoding: encoding)
        try writer.write(header)
    }

    mutating func write(_ fields: [String]) throws(CSVError) {
        try writer.write(fields)
        rows += 1
    }

    mutating func write(dirty row: DirtyRow) throws(CSVError) {
        dirtyRows.append(rows)
        switch row {
        case .fields(let fields): try writer.write(fields)
        case .line(let line): try writer.writeLines(Array(line.utf8) + [0x0A])
        }
        rows += 1
    }

    var summary: SampleGenerator.FileSummary {
        SampleGenerator.FileSummary(kind: kind, path: writer.path, rows: rows, dirtyRows: dirtyRows)
    }
}

/// Spoiling helpers shared by every file.
enum Spoil {
    /// The row with its last one or two fields dropped.
    static func tooFew(_ f: [String], _ rng: inout SampleRandom) -> DirtyRow {
        .fields(Array(f.dropLast(rng.percent(70) ? 1 : 2)))
    }

    /// The row with a field too many (a trailing comma, or a remark nobody asked for).
    static func tooMany(_ f: [String], _ rng: inout SampleRandom) -> DirtyRow {
        .fields(f + [rng.percent(60) ? "" : "备注"])
    }

    /// The row as a line with a bare quote inside the unquoted field `column`. Line breaks in
    /// the other fields become spaces: a reader gives up on the rest of the physical line
    /// after a bad quote, and the next line must not turn into a second bad record.
    static func strayQuote(_ f: [String], column: Int) -> DirtyRow {
        var parts: [String] = []
        for (i, var field) in f.enumerated() {
            if field.utf8.contains(0x0A) || field.utf8.contains(0x0D) {
                field = String(field.map { $0 == "\n" || $0 == "\r" || $0 == "\r\n" ? " " : $0 })
            }
            if i == column {
                let cut = field.index(field.startIndex, offsetBy: min(1, field.count))
                parts.append(String(field[..<cut]) + "\"" + String(field[cut...]))
            } else if field.utf8.contains(where: { $0 == 0x2C || $0 == 0x22 || $0 == 0x0A || $0 == 0x0D }) {
                parts.append("\"" + field.replacingOccurrences(of: "\"", with: "\"\"") + "\"")
            } else {
                parts.append(field)
            }
        }
        return .line(parts.joined(separator: ","))
    }

    /// One of `candidates` that is not among the `known` codes (a made-up one if all are).
    static func unknownCode(_ candidates: [String], known: Set<String>, _ rng: inout SampleRandom) -> String {
        let unknown = candidates.filter { !known.contains($0) }
        return unknown.isEmpty ? "not_a_code" : rng.pick(unknown)
    }

    /// An ID number with a wrong check character.
    static func checkCharacter(_ id: String, _ rng: inout SampleRandom) -> String {
        let all = Array("0123456789X")
        let current = all.firstIndex(of: id.last ?? "0") ?? 0
        return String(id.dropLast()) + String(all[(current + 1 + rng.below(10)) % 11])
    }

    /// Something that is not an ID number at all.
    static func notAnID(_ id: String, _ rng: inout SampleRandom) -> String {
        var c = Array(id)
        switch rng.below(4) {
        case 0:
            c.remove(at: 6 + rng.below(11))  // a digit lost: 17 characters
        case 1:
            c = Array(IDText.oldFifteen(c))  // the old 15-digit form
        case 2:
            c[10] = "1"; c[11] = "3"  // month 13 (the check character no longer matters)
        default:
            c[1 + rng.below(15)] = "O"  // a letter typed for a zero
        }
        return String(c)
    }

    /// A date in no accepted form, or a day that does not exist.
    static func badDate(_ day: CivilDate, _ rng: inout SampleRandom) -> String {
        let y = day.year, m = day.month, d = day.day
        switch rng.below(5) {
        case 0: return "\(y)-02-30"
        case 1: return "\(SampleText.pad(d))/\(SampleText.pad(m))/\(y)"
        case 2: return "\(y).\(m).\(d)"
        case 3: return "\(y)-\(SampleText.pad(m))-\(SampleText.pad(d)) 00:00:00"
        default: return "\(y)-13-\(SampleText.pad(d))"
        }
    }
}

/// Small text helpers.
enum SampleText {
    /// A two-digit, zero-padded number.
    static func pad(_ n: Int) -> String { n < 10 ? "0\(n)" : String(n) }

    /// `prefix` followed by `value` zero-padded to `width` digits, built without temporaries.
    static func code(_ prefix: StaticString, _ value: Int, width: Int) -> String {
        var digits = 0
        var v = value
        repeat { digits += 1; v /= 10 } while v > 0
        let w = max(width, digits)
        return prefix.withUTF8Buffer { p in
            String(unsafeUninitializedCapacity: p.count + w) { buf in
                for i in 0..<p.count { buf[i] = p[i] }
                var v = value
                for i in stride(from: p.count + w - 1, through: p.count, by: -1) {
                    buf[i] = UInt8(0x30 + v % 10)
                    v /= 10
                }
                return p.count + w
            }
        }
    }
}

/// How an ID number is written down.
enum IDText {
    /// The normalized 18 characters for the 17 digits of `body`.
    static func normalized(_ body: UInt64) -> String {
        // A plain array: a lazy view would make the generic (non-inlinable) check routine look
        // up type metadata on every call, a fifth of the whole run.
        var digits = [Int](repeating: 0, count: 17)
        var x = body
        for i in stride(from: 16, through: 0, by: -1) {
            digits[i] = Int(x % 10)
            x /= 10
        }
        let check = ISO7064.checkCharacter(digits).asciiValue!
        return String(unsafeUninitializedCapacity: 18) { buf in
            for i in 0..<17 { buf[i] = UInt8(0x30 + digits[i]) }
            buf[17] = check
            return 18
        }
    }

    /// The number as a person might type it into a form: mostly as is, sometimes with a
    /// lower-case `x`, full-width digits or spaces between the parts (all valid).
    static func typed(_ id: String, _ rng: inout SampleRandom, untidyPerMille: Int) -> String {
        if id.utf8.last == 0x58, rng.percent(25) { return String(id.dropLast()) + "x" }
        guard rng.perMille(untidyPerMille) else { return id }
        if rng.percent(50) {
            var out = String.UnicodeScalarView()
            for s in id.unicodeScalars {
                out.append(s == "X" ? s : Unicode.Scalar(s.value + 0xFEE0)!)
            }
            return String(out)
        }
        let c = Array(id)
        return String(c[0..<6]) + " " + String(c[6..<14]) + " " + String(c[14...])
    }

    /// The old 15-digit form (region, two-digit year, month, day, sequence) of an 18-digit number.
    static func oldFifteen(_ c: [Character]) -> String {
        String(c[0..<6]) + String(c[8..<17])
    }

    /// The number with one digit mistyped, so that its check character no longer matches.
    static func mistyped(_ id: String, _ rng: inout SampleRandom) -> String {
        var c = Array(id.utf8)
        let i = 6 + rng.below(11)
        c[i] = UInt8(0x30 + (Int(c[i]) - 0x30 + 1 + rng.below(9)) % 10)
        return String(decoding: c, as: UTF8.self)
    }
}

/// How a date is written down.
enum DateStyle {
    case iso, slash, compact, chinese
}

/// Date texts, the ISO ones made once: every row holds two or three dates.
struct DateTexts {
    private let first: Int
    private let iso: [String]

    /// Texts for the days from about 120 years before `asOf` to 40 years after it.
    init(around asOf: Int) {
        first = asOf - 44_000
        iso = (first..<(asOf + 15_000)).map { CivilDate(daysSinceEpoch: $0).description }
    }

    /// The day's text in `style`.
    func text(_ day: Int, _ style: DateStyle = .iso) -> String {
        switch style {
        case .iso:
            let i = day - first
            return i >= 0 && i < iso.count ? iso[i] : CivilDate(daysSinceEpoch: day).description
        case .slash:
            let d = CivilDate(daysSinceEpoch: day)
            return "\(d.year)/\(d.month)/\(d.day)"
        case .compact:
            let d = CivilDate(daysSinceEpoch: day)
            return "\(d.year)\(SampleText.pad(d.month))\(SampleText.pad(d.day))"
        case .chinese:
            let d = CivilDate(daysSinceEpoch: day)
            return "\(d.year)年\(d.month)月\(d.day)日"
        }
    }

    /// The day's text, in one of the other accepted forms `perMille` times in a thousand.
    func typed(_ day: Int, _ rng: inout SampleRandom, otherFormsPerMille: Int) -> String {
        guard rng.perMille(otherFormsPerMille) else { return text(day) }
        switch rng.below(3) {
        case 0: return text(day, .slash)
        case 1: return text(day, .compact)
        default: return text(day, .chinese)
        }
    }
}
