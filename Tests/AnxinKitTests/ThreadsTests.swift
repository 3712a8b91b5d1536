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
