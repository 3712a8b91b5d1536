import Foundation

/// The C allocator's settings for a run over a million people.
///
/// A full run allocates and fills over a gigabyte of fresh memory, and on Linux the kernel
/// clears every fresh page at its first touch. glibc's allocator can ask for transparent huge
/// pages (2 MiB at a time, with far fewer faults), which makes a city's run about a second
/// faster here, but it reads that setting only from the environment when the process starts.
/// So the command starts itself again, once, with the setting added; the output is the same
/// either way.
enum Allocator {
    /// The glibc tunable that makes malloc ask for transparent huge pages.
    static let hugePages = "glibc.malloc.hugetlb"

    /// The `GLIBC_TUNABLES` value that asks for huge pages, keeping the tunables in `current`;
    /// nil when `current` already says either way (`glibc.malloc.hugetlb=0` keeps glibc's
    /// default).
    static func tunables(_ current: String?) -> String? {
        guard let current, !current.isEmpty else { return "\(hugePages)=1" }
        let names = current.split(separator: ":").map { $0.split(separator: "=", maxSplits: 1).first.map(String.init) ?? "" }
        return names.contains(hugePages) ? nil : "\(current):\(hugePages)=1"
    }

    /// Set in the environment of the program started again, so it is started again once at
    /// most (glibc drops `GLIBC_TUNABLES` for a program installed setuid, for one).
    static let startedAgain = "ANXIN_STARTED_AGAIN"

    /// Starts this program again with huge pages asked for, unless the environment already
    /// says either way. If it cannot be started again, it goes on as it is.
    static func useHugePages() {
        #if os(Linux)
        guard getenv(startedAgain) == nil else {
            unsetenv(startedAgain)  // not passed on to what this program starts
            return
        }
        let current = ProcessInfo.processInfo.environment["GLIBC_TUNABLES"]
        guard let tunables = tunables(current), setenv("GLIBC_TUNABLES", tunables, 1) == 0 else { return }
        setenv(startedAgain, "1", 1)
        execv("/proc/self/exe", CommandLine.unsafeArgv)
        // Not started again: go on with the allocator as it is, and the environment as it was.
        unsetenv(startedAgain)
        if let current { setenv("GLIBC_TUNABLES", current, 1) } else { unsetenv("GLIBC_TUNABLES") }
        #endif
    }
}
