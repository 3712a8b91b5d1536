import CLibCSV
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Writes RFC 4180 CSV (UTF-8 by default, or GB18030; LF) under a temporary name and renames
/// it into place only on `commit()`, so a reader never sees half a file. Files are created with
/// `mode` (owner-only by default, since most of what the pipeline writes holds personal data).
public final class CSVWriter {
    /// The final path.
    public let path: String
    fileprivate let temporaryPath: String
    fileprivate let fd: Int32
    /// Appended to for every field: unchecked for the reason given on `CSVReader`'s state (a
    /// writer is not Sendable either, and only its own methods touch the buffer).
    @exclusivity(unchecked) private var buffer: [UInt8] = []
    fileprivate var committed = false
    private let neutralizeFormulas: Bool
    private let encoder: Encoder?
    /// Rows written so far.
    @exclusivity(unchecked) public private(set) var rowCount = 0

    /// Starts a file at `path` (created on commit). With `neutralizeFormulas`, a value that a
    /// spreadsheet would run as a formula gets a leading `'` (undone by `CSVWriter.restore`).
    /// With `encoding` GB18030 the text is converted as it is flushed.
    public init(path: String, mode: mode_t = 0o600, neutralizeFormulas: Bool = true,
                encoding: TextEncoding = .utf8) throws(CSVError) {
        self.path = path
        self.neutralizeFormulas = neutralizeFormulas
        encoder = try Encoder(encoding: encoding, path: path)
        temporaryPath = path + ".tmp-\(getpid())"
        unlink(temporaryPath)
        let fd = open(temporaryPath, O_WRONLY | O_CREAT | O_EXCL | O_TRUNC | O_CLOEXEC, mode)
        guard fd >= 0 else {
            throw CSVError.cannotOpen(path: temporaryPath, reason: String(cString: strerror(errno)))
        }
        fchmod(fd, mode)  // the umask must not widen or narrow what we ask for
        self.fd = fd
        buffer.reserveCapacity(1 << 20)
    }

    deinit {
        if !committed {
            close(fd)
            unlink(temporaryPath)
        }
    }

    /// Appends one row.
    public func write(_ fields: [String]) throws(CSVError) {
        CSVWriter.appendLine(fields, neutralizeFormulas: neutralizeFormulas, to: &buffer)
        rowCount += 1
        if buffer.count >= 1 << 20 { try flush() }
    }

    /// Appends the line `write(_:)` writes for `fields` (with its LF) to `line`: lines made
    /// on other threads, then written in order with `writeLines`.
    public static func appendLine(_ fields: [String], neutralizeFormulas: Bool = true, to line: inout [UInt8]) {
        var lines = CSVLines(neutralizeFormulas: neutralizeFormulas, appendingTo: line)
        line = []
        for field in fields { lines.field(field) }
        lines.endLine()
        line = lines.bytes
    }

    /// Appends one row of `count` fields given as UTF-8 bytes by `field(i)`: the same line
    /// `write(_:)` makes of the same texts, without making them into strings.
    public func writeRow(count: Int, _ field: (Int) -> UnsafeBufferPointer<UInt8>) throws(CSVError) {
        for i in 0..<count {
            if i > 0 { buffer.append(0x2C) }
            let bytes = field(i)
            if neutralizeFormulas, CSVWriter.needsNeutralizing(bytes) {
                ([0x27] + Array(bytes)).withUnsafeBufferPointer { CSVWriter.append($0, to: &buffer) }
            } else {
                CSVWriter.append(bytes, to: &buffer)
            }
        }
        buffer.append(0x0A)
        rowCount += 1
        if buffer.count >= 1 << 20 { try flush() }
    }

    /// Appends complete lines already encoded as CSV (each ending in LF).
    public func writeLines(_ bytes: [UInt8], count: Int = 1) throws(CSVError) {
        buffer.append(contentsOf: bytes)
        rowCount += count
        if buffer.count >= 1 << 20 { try flush() }
    }

    /// Commits the file: flushes, syncs and renames it into place.
    public func commit() throws(CSVError) {
        try flush()
        guard fsync(fd) == 0, close(fd) == 0 else {
            throw CSVError.writeFailed(path: path, reason: String(cString: strerror(errno)))
        }
        committed = true
        guard rename(temporaryPath, path) == 0 else {
            let reason = String(cString: strerror(errno))
            unlink(temporaryPath)
            throw CSVError.writeFailed(path: path, reason: reason)
        }
    }

    fileprivate func flush() throws(CSVError) {
        // The buffer only ever ends after a whole line, so no character is split here.
        if let encoder {
            try encoder.encode(buffer)
            try writeAll(encoder.output)
        } else {
            try writeAll(buffer)
        }
        buffer.removeAll(keepingCapacity: true)
    }

    private func writeAll(_ bytes: [UInt8]) throws(CSVError) {
        var offset = 0
        while offset < bytes.count {
            let n = bytes.withUnsafeBytes { Glibc.write(fd, $0.baseAddress! + offset, $0.count - offset) }
            if n < 0 {
                if errno == EINTR { continue }
                throw CSVError.writeFailed(path: path, reason: String(cString: strerror(errno)))
            }
            offset += n
        }
        written += bytes.count
        #if os(Linux)
        // The disk starts on what is written while the rest is made, so the sync before the
        // rename waits for the last few megabytes rather than the whole file. (Only a start:
        // that sync is what makes the file durable.)
        if written - writebackStarted >= CSVWriter.writebackBytes {
            _ = sync_file_range(fd, Int64(writebackStarted), Int64(written - writebackStarted), UInt32(anxin_sync_file_range_write))
            writebackStarted = written
        }
        #endif
    }

    /// Bytes written to the file so far, and up to where its writing back to disk was started.
    private var written = 0
    private var writebackStarted = 0
    /// How much is written before the disk is asked to start on it.
    static let writebackBytes = 8 << 20

    /// Appends one field's bytes, quoted when RFC 4180 requires it.
    static func append(_ bytes: UnsafeBufferPointer<UInt8>, to buffer: inout [UInt8]) {
        var needsQuotes = false
        for b in bytes where b == 0x2C || b == 0x22 || b == 0x0A || b == 0x0D {
            needsQuotes = true
            break
        }
        if let first = bytes.first, first == 0x20 || first == 0x09 { needsQuotes = true }
        if let last = bytes.last, last == 0x20 || last == 0x09 { needsQuotes = true }
        if !needsQuotes {
            buffer.append(contentsOf: bytes)
            return
        }
        buffer.append(0x22)
        for b in bytes {
            if b == 0x22 { buffer.append(0x22) }
            buffer.append(b)
        }
        buffer.append(0x22)
    }

    /// = + - @ tab CR: what makes a spreadsheet read a cell as a formula.
    @inline(__always) static func isFormulaStart(_ b: UInt8) -> Bool {
        b == 0x3D || b == 0x2B || b == 0x2D || b == 0x40 || b == 0x09 || b == 0x0D
    }

    /// True when a spreadsheet would treat `field` as a formula (or it already carries our escape).
    public static func needsNeutralizing(_ field: String) -> Bool {
        needsNeutralizing(field.utf8)
    }

    /// The same, for a field's UTF-8 bytes.
    public static func needsNeutralizing(_ bytes: some Sequence<UInt8>) -> Bool {
        var it = bytes.makeIterator()
        guard let first = it.next() else { return false }
        if isFormulaStart(first) { return true }
        if first == 0x27, let second = it.next() { return isFormulaStart(second) || second == 0x27 }
        return false
    }

    /// Undoes the neutralizing escape of a value read back from a file this writer made.
    public static func restore(_ field: String) -> String {
        let u = field.utf8
        if u.count >= 2, u.first == 0x27 {
            let second = u[u.index(after: u.startIndex)]
            if isFormulaStart(second) || second == 0x27 { return String(field.dropFirst()) }
        }
        return field
    }
}

extension CSVWriter {
    /// Flushes and closes the file under its temporary name, to be renamed into place later
    /// together with the other outputs of a stage.
    public func stage() throws(CSVError) -> StagedFile {
        try flush()
        guard fsync(fd) == 0, close(fd) == 0 else {
            throw CSVError.writeFailed(path: path, reason: String(cString: strerror(errno)))
        }
        committed = true
        return StagedFile(temporaryPath: temporaryPath, path: path)
    }
}

/// A complete file written under a temporary name, waiting to be renamed into place.
public struct StagedFile: Sendable, Hashable {
    /// Where the bytes are now.
    public let temporaryPath: String
    /// Where they go.
    public let path: String

    /// A staged file at `temporaryPath` bound for `path`.
    public init(temporaryPath: String, path: String) {
        self.temporaryPath = temporaryPath
        self.path = path
    }

    /// Renames the file into place (atomic within one file system).
    public func commit() throws(CSVError) {
        guard rename(temporaryPath, path) == 0 else {
            throw CSVError.writeFailed(path: path, reason: String(cString: strerror(errno)))
        }
    }

    /// Removes the temporary file.
    public func discard() { unlink(temporaryPath) }
}

/// Converts whole lines of UTF-8 to a file's encoding with iconv; owns the conversion handle.
private final class Encoder {
    private let cd: iconv_t
    private let path: String
    /// The converted bytes of the last `encode` call.
    private(set) var output: [UInt8] = []

    /// An encoder to `encoding`, or nil when the text is written as UTF-8.
    init?(encoding: TextEncoding, path: String) throws(CSVError) {
        guard encoding == .gb18030 else { return nil }
        let handle = iconv_open("GB18030", "UTF-8")
        guard let handle, handle != iconv_t(bitPattern: -1) else {
            throw CSVError.unsupportedEncoding(path: path, encoding: encoding.rawValue)
        }
        cd = handle
        self.path = path
    }

    deinit { iconv_close(cd) }

    /// Converts `input` into `output`. GB18030 encodes every Unicode character, so a failure
    /// means the input was not valid UTF-8.
    func encode(_ input: [UInt8]) throws(CSVError) {
        output.removeAll(keepingCapacity: true)
        if input.isEmpty { return }
        var failure: Int32 = 0
        var chunk = [UInt8](repeating: 0, count: 64 * 1024)
        input.withUnsafeBytes { src in
            var inPtr: UnsafeMutablePointer<CChar>? = UnsafeMutablePointer(mutating: src.baseAddress!.assumingMemoryBound(to: CChar.self))
            var inLeft = src.count
            while inLeft > 0 {
                let (produced, result, err) = chunk.withUnsafeMutableBytes { dst -> (Int, Int, Int32) in
                    var outPtr: UnsafeMutablePointer<CChar>? = dst.baseAddress!.assumingMemoryBound(to: CChar.self)
                    var outLeft = dst.count
                    let r = iconv(cd, &inPtr, &inLeft, &outPtr, &outLeft)
                    return (dst.count - outLeft, r, errno)
                }
                output.append(contentsOf: chunk[0..<produced])
                if result == -1 && err != E2BIG {
                    failure = err
                    return
                }
            }
        }
        if failure != 0 {
            throw CSVError.writeFailed(path: path, reason: "cannot convert to GB18030: \(String(cString: strerror(failure)))")
        }
    }
}
