import AnxinCore
import Crypto
import Foundation

/// SHA-256 of files, streamed; a cache keyed by size, modification time and inode spares
/// rehashing a file nobody touched, and a touched but unchanged file hashes to the same value.
public struct FileFingerprints {
    private var cache: [String: Entry] = [:]
    private let cachePath: String?

    struct Entry: Codable {
        var size: Int
        var modified: Double
        var inode: UInt64
        var sha256: String

        init(_ identity: FileIdentity, sha256: String) {
            (size, modified, inode, self.sha256) = (identity.size, identity.modified, identity.inode, sha256)
        }

        /// The size, time and inode the file was hashed with.
        var identity: FileIdentity { FileIdentity(size: size, modified: modified, inode: inode) }
    }

    /// A fingerprinter whose cache lives at `cachePath` (nil: in memory only).
    public init(cachePath: String?) {
        self.cachePath = cachePath
        if let cachePath, let data = FileManager.default.contents(atPath: cachePath),
           let cache = try? JSONDecoder().decode([String: Entry].self, from: data) {
            self.cache = cache
        }
    }

    /// The file's SHA-256 in hex and its size, or nil when it does not exist.
    public mutating func fingerprint(_ path: String) throws(PipelineError) -> (sha256: String, bytes: Int)? {
        guard let key = FileFingerprints.identity(of: path) else { return nil }
        if let sha256 = cached(path, key) { return (sha256, key.size) }
        let digest = try FileFingerprints.sha256(path)
        cache[path] = Entry(key, sha256: digest)
        return (digest, key.size)
    }

    /// Hashes those of `paths` the cache does not hold, several files at once, so that the
    /// `fingerprint` calls after it find them cached.
    public mutating func prefetch(_ paths: [String]) throws(PipelineError) {
        let missing = Array(Set(paths.filter { path in
            FileFingerprints.identity(of: path).map { cached(path, $0) == nil } ?? false
        })).sorted()
        guard missing.count > 1 else { return }
        let entries = Parallel.map(parts: missing.count) { i -> Result<Entry, PipelineError>? in
            guard let key = FileFingerprints.identity(of: missing[i]) else { return nil }
            return Result { () throws(PipelineError) in Entry(key, sha256: try FileFingerprints.sha256(missing[i])) }
        }
        for (path, entry) in zip(missing, entries) {
            if let entry { cache[path] = try entry.get() }
        }
    }

    /// Hashes those of the files the cache does not hold on a thread of low priority, while the
    /// stage that reads them runs; `adopt(_:)` takes the hashes when it is done. `identities`
    /// are the files' size, time and inode when the stage began, before it read them: a file
    /// that changes before its hash is done gets none.
    public func hashBeside(_ identities: [String: FileIdentity]) -> HashesBeside? {
        let missing = identities.sorted { $0.key < $1.key }.compactMap { path, key -> (String, FileIdentity)? in
            cached(path, key) == nil ? (path, key) : nil
        }
        guard !missing.isEmpty else { return nil }
        return HashesBeside(BackgroundWork(name: "anxin-fingerprints", spareTime: true) { () -> [String: Entry] in
            var hashed: [String: Entry] = [:]
            for (path, key) in missing {
                guard let digest = try? FileFingerprints.sha256(path), FileFingerprints.identity(of: path) == key else { continue }
                hashed[path] = Entry(key, sha256: digest)
            }
            return hashed
        }, paths: missing.map(\.0))
    }

    /// Takes the hashes made beside a stage into the cache (waiting for them if need be) and
    /// returns the files that changed before they were hashed.
    public mutating func adopt(_ beside: HashesBeside) -> [String] {
        let hashed = (try? beside.work.value()) ?? [:]
        for (path, entry) in hashed { cache[path] = entry }
        return beside.paths.filter { hashed[$0] == nil }
    }

    /// The cached hash of `path`, if the file still has the size, time and inode it was hashed with.
    private func cached(_ path: String, _ key: FileIdentity) -> String? {
        guard let e = cache[path], e.identity == key else { return nil }
        return e.sha256
    }

    /// What tells a file's content changed without reading it.
    public struct FileIdentity: Equatable, Sendable {
        var size: Int
        var modified: Double
        var inode: UInt64
    }

    /// A file's size, modification time and inode, or nil when it does not exist.
    public static func identity(of path: String) -> FileIdentity? {
        var st = stat()
        guard stat(path, &st) == 0 else { return nil }
        return FileIdentity(size: Int(st.st_size), modified: Double(st.st_mtim.tv_sec) + Double(st.st_mtim.tv_nsec) / 1e9,
                            inode: UInt64(st.st_ino))
    }

    /// Saves the cache (best effort: a lost cache only costs time).
    public func save() {
        guard let cachePath, let data = try? JSONEncoder().encode(cache) else { return }
        try? data.write(to: URL(fileURLWithPath: cachePath), options: .atomic)
    }

    /// Streams a file through SHA-256.
    public static func sha256(_ path: String) throws(PipelineError) -> String {
        let fd = open(path, O_RDONLY)
        guard fd >= 0 else { throw .io("cannot read \(path): \(String(cString: strerror(errno)))") }
        defer { close(fd) }
        var hasher = SHA256()
        let size = 1 << 20
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: size, alignment: 16)
        defer { buffer.deallocate() }
        while true {
            let n = read(fd, buffer.baseAddress!, size)
            if n < 0 { throw .io("cannot read \(path): \(String(cString: strerror(errno)))") }
            if n == 0 { break }
            hasher.update(bufferPointer: UnsafeRawBufferPointer(rebasing: buffer[0..<n]))
        }
        return hasher.finalize().map { String(format: "%02x", $0) }.joined()
    }

    /// SHA-256 of a text, in hex.
    public static func sha256(text: String) -> String {
        SHA256.hash(data: Data(text.utf8)).map { String(format: "%02x", $0) }.joined()
    }
}

/// Hashes of a stage's inputs made on a thread of their own while the stage runs (see
/// `FileFingerprints.hashBeside`).
public final class HashesBeside: @unchecked Sendable {
    fileprivate let work: BackgroundWork<[String: FileFingerprints.Entry]>
    fileprivate let paths: [String]

    fileprivate init(_ work: BackgroundWork<[String: FileFingerprints.Entry]>, paths: [String]) {
        self.work = work
        self.paths = paths
    }
}
