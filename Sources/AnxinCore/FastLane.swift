/// The fast lane of ingest: a row whose every field is already in the canonical form the
/// dataset stores (ISO dates, plain ID numbers, lower-case codes, ...) and valid is copied
/// to the dataset byte for byte, without building a single String. Anything else, valid or
/// not, leaves the lane and goes through the full rules (`IngestibleRow.parse`), which stay
/// the one definition of what is valid: the lane only ever accepts rows those rules accept
/// unchanged, and tests hold it to that.
public struct FastLane: Sendable {
    let kind: InputKind
    let rules: IngestRules
    /// For each canonical column, the file's column (nil: absent, read as empty).
    let indices: [Int?]
    /// The reference lists as byte-keyed sets (no String is made to look a code up).
    let districts: KeySet
    let services: KeySet
    let institutions: KeySet?

    /// A lane for one file, or nil for inputs too small to need one.
    public init?(kind: InputKind, rules: IngestRules, headerMap: HeaderMap) {
        guard [.seekers, .policeRecords, .training, .evaluations].contains(kind) else { return nil }
        self.kind = kind
        self.rules = rules
        indices = headerMap.indices
        func keys(_ set: Set<String>) -> KeySet {
            var k = KeySet(capacity: set.count)
            for code in set { _ = k.insert(code) }
            return k
        }
        districts = keys(rules.districts)
        services = keys(rules.services)
        institutions = rules.institutions.map(keys)
    }

    /// If the row (the file's fields, `ends[k]` being the end offset of field k in `storage`)
    /// is canonical and valid, appends its dataset line to `line` and returns the range of
    /// its unique key within `line` (an empty range when the input has none); else nil.
    @usableFromInline
    func accept(storage: UnsafeBufferPointer<UInt8>, ends: UnsafeBufferPointer<Int>,
                       into line: inout [UInt8]) -> Range<Int>? {
        let start = line.count
        let fields = Fields(storage: storage, ends: ends, indices: indices)
        let ok: Bool
        switch kind {
        case .seekers: ok = seeker(fields, &line)
        case .policeRecords: ok = police(fields, &line)
        case .training: ok = training(fields, &line)
        case .evaluations: ok = evaluation(fields, &line)
        default: ok = false
        }
        guard ok else {
            line.removeSubrange(start...)
            return nil
        }
        line.append(0x0A)
        if kind == .training { return start..<start }
        // The key is the first column, written first.
        var end = start
        while line[end] != 0x2C { end += 1 }
        return start..<end
    }

    /// Canonical column `i` of a row, as bytes.
    struct Fields {
        let storage: UnsafeBufferPointer<UInt8>
        let ends: UnsafeBufferPointer<Int>
        let indices: [Int?]

        subscript(_ i: Int) -> UnsafeBufferPointer<UInt8> {
            guard let j = indices[i] else { return UnsafeBufferPointer(start: storage.baseAddress, count: 0) }
            let from = j == 0 ? 0 : ends[j - 1]
            return UnsafeBufferPointer(rebasing: storage[from..<ends[j]])
        }
    }

    // MARK: The four large extracts

    private func seeker(_ f: Fields, _ out: inout [UInt8]) -> Bool {
        let id = f[2], health = f[9], checked = f[10]
        guard Canonical.token(f[0], max: 64), Canonical.name(f[1]), let idCheck = Canonical.idNumber(id),
              let male = Canonical.sex(f[3]), male == (id[16] & 1 == 1),
              let birth = Canonical.parseDate(f[4]), Canonical.birthMatches(birth, id),
              Canonical.mobile(f[5]), districts.contains(f[6]),
              Canonical.serviceList(f[7], known: services)
        else { return false }
        let institution = f[8]
        if institution.count > 0 {
            guard Canonical.upperToken(institution, max: 64) else { return false }
            if let known = institutions, !known.contains(institution) { return false }
        }
        guard let healthWord = Canonical.healthCheck(health) else { return false }
        let pending = healthWord == .pending
        var checkedOn: CivilDate?
        if checked.count == 0 {
            guard pending else { return false }
        } else {
            // A pending check's date is kept as it is; only a result can be after as-of.
            guard let d = Canonical.parseDate(checked), pending || d <= rules.asOf else { return false }
            checkedOn = d
        }
        guard let applied = Canonical.parseDate(f[11]), applied <= rules.asOf else { return false }
        out.append(contentsOf: f[0]); out.append(0x2C)
        out.append(contentsOf: f[1]); out.append(0x2C)
        out.append(contentsOf: UnsafeBufferPointer(rebasing: id[0..<17])); out.append(idCheck); out.append(0x2C)
        out.append(male ? 0x4D : 0x46); out.append(0x2C)
        Canonical.append(birth, to: &out); out.append(0x2C)
        for i in 5...8 {
            out.append(contentsOf: f[i])
            out.append(0x2C)
        }
        out.append(contentsOf: healthWord.bytes)
        out.append(0x2C)
        if let checkedOn { Canonical.append(checkedOn, to: &out) }
        out.append(0x2C)
        Canonical.append(applied, to: &out)
        return true
    }

    private func police(_ f: Fields, _ out: inout [UInt8]) -> Bool {
        let id = f[1]
        let idValid: Bool
        if id.count == 0 {
            idValid = false
        } else if Canonical.plainID(id) {
            idValid = Canonical.validID(id)
        } else if Canonical.digits(id, max: 64) {
            // Old 15-digit numbers and other digit strings: kept as typed, not valid.
            idValid = false
        } else {
            return false
        }
        let code = f[4]
        let birth = f[3].count == 0 ? nil : Canonical.parseDate(f[3])
        let end = f[8].count == 0 ? nil : Canonical.parseDate(f[8])
        guard Canonical.token(f[0], max: 64), Canonical.text(f[2], max: 60),
              f[3].count == 0 || birth != nil,
              code.count == 0 || Canonical.token(code, max: 64),
              Canonical.lowerCode(f[5], max: 64),
              let kind = Canonical.recordKind(f[6]),
              let recorded = Canonical.parseDate(f[7]),
              f[8].count == 0 || end != nil
        else { return false }
        for i in 0...2 {
            out.append(contentsOf: f[i])
            out.append(0x2C)
        }
        if let birth { Canonical.append(birth, to: &out) }
        for i in 4...5 {
            out.append(0x2C)
            out.append(contentsOf: f[i])
        }
        out.append(0x2C)
        out.append(contentsOf: kind)
        out.append(0x2C)
        Canonical.append(recorded, to: &out)
        out.append(0x2C)
        if let end { Canonical.append(end, to: &out) }
        out.append(contentsOf: idValid ? Canonical.commaTrue : Canonical.commaFalse)
        return true
    }

    private func training(_ f: Fields, _ out: inout [UInt8]) -> Bool {
        guard Canonical.validID(f[0]), Canonical.token(f[1], max: 64), services.contains(f[2]),
              Canonical.wholeNumber(f[3], max: 10_000),
              Canonical.equals(f[4], "true") || Canonical.equals(f[4], "false"),
              let completed = Canonical.parseDate(f[5]), completed <= rules.asOf
        else { return false }
        for i in 0..<5 {
            out.append(contentsOf: f[i])
            out.append(0x2C)
        }
        Canonical.append(completed, to: &out)
        return true
    }

    private func evaluation(_ f: Fields, _ out: inout [UInt8]) -> Bool {
        let rating = f[3]
        guard Canonical.token(f[0], max: 64), Canonical.upperToken(f[1], max: 64),
              institutions?.contains(f[1]) ?? true,
              Canonical.validID(f[2]), rules.workers?.contains(f[2]) ?? true,
              rating.count == 1, rating[0] >= 0x31, rating[0] <= 0x35,
              Canonical.equals(f[4], "true") || Canonical.equals(f[4], "false"),
              let evaluated = Canonical.parseDate(f[5]), evaluated <= rules.asOf
        else { return false }
        for i in 0..<5 {
            out.append(contentsOf: f[i])
            out.append(0x2C)
        }
        Canonical.append(evaluated, to: &out)
        return true
    }
}

/// Checks that a field's bytes are already in the form the dataset stores.
enum Canonical {
    static let commaTrue: [UInt8] = Array(",true".utf8)
    static let commaFalse: [UInt8] = Array(",false".utf8)

    static func equals(_ b: UnsafeBufferPointer<UInt8>, _ word: StaticString) -> Bool {
        guard b.count == word.utf8CodeUnitCount else { return false }
        let w = word.utf8Start
        for i in 0..<b.count where b[i] != w[i] { return false }
        return true
    }

    /// Printable ASCII without spaces, commas or quotes, not starting like a formula.
    static func token(_ b: UnsafeBufferPointer<UInt8>, max: Int) -> Bool {
        guard b.count > 0, b.count <= max, !startsLikeFormula(b[0]) else { return false }
        for c in b where c <= 0x20 || c >= 0x7F || c == 0x2C || c == 0x22 { return false }
        return true
    }

    /// Upper-case letters and digits (institution ids as stored).
    static func upperToken(_ b: UnsafeBufferPointer<UInt8>, max: Int) -> Bool {
        guard b.count > 0, b.count <= max else { return false }
        for c in b where !((c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x5A) || c == 0x5F || c == 0x2E) { return false }
        return true
    }

    /// Lower-case letters, digits and underscores (codes as stored).
    static func lowerCode(_ b: UnsafeBufferPointer<UInt8>, max: Int) -> Bool {
        guard b.count > 0, b.count <= max else { return false }
        for c in b where !((c >= 0x30 && c <= 0x39) || (c >= 0x61 && c <= 0x7A) || c == 0x5F) { return false }
        return true
    }

    static func startsLikeFormula(_ c: UInt8) -> Bool {
        c == 0x3D || c == 0x2B || c == 0x2D || c == 0x40 || c == 0x27
    }

    /// 17 ASCII digits (not starting with 0) and a digit or X.
    static func plainID(_ b: UnsafeBufferPointer<UInt8>) -> Bool {
        guard b.count == 18, b[0] != 0x30 else { return false }
        for i in 0..<17 where b[i] < 0x30 || b[i] > 0x39 { return false }
        return (b[17] >= 0x30 && b[17] <= 0x39) || b[17] == 0x58
    }

    /// A plain ID number with an existing birth date and the right check character.
    static func validID(_ b: UnsafeBufferPointer<UInt8>) -> Bool {
        guard plainID(b) else { return false }
        let check = checkValue(b)
        guard b[17] == (check == 10 ? 0x58 : UInt8(0x30 + check)) else { return false }
        func num(_ r: Range<Int>) -> Int { r.reduce(0) { $0 * 10 + Int(b[$1] &- 0x30) } }
        return CivilDate(year: num(6..<10), month: num(10..<12), day: num(12..<14)) != nil
    }

    /// A valid ID number, plain or with a lower-case x: its check character as stored (X upper).
    static func idNumber(_ b: UnsafeBufferPointer<UInt8>) -> UInt8? {
        guard b.count == 18 else { return nil }
        if b[17] != 0x78 { return validID(b) ? b[17] : nil }
        guard b[0] != 0x30 else { return nil }
        for i in 0..<17 where b[i] < 0x30 || b[i] > 0x39 { return nil }
        func num(_ r: Range<Int>) -> Int { r.reduce(0) { $0 * 10 + Int(b[$1] &- 0x30) } }
        guard checkValue(b) == 10, CivilDate(year: num(6..<10), month: num(10..<12), day: num(12..<14)) != nil else { return nil }
        return 0x58
    }

    /// Health check words as the full rules read them (English in lower case, or Chinese).
    enum Health {
        case passed, failed, pending

        static let passedBytes: [UInt8] = Array("passed".utf8)
        static let failedBytes: [UInt8] = Array("failed".utf8)
        static let pendingBytes: [UInt8] = Array("pending".utf8)

        /// The word the dataset stores.
        var bytes: [UInt8] {
            switch self {
            case .passed: return Health.passedBytes
            case .failed: return Health.failedBytes
            case .pending: return Health.pendingBytes
            }
        }
    }

    static func healthCheck(_ b: UnsafeBufferPointer<UInt8>) -> Health? {
        if equals(b, "passed") || equals(b, "合格") { return .passed }
        if equals(b, "pending") || equals(b, "待检") { return .pending }
        if equals(b, "failed") || equals(b, "不合格") { return .failed }
        return nil
    }

    static let criminal: [UInt8] = Array("criminal".utf8)
    static let administrative: [UInt8] = Array("administrative".utf8)

    /// A record kind as the full rules read it: the word the dataset stores, or nil.
    static func recordKind(_ b: UnsafeBufferPointer<UInt8>) -> [UInt8]? {
        if equals(b, "criminal") || equals(b, "刑事") { return criminal }
        if equals(b, "administrative") || equals(b, "行政") { return administrative }
        return nil
    }

    /// 1 to `max` ASCII digits.
    static func digits(_ b: UnsafeBufferPointer<UInt8>, max: Int) -> Bool {
        guard b.count > 0, b.count <= max else { return false }
        for c in b where c < 0x30 || c > 0x39 { return false }
        return true
    }

    /// The check value (10 for X) of the first 17 digits, by ISO 7064 MOD 11-2: the digits
    /// weighted by 2^(17-i) mod 11 and summed, one remainder instead of seventeen.
    @inline(__always)
    static func checkValue(_ b: UnsafeBufferPointer<UInt8>) -> Int {
        let weights: (Int, Int, Int, Int, Int, Int, Int, Int, Int, Int, Int, Int, Int, Int, Int, Int, Int) =
            (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
        let d = { (i: Int) in Int(b[i] &- 0x30) }
        var sum = d(0) * weights.0 + d(1) * weights.1 + d(2) * weights.2 + d(3) * weights.3
        sum += d(4) * weights.4 + d(5) * weights.5 + d(6) * weights.6 + d(7) * weights.7
        sum += d(8) * weights.8 + d(9) * weights.9 + d(10) * weights.10 + d(11) * weights.11
        sum += d(12) * weights.12 + d(13) * weights.13 + d(14) * weights.14 + d(15) * weights.15
        sum += d(16) * weights.16
        return (12 - sum % 11) % 11
    }

    /// M or F (either case), 男 or 女: true for male; nil for anything else.
    static func sex(_ b: UnsafeBufferPointer<UInt8>) -> Bool? {
        if b.count == 1 {
            switch b[0] {
            case 0x4D, 0x6D: return true
            case 0x46, 0x66: return false
            default: return nil
            }
        }
        if b.count == 3 && b[0] == 0xE7 && b[1] == 0x94 && b[2] == 0xB7 { return true }   // 男
        if b.count == 3 && b[0] == 0xE5 && b[1] == 0xA5 && b[2] == 0xB3 { return false }  // 女
        return nil
    }

    /// Whether a birth date is the one the ID number carries.
    static func birthMatches(_ d: CivilDate, _ id: UnsafeBufferPointer<UInt8>) -> Bool {
        func num(_ r: Range<Int>) -> Int { r.reduce(0) { $0 * 10 + Int(id[$1] &- 0x30) } }
        return d.year == num(6..<10) && d.month == num(10..<12) && d.day == num(12..<14)
    }

    /// The four date forms of the contract in ASCII digits: `2019-08-29`, `2019/8/29` (or
    /// `2019-8-29`), `20190829`, `2019年8月29日`. Nil for anything else, which the full rules
    /// then read (full-width digits, spaces, mistakes).
    static func parseDate(_ b: UnsafeBufferPointer<UInt8>) -> CivilDate? {
        let n = b.count
        guard n >= 8 else { return nil }
        func digit(_ i: Int) -> Int? { b[i] >= 0x30 && b[i] <= 0x39 ? Int(b[i] &- 0x30) : nil }
        guard let y0 = digit(0), let y1 = digit(1), let y2 = digit(2), let y3 = digit(3) else { return nil }
        let year = y0 * 1000 + y1 * 100 + y2 * 10 + y3
        if n == 8, let a = digit(4) {
            // `20190829`; `2019/8/9` has 8 bytes too and is read below.
            guard let b2 = digit(5), let c = digit(6), let d = digit(7) else { return nil }
            return CivilDate(year: year, month: a * 10 + b2, day: c * 10 + d)
        }
        // Reads 1-2 digits at i; returns the value and the index after them.
        func number(_ i: Int) -> (Int, Int)? {
            guard i < n, let a = digit(i) else { return nil }
            if i + 1 < n, let c = digit(i + 1) { return (a * 10 + c, i + 2) }
            return (a, i + 1)
        }
        let sep = b[4]
        if sep == 0x2D || sep == 0x2F {
            guard let (month, j) = number(5), j < n, b[j] == sep, let (day, k) = number(j + 1), k == n else { return nil }
            return CivilDate(year: year, month: month, day: day)
        }
        // 年 E5 B9 B4, 月 E6 9C 88, 日 E6 97 A5.
        guard n >= 13, b[4] == 0xE5, b[5] == 0xB9, b[6] == 0xB4,
              let (month, j) = number(7), j + 3 <= n, b[j] == 0xE6, b[j + 1] == 0x9C, b[j + 2] == 0x88,
              let (day, k) = number(j + 3), k + 3 == n, b[k] == 0xE6, b[k + 1] == 0x97, b[k + 2] == 0xA5
        else { return nil }
        return CivilDate(year: year, month: month, day: day)
    }

    /// Appends a date in ISO form.
    static func append(_ d: CivilDate, to out: inout [UInt8]) {
        out.append(UInt8(0x30 + d.year / 1000 % 10))
        out.append(UInt8(0x30 + d.year / 100 % 10))
        out.append(UInt8(0x30 + d.year / 10 % 10))
        out.append(UInt8(0x30 + d.year % 10))
        out.append(0x2D)
        out.append(UInt8(0x30 + d.month / 10))
        out.append(UInt8(0x30 + d.month % 10))
        out.append(0x2D)
        out.append(UInt8(0x30 + d.day / 10))
        out.append(UInt8(0x30 + d.day % 10))
    }

    /// 11 digits, 1 then 3-9.
    static func mobile(_ b: UnsafeBufferPointer<UInt8>) -> Bool {
        guard b.count == 11, b[0] == 0x31, b[1] >= 0x33, b[1] <= 0x39 else { return false }
        for c in b where c < 0x30 || c > 0x39 { return false }
        return true
    }

    /// A whole number without leading zeros, at most `max`.
    static func wholeNumber(_ b: UnsafeBufferPointer<UInt8>, max: Int) -> Bool {
        guard b.count > 0, b.count <= 6, b.count == 1 || b[0] != 0x30 else { return false }
        var v = 0
        for c in b {
            guard c >= 0x30 && c <= 0x39 else { return false }
            v = v * 10 + Int(c - 0x30)
        }
        return v <= max
    }

    /// Known lower-case codes separated by `;`, none twice.
    static func serviceList(_ b: UnsafeBufferPointer<UInt8>, known: KeySet) -> Bool {
        guard b.count > 0, b.count <= 2000 else { return false }
        var start = 0
        for i in 0...b.count where i == b.count || b[i] == 0x3B {
            let piece = UnsafeBufferPointer(rebasing: b[start..<i])
            guard lowerCode(piece, max: 64), known.contains(piece) else { return false }
            // A code seen earlier in the list: the full rules drop the repeat, so not canonical.
            var j = 0
            while j < start {
                var end = j
                while b[end] != 0x3B { end += 1 }
                if end - j == piece.count && b[j..<end].elementsEqual(piece) { return false }
                j = end + 1
            }
            start = i + 1
        }
        return true
    }

    /// Text stored as typed: valid UTF-8, nothing full-width folding or trimming would change,
    /// nothing CSV would quote, not starting like a formula.
    static func text(_ b: UnsafeBufferPointer<UInt8>, max: Int) -> Bool {
        guard b.count > 0, b.count <= max, !startsLikeFormula(b[0]),
              b[0] != 0x20, b[b.count - 1] != 0x20 else { return false }
        return scalars(b) { s in
            switch s.value {
            case 0x2C, 0x22, 0x09, 0x0A, 0x0D, 0xA0, 0xFEFF, 0x3000, 0xFF01...0xFF5E: return false
            default: return s.value >= 0x20
            }
        }
    }

    /// A personal name as the name rules store it.
    static func name(_ b: UnsafeBufferPointer<UInt8>) -> Bool {
        guard b.count > 0, b.count <= 120, !startsLikeFormula(b[0]),
              b[0] != 0x20, b[b.count - 1] != 0x20 else { return false }
        var count = 0
        var letters = 0
        let ok = scalars(b) { s in
            count += 1
            guard PersonName.isAllowed(s) else { return false }
            if PersonName.isLetter(s) { letters += 1 }
            return true
        }
        return ok && count <= 30 && letters > 0
    }

    /// Decodes UTF-8, calling `accept` for each scalar; false on invalid bytes or a refusal.
    static func scalars(_ b: UnsafeBufferPointer<UInt8>, _ accept: (Unicode.Scalar) -> Bool) -> Bool {
        var i = 0
        while i < b.count {
            let c = b[i]
            var value: UInt32
            var length: Int
            if c < 0x80 { value = UInt32(c); length = 1 } else if c & 0xE0 == 0xC0 { value = UInt32(c & 0x1F); length = 2 } else if c & 0xF0 == 0xE0 { value = UInt32(c & 0x0F); length = 3 } else if c & 0xF8 == 0xF0 { value = UInt32(c & 0x07); length = 4 } else { return false }
            guard i + length <= b.count else { return false }
            for k in 1..<max(length, 1) where length > 1 {
                let cc = b[i + k]
                guard cc & 0xC0 == 0x80 else { return false }
                value = value << 6 | UInt32(cc & 0x3F)
            }
            // Overlong forms and surrogates are invalid UTF-8.
            let minimum: UInt32 = [0, 0, 0x80, 0x800, 0x10000][length]
            guard value >= minimum, let s = Unicode.Scalar(value), accept(s) else { return false }
            i += length
        }
        return true
    }
}
