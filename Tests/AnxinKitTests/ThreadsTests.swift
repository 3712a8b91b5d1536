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
            try errand.finish()
            return (Self.nice(), ran.wait())
        }
        let (low, ran) = try handed.value()
        #expect(low == min(starter + 10, 19))
        #expect(ran == starter)
        // Handed over once only.
        #expect(!errand.start {})
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
    @Test func hashesMadeBesideAreTheFilesAndAChangedFileHasNone() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("anxin-hashes-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let small = dir + "/small.csv", big = dir + "/big.csv"
        try Data("a,b\n1,2\n".utf8).write(to: URL(fileURLWithPath: small))
        try Data(repeating: 0x61, count: 64 << 20).write(to: URL(fileURLWithPath: big))

        var fingerprints = FileFingerprints(cachePath: nil)
        let beside = try #require(fingerprints.hashBeside([small, big, small]))
        #expect(fingerprints.adopt(beside).isEmpty)
        for path in [small, big] {
            #expect(try fingerprints.fingerprint(path)?.sha256 == FileFingerprints.sha256(path))
        }
        // Held in the cache now: nothing left to hash beside.
        #expect(fingerprints.hashBeside([small, big]) == nil)

        // A file changed while it is hashed beside gets no checksum from it, or no longer has
        // the size, time and inode it was taken with: either way it is not taken for the file read.
        var fresh = FileFingerprints(cachePath: nil)
        let before = FileFingerprints.identity(of: big)
        let hashing = try #require(fresh.hashBeside([big]))
        try Data(repeating: 0x62, count: 1 << 20).write(to: URL(fileURLWithPath: big))
        let changed = fresh.adopt(hashing)
        #expect(changed == [big] || FileFingerprints.identity(of: big) != before)
    }
}
