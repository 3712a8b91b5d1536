import Foundation

/// An exclusive lock on the work folder (flock), so two runs never overlap. The kernel drops
/// it when the process ends, however it ends, so a killed run never leaves it behind.
public final class RunLock {
    private let fd: Int32
    /// The lock file.
    public let path: String

    /// Takes the lock at once or throws `.locked` naming who holds it.
    public init(path: String) throws(PipelineError) {
        self.path = path
        let fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o600)
        guard fd >= 0 else { throw .io("cannot open the lock file \(path): \(String(cString: strerror(errno)))") }
        if flock(fd, LOCK_EX | LOCK_NB) != 0 {
            let holder = (try? String(contentsOfFile: path, encoding: .utf8))?.trimmingCharacters(in: .whitespacesAndNewlines) ?? ""
            close(fd)
            throw .locked("another run holds the lock on \(path)\(holder.isEmpty ? "" : " (\(holder))"); it exits by itself, try again once it has finished")
        }
        self.fd = fd
        ftruncate(fd, 0)
        let note = "pid \(getpid()), started \(ISO8601DateFormatter().string(from: Date()))\n"
        _ = note.withCString { write(fd, $0, strlen($0)) }
    }

    deinit {
        flock(fd, LOCK_UN)
        close(fd)
    }
}
