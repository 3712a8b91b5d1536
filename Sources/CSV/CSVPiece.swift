#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A run of whole records of a UTF-8 CSV file, to be read by its own `CSVReader` on its own
/// thread: the pieces of a well-formed file, read one after another, give exactly the records
/// of the file, with their line numbers.
public struct CSVPiece: Sendable, Equatable {
    /// The piece's bytes in the file.
    public var bytes: Range<Int>
    /// The file's line number of the piece's first line.
    public var firstLine: Int

    public init(bytes: Range<Int>, firstLine: Int) {
        self.bytes = bytes
        self.firstLine = firstLine
    }

    /// Cuts the UTF-8 file at `path` into at most `count` pieces of about `size / count` bytes
    /// each, and into one piece when the file is smaller than two pieces of `minimumBytes`.
    /// A piece ends at the first line end past its share, so a long record makes its piece
    /// longer and the next one shorter (or leaves it out).
    ///
    /// A piece ends after a line feed outside quotes: quote characters are counted from the
    /// start of the file, so a line break inside a quoted field never cuts its record. After a
    /// stray quote (a malformed record, which the reader of its piece reports) the counting is
    /// off, and a later record may be cut: a reader of the file should stop at the first
    /// problem, as datasets do. The file is read once, a chunk at a time.
    public static func cut(_ path: String, count: Int, minimumBytes: Int) throws(CSVError) -> [CSVPiece] {
        let fd = open(path, O_RDONLY)
        guard fd >= 0 else { throw CSVError.cannotOpen(path: path, reason: String(cString: strerror(errno))) }
        defer { close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0 else { throw CSVError.readFailed(path: path, reason: String(cString: strerror(errno))) }
        let size = Int(info.st_size)
        let parts = max(1, min(count, size / max(1, minimumBytes)))
        guard parts > 1 else { return [CSVPiece(bytes: 0..<size, firstLine: 1)] }

        // Where each piece should end at the latest, give or take a line.
        let targets = (1..<parts).map { size / parts * $0 }
        var ends: [(offset: Int, line: Int)] = []
        var quoted = false
        var line = 1
        var offset = 0
        let chunk = 1 << 20
        let buffer = UnsafeMutablePointer<UInt8>.allocate(capacity: chunk)
        defer { buffer.deallocate() }
        scanning: while ends.count < targets.count {
            let n = read(fd, buffer, chunk)
            if n < 0 { throw CSVError.readFailed(path: path, reason: String(cString: strerror(errno))) }
            if n == 0 { break }
            var i = 0
            while i < n {
                if quoted {
                    // Inside quotes: on to the closing quote (of a doubled quote, the first).
                    guard let q = find(0x22, buffer, from: i, to: n) else {
                        line += countLineFeeds(buffer, from: i, to: n)
                        i = n
                        break
                    }
                    line += countLineFeeds(buffer, from: i, to: q)
                    i = q + 1
                    quoted = false
                    continue
                }
                let target = targets[ends.count]
                if offset + i < target {
                    // Before the target: on to the next quote or the target.
                    let limit = min(n, target - offset)
                    let q = find(0x22, buffer, from: i, to: limit)
                    let stop = q ?? limit
                    line += countLineFeeds(buffer, from: i, to: stop)
                    i = stop
                    if q != nil {
                        i += 1
                        quoted = true
                    }
                    continue
                }
                // Past the target, outside quotes: the piece ends with this line.
                let byte = buffer[i]
                i += 1
                if byte == 0x22 {
                    quoted = true
                } else if byte == 0x0A {
                    line += 1
                    ends.append((offset + i, line))
                    if ends.count == targets.count { break scanning }
                }
            }
            offset += n
        }
        var pieces: [CSVPiece] = []
        var start = (offset: 0, line: 1)
        for end in ends where end.offset < size {
            pieces.append(CSVPiece(bytes: start.offset..<end.offset, firstLine: start.line))
            start = end
        }
        pieces.append(CSVPiece(bytes: start.offset..<size, firstLine: start.line))
        return pieces
    }

    private static func find(_ byte: UInt8, _ p: UnsafeMutablePointer<UInt8>, from: Int, to: Int) -> Int? {
        guard from < to, let found = memchr(p + from, Int32(byte), to - from) else { return nil }
        return found.assumingMemoryBound(to: UInt8.self) - p
    }

    private static func countLineFeeds(_ p: UnsafeMutablePointer<UInt8>, from: Int, to: Int) -> Int {
        var count = 0
        for i in from..<max(from, to) where p[i] == 0x0A { count += 1 }
        return count
    }
}
