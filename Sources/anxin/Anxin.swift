import AnxinKit
import ArgumentParser
import Foundation

/// The `anxin` command: the nightly integrity pipeline of the household-service market.
@main
struct Anxin: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "anxin",
        abstract: "Anxin: the nightly integrity pipeline of the household-service market.",
        discussion: """
            Exit codes: 0 done, 1 failed, 2 usage or configuration error, \
            3 stopped by a gate, 75 another run holds the lock.
            """,
        subcommands: [RunCommand.self, StatusCommand.self, CardCommand.self, CardsCommand.self, VerifyCommand.self, SampleCommand.self, BenchIngestCommand.self, BenchStageCommand.self],
        defaultSubcommand: RunCommand.self
    )

    /// Parses and runs the command; usage errors exit with 2, as the README documents.
    static func main() async {
        Allocator.useHugePages()
        do {
            var command = try parseAsRoot()
            if var asyncCommand = command as? AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                try command.run()
            }
        } catch {
            let code = exitCode(for: error)
            if code == .validationFailure {
                Terminal.error(fullMessage(for: error))
                Foundation.exit(2)
            }
            exit(withError: error)
        }
    }
}
