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
    private var raw: UnsafeMutableRawBufferPointer
    private var rawCarry = 0  // undecoded bytes kept at the front of `raw`
    private var decoded: [UInt8] = []
    private var decodedPos = 0
    private var decoder: Decoder
    private var atStart = true
    private var atEOF = false
    private var finished = false
    private var lastSegmentEndedLine = false

    private var parser = csv_parser()
    private let state = ParseState()

    /// Opens `path` for streaming; `chunkSize` bytes are read at a time.
    public init(path: String, encoding: TextEncoding = .utf8, chunkSize: Int = 1 << 20) throws(CSVError) {
        self.path = path
        self.encoding = encoding
        self.chunkSize = max(chunkSize, 64)
        let fd = open(path, O_RDONLY)
        guard fd >= 0 else {
            throw CSVError.cannotOpen(path: path, reason: String(cString: strerror(errno)))
        }
        self.fd = fd
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
        csv_free(&parser)
        decoder.close()
        close(fd)
        raw.deallocate()
    }

    /// The next record or problem, or nil at the end of the file.
    public func next() throws(CSVError) -> CSVItem? {
        while state.ready.isEmpty {
            if finished { return nil }
            try feed()
        }
        return state.ready.removeFirst()
    }

    // MARK: Feeding libcsv one physical line at a time, so that line numbers are exact.

    private func feed() throws(CSVError) {
        if decodedPos >= decoded.count {
            if atEOF {
                finish()
                return
            }
            try fill()
            if decodedPos >= decoded.count { return }
        }
        decoded.withUnsafeBufferPointer { buf in
            let base = buf.baseAddress!
            let end = buf.count
            var start = decodedPos
            // Feed whole lines; stop once something is ready so that memory stays flat.
            while start < end && state.ready.isEmpty {
                let remaining = end - start
                let lf = memchr(base + start, 0x0A, remaining)
                let segEnd = lf.map { UnsafePointer<UInt8>($0.assumingMemoryBound(to: UInt8.self)) - base + 1 } ?? end
                parseSegment(base + start, count: segEnd - start, endsLine: lf != nil)
                start = segEnd
            }
            decodedPos = start
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
        let want = chunkSize - rawCarry
        let n = read(fd, raw.baseAddress! + rawCarry, want)
        if n < 0 {
            throw CSVError.readFailed(path: path, reason: String(cString: strerror(errno)))
        }
        bytesRead += n
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
final class ParseState {
    var line = 1
    var recordStartLine = 1
    var failedRecordStart = 1
    var skippingLine = false
    var raw: [UInt8] = []
    var recordRaw: [UInt8] = []
    var ready: [CSVItem] = []
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
