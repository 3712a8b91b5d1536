import Foundation
import Testing
@testable import AnxinKit

@Suite("A thread for work handed over later")
struct ErrandTests {
    /// The calling thread's nice value.
    static func nice() -> Int32 {
        errno = 0
        return getpriority(__priority_which_t(PRIO_PROCESS.rawValue), 0)
    }

    @Test func workHandedOverByAThreadOfLowPriorityRunsWithTheStartersPriority() throws {
        let starter = Self.nice()
        let errand = Errand(name: "test-errand")
        // Handed over from a thread of low priority, as the report's draft does.
        let handed = BackgroundWork(name: "test-low", spareTime: true) { () -> (Int32, Int32?) in
            let ran = Signal<Int32>()
            #expect(errand.start { ran.send(Self.nice()) })
            #expect(!errand.start {})  // handed over once only
            try errand.finish()
            return (Self.nice(), ran.wait())
        }
        let (low, ran) = try handed.value()
        // Nice 10, or the starter's own if that is lower already (a process cannot raise it).
        #expect(low == max(starter, 10))
        #expect(ran == starter)
    }

    @Test func anErrorComesThroughAndAnErrandNotHandedWorkIsLetGo() throws {
        struct Broken: Error {}
        let failing = Errand(name: "test-errand")
        #expect(failing.start { throw Broken() })
        #expect(throws: Broken.self) { try failing.finish() }

        let idle = Errand(name: "test-errand")
        try idle.finish()
        var ran = false
        #expect(!idle.start { ran = true })
        try idle.finish()
        #expect(!ran)
    }
}

@Suite("Checksums made beside a stage")
struct HashesBesideTests {
    /// The files' size, time and inode now, as a stage takes them when it begins.
    static func identities(_ paths: [String]) -> [String: FileFingerprints.FileIdentity] {
        Dictionary(paths.compactMap { p in FileFingerprints.identity(of: p).map { (p, $0) } }, uniquingKeysWith: { a, _ in a })
    }

    @Test func hashesMadeBesideAreTheFilesAndAChangedFileHasNone() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("anxin-hashes-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let small = dir + "/small.csv", big = dir + "/big.csv"
        try Data("a,b\n1,2\n".utf8).write(to: URL(fileURLWithPath: small))
        try Data(repeating: 0x61, count: 64 << 20).write(to: URL(fileURLWithPath: big))

        var fingerprints = FileFingerprints(cachePath: nil)
        let beside = try #require(fingerprints.hashBeside(Self.identities([small, big, small])))
        #expect(fingerprints.adopt(beside).isEmpty)
        for path in [small, big] {
            #expect(try fingerprints.fingerprint(path)?.sha256 == FileFingerprints.sha256(path))
        }
        // Held in the cache now: nothing left to hash beside.
        #expect(fingerprints.hashBeside(Self.identities([small, big])) == nil)

        // A file changed while it is hashed beside gets no checksum from it, or one held for
        // the size, time and inode it had before: either way its checksum now is its new content's.
        var fresh = FileFingerprints(cachePath: nil)
        let hashing = try #require(fresh.hashBeside(Self.identities([big])))
        try Data(repeating: 0x62, count: 1 << 20).write(to: URL(fileURLWithPath: big))
        _ = fresh.adopt(hashing)
        #expect(try fresh.fingerprint(big)?.sha256 == FileFingerprints.sha256(big))
    }
}
