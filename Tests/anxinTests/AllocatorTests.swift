import Foundation
import Testing
@testable import anxin

@Suite("The allocator's settings")
struct AllocatorTests {
    @Test func hugePagesAreAskedForAndOtherTunablesKept() {
        #expect(Allocator.tunables(nil) == "glibc.malloc.hugetlb=1")
        #expect(Allocator.tunables("") == "glibc.malloc.hugetlb=1")
        #expect(Allocator.tunables("glibc.malloc.arena_max=2") == "glibc.malloc.arena_max=2:glibc.malloc.hugetlb=1")
    }

    @Test func aSettingInTheEnvironmentIsLeftAsItIs() {
        #expect(Allocator.tunables("glibc.malloc.hugetlb=0") == nil)
        #expect(Allocator.tunables("glibc.malloc.arena_max=2:glibc.malloc.hugetlb=1") == nil)
        // A tunable whose name only starts the same is another tunable.
        #expect(Allocator.tunables("glibc.malloc.hugetlbx=1") == "glibc.malloc.hugetlbx=1:glibc.malloc.hugetlb=1")
    }

    @Test func theCommandRunsTheSameWhateverTheEnvironmentSays() throws {
        let dir = try EndToEnd.workspace()
        defer { try? FileManager.default.removeItem(at: dir) }
        var outputs: [String] = []
        for tunables in [nil, "glibc.malloc.hugetlb=0", "glibc.malloc.arena_max=2"] {
            let r = try anxin(["run", "--config", "pipeline.conf", "--dry-run"], in: dir, tunables: tunables)
            #expect(r.code == 0, "\(r.err)")
            #expect(r.err.isEmpty)
            // The plan, without the log's times.
            outputs.append(r.out.split(separator: "\n").map { $0.split(separator: " ").dropFirst().joined(separator: " ") }.joined(separator: "\n"))
        }
        #expect(Set(outputs).count == 1)
        #expect(outputs[0].contains("would run"))
    }
}
