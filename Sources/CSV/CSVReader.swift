import CLibCSV
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A streaming CSV reader over libcsv: fixed-size chunks, physical line numbers, and
/// malformed records reported as problems instead of being dropped or repaired.
///
/// The reader decodes GB18030 to UTF-8 through iconv before parsing; bytes that are not
/// valid in the declared encoding become a 0xFF byte, which is never valid UTF-8, so the
/// field that held them fails validation where it is used instead of shifting anything.
public final class CSVReader {
    /// The path the reader was opened on, as given.
    public let path: String
    /// The declared encoding of the file.
    public let encoding: TextEncoding
    /// Raw bytes read from the file so far.
    public private(set) var bytesRead: Int = 0

    private let fd: Int32
    private let chunkSize: Int
    // The state read and written for every line is marked `@exclusivity(unchecked)`: a reader
    // is not Sendable, so one thread at a time uses it, and only its own methods touch these
    // properties, none of them while another access to the same property is open. The dynamic
    // checks the compiler would otherwise put around each access (a thread-local lookup each)
    // cost about 4% of a whole run.
    private var raw: UnsafeMutableRawBufferPointer
    private var rawCarry = 0  // undecoded bytes kept at the front of `raw`
    @exclusivity(unchecked) private var decoded: [UInt8] = []
    @exclusivity(unchecked) private var decodedPos = 0
    private var decoder: Decoder
    private var atStart = true
    /// Bytes of the file still to read: all of them, or what is left of a piece.
    private var unread = Int.max
    private var atEOF = false
    @exclusivity(unchecked) private var finished = false
    @exclusivity(unchecked) private var lastSegmentEndedLine = false

    @exclusivity(unchecked) private var parser = csv_parser()
    private let state = ParseState()
    /// Lines without quotes are split here rather than by libcsv (same fields, a fraction of
    /// the work); off only to test that the two agree.
    private let splitsLines: Bool
    @exclusivity(unchecked) private var lineFields = LineFields()
    @exclusivity(unchecked) private var lineNumber = 0
    private var spareBytes: [UInt8] = []
    private var spareEnds: [Int] = []

    /// Opens `path` for streaming; `chunkSize` bytes are read at a time.
    public convenience init(path: String, encoding: TextEncoding = .utf8, chunkSize: Int = 1 << 20) throws(CSVError) {
        try self.init(path: path, encoding: encoding, chunkSize: chunkSize, splitsLines: true)
    }

    /// Opens one piece of the UTF-8 file `path`, as `CSVPiece.cut` made it: the reader reads
    /// its bytes only, and numbers its lines as lines of the whole file.
    public convenience init(path: String, piece: CSVPiece, chunkSize: Int = 1 << 20) throws(CSVError) {
        try self.init(path: path, encoding: .utf8, chunkSize: chunkSize, splitsLines: true, piece: piece)
    }

    init(path: String, encoding: TextEncoding, chunkSize: Int, splitsLines: Bool, piece: CSVPiece? = nil) throws(CSVError) {
        self.splitsLines = splitsLines
        self.path = path
        self.encoding = encoding
        self.chunkSize = max(chunkSize, 64)
        let fd = open(path, O_RDONLY)
        guard fd >= 0 else {
            throw CSVError.cannotOpen(path: path, reason: String(cString: strerror(errno)))
        }
        self.fd = fd
        if let piece {
            guard lseek(fd, off_t(piece.bytes.lowerBound), SEEK_SET) >= 0 else {
                let reason = String(cString: strerror(errno))
                close(fd)
                throw CSVError.readFailed(path: path, reason: reason)
            }
            unread = piece.bytes.count
            state.line = piece.firstLine
            // A byte order mark can only open the file.
            atStart = piece.bytes.lowerBound == 0
        }
        raw = .allocate(byteCount: self.chunkSize + 8, alignment: 8)
        do {
            decoder = try Decoder(encoding: encoding, path: path)
        } catch {
            close(fd)
            raw.deallocate()
            throw error
        }
        decoded.reserveCapacity(self.chunkSize * 2 + 16)
        try initParser()
    }

    deinit {
        lineFields.free()
        csv_free(&parser)
        decoder.close()
        close(fd)
        raw.deallocate()
    }

    /// The next record or problem, or nil at the end of the file.
    public func next() throws(CSVError) -> CSVItem? {
        while state.ready.isEmpty {
            if finished { return nil }
            if try feed() { return .record(lineRecord()) }
        }
        return state.ready.removeFirst()
    }

    /// The next record or problem without copying the record out of the reader: the row's
    /// buffers stay valid until the next call on the reader. For loops that only look at each
    /// record once (ingest), this saves two arrays per row.
    public func nextRow() throws(CSVError) -> CSVRowItem? {
        while state.ready.isEmpty {
            if finished { return nil }
            if try feed() { return .record(lineRow()) }
        }
        switch state.ready.removeFirst() {
        case .problem(let p):
            return .problem(p)
        case .record(let r):
            r.withUnsafeBuffers { storage, ends in lineFields.set(storage, ends) }
            return .record(CSVRow(line: r.line, lastLine: r.lastLine, storage: lineFields.storage, ends: lineFields.fieldEnds))
        }
    }

    private func lineRow() -> CSVRow {
        CSVRow(line: lineNumber, lastLine: lineNumber, storage: lineFields.storage, ends: lineFields.fieldEnds)
    }

    /// The record split by the reader itself, copied out (the arrays are reused when the
    /// caller has let go of the previous record).
    private func lineRecord() -> CSVRecord {
        spareBytes.removeAll(keepingCapacity: true)
        spareBytes.append(contentsOf: lineFields.storage)
        spareEnds.removeAll(keepingCapacity: true)
        spareEnds.append(contentsOf: lineFields.fieldEnds)
        return CSVRecord(line: lineNumber, lastLine: lineNumber, storage: spareBytes, ends: spareEnds)
    }

    // MARK: Feeding libcsv one physical line at a time, so that line numbers are exact.

    /// Feeds lines until something is ready; true when the line just read was simple and
    /// split by the reader itself (it is then in `lineFields`, nothing in the queue).
    private func feed() throws(CSVError) -> Bool {
        if decodedPos >= decoded.count {
            if atEOF {
                finish()
                return false
            }
            try fill()
            if decodedPos >= decoded.count { return false }
        }
        return decoded.withUnsafeBufferPointer { buf in
            let base = buf.baseAddress!
            let end = buf.count
            var start = decodedPos
            defer { decodedPos = start }
            // Feed whole lines; stop once something is ready so that memory stays flat.
            while start < end && state.ready.isEmpty {
                let remaining = end - start
                let lf = memchr(base + start, 0x0A, remaining)
                let segEnd = lf.map { UnsafePointer<UInt8>($0.assumingMemoryBound(to: UInt8.self)) - base + 1 } ?? end
                if lf != nil && splitsLines && parser.pstate == 0 && !state.skippingLine {
                    switch lineFields.split(base + start, count: segEnd - start) {
                    case .record:
                        lineNumber = state.line
                        lastSegmentEndedLine = true
                        state.line += 1
                        start = segEnd
                        return true
                    case .blank:
                        lastSegmentEndedLine = true
                        state.line += 1
                        start = segEnd
                        continue
                    case .quoted:
                        break
                    }
                }
                parseSegment(base + start, count: segEnd - start, endsLine: lf != nil)
                start = segEnd
            }
            return false
        }
    }

    private func parseSegment(_ p: UnsafePointer<UInt8>, count: Int, endsLine: Bool) {
        lastSegmentEndedLine = endsLine
        if state.skippingLine {
            // The rest of a line after a quoting error belongs to the rejected record.
            state.appendCapped(to: &state.raw, p, count)
            if endsLine { endSkippedLine() }
            return
        }
        if parser.pstate == 0 {
            state.recordStartLine = state.line
            state.recordRaw.removeAll(keepingCapacity: true)
        }
        let used = withUnsafeMutablePointer(to: &parser) { pp in
            csv_parse(pp, p, count, fieldCallback, recordCallback,
                      UnsafeMutableRawPointer(state.fields))
        }
        collect()
        if used < count {
            // A quoting error (strict mode): reject the record and resume on the next line.
            state.failedRecordStart = state.recordStartLine
            state.skippingLine = true
            state.raw = state.recordRaw
            state.appendCapped(to: &state.raw, p, count)
            resetParser()
            if endsLine { endSkippedLine() }
            return
        }
        if parser.pstate != 0 {
            // The record goes on past this line: keep its text in case it turns out malformed.
            state.appendCapped(to: &state.recordRaw, p, count)
        }
        if endsLine { state.line += 1 }
    }

    private func endSkippedLine() {
        state.skippingLine = false
        state.ready.append(.problem(CSVProblem(
            line: state.failedRecordStart, lastLine: state.line,
            kind: .badQuote, raw: ParseState.text(state.raw))))
        state.line += 1
    }

    private func finish() {
        finished = true
        if state.skippingLine {
            endSkippedLine()
            state.line -= 1
            return
        }
        let rc = withUnsafeMutablePointer(to: &parser) { pp in
            csv_fini(pp, fieldCallback, recordCallback, UnsafeMutableRawPointer(state.fields))
        }
        collect()
        if rc != 0 {
            let lastLine = state.line - (lastSegmentEndedLine ? 1 : 0)
            state.ready.append(.problem(CSVProblem(
                line: state.recordStartLine, lastLine: max(lastLine, state.recordStartLine),
                kind: .unterminatedQuote, raw: ParseState.text(state.recordRaw))))
            resetParser()
        }
    }

    /// Moves records completed by libcsv into the ready queue with their line numbers.
    private func collect() {
        guard !state.fields.pointee.completed.isEmpty else { return }
        for r in state.fields.pointee.completed {
            state.ready.append(.record(CSVRecord(line: state.recordStartLine, lastLine: state.line,
                                                 storage: r.storage, ends: r.ends)))
        }
        state.fields.pointee.completed.removeAll(keepingCapacity: true)
    }

    private func initParser() throws(CSVError) {
        guard csv_init(&parser, UInt8(CSV_STRICT | CSV_STRICT_FINI)) == 0 else {
            throw CSVError.outOfMemory(path: path)
        }
        csv_set_blk_size(&parser, 4096)
    }

    private func resetParser() {
        csv_free(&parser)
        parser = csv_parser()
        _ = csv_init(&parser, UInt8(CSV_STRICT | CSV_STRICT_FINI))
        csv_set_blk_size(&parser, 4096)
        state.clearRecord()
    }

    // MARK: Reading and decoding

    private func fill() throws(CSVError) {
        decoded.removeAll(keepingCapacity: true)
        decodedPos = 0
        let want = min(chunkSize - rawCarry, unread)
        let n = want == 0 ? 0 : read(fd, raw.baseAddress! + rawCarry, want)
        if n < 0 {
            throw CSVError.readFailed(path: path, reason: String(cString: strerror(errno)))
        }
        bytesRead += n
        unread -= n
        if n == 0 { atEOF = true }
        let available = rawCarry + n
        rawCarry = decoder.decode(UnsafeRawBufferPointer(rebasing: raw[0..<available]),
                                  into: &decoded, final: n == 0)
        if rawCarry > 0 {
            // Keep an incomplete multi-byte sequence for the next read.
            let from = raw.baseAddress! + (available - rawCarry)
            memmove(raw.baseAddress!, from, rawCarry)
        }
        if atStart && (decoded.count >= 3 || atEOF) {
            atStart = false
            if decoded.count >= 3 && decoded[0] == 0xEF && decoded[1] == 0xBB && decoded[2] == 0xBF {
                decodedPos = 3
            }
        }
    }
}

/// A record as `CSVReader.nextRow()` hands it out: its buffers belong to the reader and stay
/// valid only until the next call on it.
public struct CSVRow {
    /// Physical line (1-based) where the record begins.
    public let line: Int
    /// Physical line where it ends.
    public let lastLine: Int
    /// The fields' bytes back to back.
    public let storage: UnsafeBufferPointer<UInt8>
    /// The end offset of each field in `storage`.
    public let ends: UnsafeBufferPointer<Int>

    /// Number of fields.
    public var count: Int { ends.count }

    /// Field `i`'s bytes.
    public func field(_ i: Int) -> UnsafeBufferPointer<UInt8> {
        UnsafeBufferPointer(rebasing: storage[(i == 0 ? 0 : ends[i - 1])..<ends[i]])
    }

    /// The fields of a file `CSVWriter` wrote, with its formula escape undone.
    public var datasetFields: [String] { CSVRecord.datasetFields(storage, ends) }

    /// Field `i` of a file `CSVWriter` wrote, with its formula escape undone.
    public func datasetField(_ i: Int) -> String { CSVRecord.datasetField(field(i)) }

    /// A copy that outlives the reader's next call.
    public var record: CSVRecord {
        CSVRecord(line: line, lastLine: lastLine, storage: Array(storage), ends: Array(ends))
    }
}

/// What `CSVReader.nextRow()` hands out.
public enum CSVRowItem {
    case record(CSVRow)
    case problem(CSVProblem)
}

/// What the reader hands out: a record, or a span of lines that could not be parsed.
public enum CSVItem: Sendable {
    case record(CSVRecord)
    case problem(CSVProblem)
}

/// A span of lines the parser could not turn into a record.
public struct CSVProblem: Sendable, Equatable {
    /// Why the lines could not be parsed.
    public enum Kind: String, Sendable {
        /// A quote where RFC 4180 allows none (inside an unquoted field, or after a closing quote).
        case badQuote = "bad_quote"
        /// The file ends inside a quoted field.
        case unterminatedQuote = "unterminated_quote"
    }
    /// Physical line where the record began.
    public var line: Int
    /// Physical line where it ended.
    public var lastLine: Int
    /// Why it could not be parsed.
    public var kind: Kind
    /// The text of the record as far as it was read.
    public var raw: String
}

/// Fatal errors: the file as a whole cannot be read.
public enum CSVError: Error, Equatable, CustomStringConvertible {
    case cannotOpen(path: String, reason: String)
    case readFailed(path: String, reason: String)
    case unsupportedEncoding(path: String, encoding: String)
    case outOfMemory(path: String)
    case writeFailed(path: String, reason: String)

    public var description: String {
        switch self {
        case let .cannotOpen(path, reason): return "cannot open \(path): \(reason)"
        case let .readFailed(path, reason): return "cannot read \(path): \(reason)"
        case let .unsupportedEncoding(path, enc): return "\(path): the encoding \(enc) is not available (iconv)"
        case let .outOfMemory(path): return "\(path): out of memory while parsing"
        case let .writeFailed(path, reason): return "cannot write \(path): \(reason)"
        }
    }
}

// MARK: - libcsv callbacks

/// Parser state reached from the C callbacks through `Unmanaged`.
/// Owned by one reader and touched only by its methods (see the note on `CSVReader`'s state).
final class ParseState {
    @exclusivity(unchecked) var line = 1
    var recordStartLine = 1
    var failedRecordStart = 1
    @exclusivity(unchecked) var skippingLine = false
    var raw: [UInt8] = []
    var recordRaw: [UInt8] = []
    @exclusivity(unchecked) var ready: [CSVItem] = []
    /// The record being parsed, reached from the C callbacks through a pointer (no
    /// exclusivity bookkeeping on this hot path).
    let fields = UnsafeMutablePointer<FieldBuffer>.allocate(capacity: 1)

    init() { fields.initialize(to: FieldBuffer()) }

    deinit {
        fields.pointee.free()
        fields.deinitialize(count: 1)
        fields.deallocate()
    }

    func clearRecord() { fields.pointee.clear() }

    /// Appends to a display buffer, keeping at most `rawLimit` bytes so memory stays flat.
    func appendCapped(to buffer: inout [UInt8], _ p: UnsafePointer<UInt8>, _ n: Int) {
        let room = ParseState.rawLimit - buffer.count
        if room > 0 { buffer.append(contentsOf: UnsafeBufferPointer(start: p, count: min(n, room))) }
    }

    static let rawLimit = 4096

    static func text(_ bytes: [UInt8]) -> String {
        var text = String(decoding: bytes, as: UTF8.self)
        while text.last == "\n" || text.last == "\r" || text.last == "\r\n" { text.removeLast() }
        return text
    }
}

/// The fields of the record being parsed: bytes back to back, and each field's end offset.
struct FieldBuffer {
    var bytes = UnsafeMutablePointer<UInt8>.allocate(capacity: 4096)
    var count = 0
    var capacity = 4096
    var ends = UnsafeMutablePointer<Int>.allocate(capacity: 64)
    var fieldCount = 0
    var endsCapacity = 64
    /// Records completed since the owner last looked (normally 0 or 1).
    var completed: [CSVRecord] = []
    /// The arrays of the last record handed out: reused (not reallocated) once its reader
    /// has let go of it, which a loop over `next()` does before asking for the next one.
    var spareBytes: [UInt8] = []
    var spareEnds: [Int] = []

    mutating func append(_ data: UnsafeRawPointer?, _ len: Int) {
        if len > 0, let data {
            if count + len > capacity {
                var newCapacity = capacity * 2
                while newCapacity < count + len { newCapacity *= 2 }
                let grown = UnsafeMutablePointer<UInt8>.allocate(capacity: newCapacity)
                grown.update(from: bytes, count: count)
                bytes.deallocate()
                bytes = grown
                capacity = newCapacity
            }
            (bytes + count).update(from: data.assumingMemoryBound(to: UInt8.self), count: len)
            count += len
        }
        if fieldCount == endsCapacity {
            let grown = UnsafeMutablePointer<Int>.allocate(capacity: endsCapacity * 2)
            grown.update(from: ends, count: fieldCount)
            ends.deallocate()
            ends = grown
            endsCapacity *= 2
        }
        ends[fieldCount] = count
        fieldCount += 1
    }

    mutating func finishRecord(line: Int, lastLine: Int) {
        spareBytes.removeAll(keepingCapacity: true)
        spareBytes.append(contentsOf: UnsafeBufferPointer(start: bytes, count: count))
        spareEnds.removeAll(keepingCapacity: true)
        spareEnds.append(contentsOf: UnsafeBufferPointer(start: ends, count: fieldCount))
        completed.append(CSVRecord(line: line, lastLine: lastLine, storage: spareBytes, ends: spareEnds))
        clear()
    }

    mutating func clear() {
        count = 0
        fieldCount = 0
    }

    func free() {
        bytes.deallocate()
        ends.deallocate()
    }
}

private func fieldCallback(_ data: UnsafeMutableRawPointer?, _ len: Int, _ ctx: UnsafeMutableRawPointer?) {
    ctx!.assumingMemoryBound(to: FieldBuffer.self).pointee.append(data, len)
}

/// Context handed to libcsv: the field buffer and the record's line numbers.
private func recordCallback(_ terminator: Int32, _ ctx: UnsafeMutableRawPointer?) {
    let buffer = ctx!.assumingMemoryBound(to: FieldBuffer.self)
    // Line numbers are filled in by the reader once csv_parse returns (see `collect`).
    buffer.pointee.finishRecord(line: 0, lastLine: 0)
}

/// One line split by the reader itself: the common case of a line without quotes or stray
/// carriage returns, where libcsv's rules come down to splitting on commas and trimming the
/// spaces and tabs around each field. Anything else is left to libcsv.
struct LineFields {
    private var bytes = UnsafeMutablePointer<UInt8>.allocate(capacity: 1024)
    private var capacity = 1024
    private var ends = UnsafeMutablePointer<Int>.allocate(capacity: 1025)
    private var count = 0
    private var fieldCount = 0

    enum Outcome { case record, blank, quoted }

    var storage: UnsafeBufferPointer<UInt8> { UnsafeBufferPointer(start: bytes, count: count) }
    var fieldEnds: UnsafeBufferPointer<Int> { UnsafeBufferPointer(start: ends, count: fieldCount) }

    private mutating func reserve(_ n: Int) {
        guard n > capacity else { return }
        var size = capacity
        while size < n { size *= 2 }
        bytes.deallocate()
        ends.deallocate()
        bytes = .allocate(capacity: size)
        ends = .allocate(capacity: size + 1)
        capacity = size
    }

    /// Holds a record libcsv parsed.
    mutating func set(_ storage: UnsafeBufferPointer<UInt8>, _ fieldEnds: UnsafeBufferPointer<Int>) {
        reserve(max(storage.count, fieldEnds.count))
        if let base = storage.baseAddress { bytes.update(from: base, count: storage.count) }
        if let base = fieldEnds.baseAddress { ends.update(from: base, count: fieldEnds.count) }
        count = storage.count
        fieldCount = fieldEnds.count
    }

    /// Splits one line (`n` bytes ending in LF) as libcsv would: fields end at commas; spaces
    /// and tabs before and after a field's text are dropped; CR LF ends a line as LF does; a
    /// line of nothing but spaces is no record. A quote, or a CR anywhere else, is `.quoted`.
    mutating func split(_ p: UnsafePointer<UInt8>, count n: Int) -> Outcome {
        reserve(n)
        let bytes = self.bytes, ends = self.ends
        var out = 0
        var fields = 0
        var begun = false  // a field's text has started
        var spaces = 0     // spaces and tabs since its last other byte
        var i = 0
        let last = n - 1   // the LF
        while i < last {
            // Eight bytes at a time while none of them is a comma, space, tab, quote or CR
            // (all at or below 0x2C): plain text is copied as it is.
            if i + 8 <= last {
                let w = UnsafeRawPointer(p + i).loadUnaligned(as: UInt64.self)
                if (w &- 0x2D2D_2D2D_2D2D_2D2D) & ~w & 0x8080_8080_8080_8080 == 0 {
                    UnsafeMutableRawPointer(bytes + out).storeBytes(of: w, as: UInt64.self)
                    out += 8
                    i += 8
                    begun = true
                    spaces = 0
                    continue
                }
            }
            let c = p[i]
            i += 1
            if c > 0x2C {
                bytes[out] = c
                out += 1
                begun = true
                spaces = 0
                continue
            }
            switch c {
            case 0x2C:
                out -= spaces
                ends[fields] = out
                fields += 1
                begun = false
                spaces = 0
            case 0x20, 0x09:
                if begun {
                    bytes[out] = c
                    out += 1
                    spaces += 1
                }
            case 0x22:
                return .quoted
            case 0x0D:
                if i != last { return .quoted }
            default:
                bytes[out] = c
                out += 1
                begun = true
                spaces = 0
            }
        }
        if fields == 0 && !begun { return .blank }
        out -= spaces
        ends[fields] = out
        count = out
        fieldCount = fields + 1
        return .record
    }

    func free() {
        bytes.deallocate()
        ends.deallocate()
    }
}
