import AnxinKit
import ArgumentParser
#if canImport(Glibc)
import Glibc
#endif

/// Printing for people at a terminal or reading the scheduler's log.
enum Terminal {
    /// Prints lines to standard output.
    static func print(_ lines: [String]) {
        for line in lines { Swift.print(line) }
    }

    /// Prints a message to standard error.
    static func error(_ message: String) {
        var text = message
        if !text.hasSuffix("\n") { text += "\n" }
        _ = text.withCString { write(2, $0, strlen($0)) }
    }

    /// Runs `body` (synchronous), turning a pipeline error into its message and exit code.
    static func reportingErrorsSync(_ body: () throws -> Void) throws {
        do {
            try body()
        } catch let e as PipelineError {
            error("anxin: error: " + e.description.replacingOccurrences(of: "\n", with: "\nanxin: error: "))
            throw ExitCode(e.exitCode)
        }
    }

    /// Runs `body`, turning a pipeline error into its message and documented exit code.
    static func reportingErrors(_ body: () async throws -> Void) async throws {
        do {
            try await body()
        } catch let e as PipelineError {
            error("anxin: error: " + e.description.replacingOccurrences(of: "\n", with: "\nanxin: error: "))
            throw ExitCode(e.exitCode)
        }
    }
}
