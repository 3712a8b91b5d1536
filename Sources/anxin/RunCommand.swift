import AnxinCore
import AnxinKit
import ArgumentParser

/// `anxin run`: the nightly pipeline over the configured extracts.
struct RunCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Run the nightly pipeline: ingest the configured extracts into datasets and the rejects ledger.")

    @Option(name: .long, help: "The configuration file.")
    var config = "pipeline.conf"

    @Option(name: .customLong("as-of"), help: "Judge every rule as of this date (overrides the configuration), e.g. 2019-08-29.")
    var asOf: String?

    @Flag(name: .long, help: "Print only errors.")
    var quiet = false

    func validate() throws {
        if let asOf, CivilDate.parse(asOf) == nil {
            throw ValidationError("--as-of \(asOf) is not a date; use a form such as 2019-08-29")
        }
    }

    func run() async throws {
        try await Terminal.reportingErrors {
            let configuration = try Configuration.load(path: config, asOf: asOf.flatMap(CivilDate.parse))
            let reference = try ReferenceLoader.load(configuration.paths)
            let report = try await IngestStage.run(configuration, reference: reference)
            if !quiet { Terminal.print(IngestSummary.lines(report)) }
            let (_, _, screening) = try ScreenStage.run(configuration)
            if !quiet { Terminal.print(ScreenSummary.lines(screening, asOf: configuration.asOf)) }
        }
    }
}
