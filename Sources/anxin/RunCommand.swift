import AnxinCore
import AnxinKit
import ArgumentParser
import Foundation
import Logging

/// Options every command that reads the configuration shares.
struct CommonOptions: ParsableArguments {
    @Option(name: .long, help: "The configuration file.")
    var config = "pipeline.conf"

    @Option(name: .customLong("as-of"), help: "Judge every rule as of this date (overrides the configuration), e.g. 2019-08-29.")
    var asOf: String?

    func validate() throws {
        if let asOf, CivilDate.parse(asOf) == nil {
            throw ValidationError("--as-of \(asOf) is not a date; use a form such as 2019-08-29")
        }
    }

    func load() throws(PipelineError) -> Configuration {
        try Configuration.load(path: config, asOf: asOf.flatMap(CivilDate.parse))
    }
}

extension StageName: ExpressibleByArgument {}
extension LogFormat: ExpressibleByArgument {}

/// `anxin run`: the nightly pipeline, or the part of it an analyst asks for.
struct RunCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Run the stages that are out of date: ingest, screen, cards, evaluate, report.",
        discussion: "A stage reruns when an input file's checksum, its configuration, an upstream dataset or the tool version changed.")

    @OptionGroup var common: CommonOptions

    @Option(help: "Start at this stage.")
    var from: StageName?

    @Option(help: "Stop after this stage.")
    var to: StageName?

    @Option(help: "Run only this stage (on the datasets the earlier stages left).")
    var only: StageName?

    @Flag(help: "Rerun the selected stages even when they are up to date.")
    var force = false

    @Flag(name: .customLong("dry-run"), help: "Print what would run and why; change nothing.")
    var dryRun = false

    @Flag(name: .customLong("accept-input-change"), help: "Accept input changes past the gates (an empty police extract still stops).")
    var acceptInputChange = false

    @Flag(help: "Print only warnings and errors.")
    var quiet = false

    @Option(name: .customLong("log-format"), help: "text or json.")
    var logFormat: LogFormat = .text

    func validate() throws {
        if only != nil && (from != nil || to != nil) {
            throw ValidationError("--only cannot be combined with --from or --to")
        }
        if let from, let to, to < from {
            throw ValidationError("--from \(from.rawValue) comes after --to \(to.rawValue)")
        }
    }

    func run() async throws {
        try await Terminal.reportingErrors {
            let configuration = try common.load()
            let terminal = isatty(1) == 1
            let level: Logger.Level = quiet ? .warning : .info
            let log = Logger(label: "anxin") { _ in LogOutput(format: logFormat, level: level, terminal: terminal) }
            let pipeline = Pipeline(config: configuration, log: log)
            if terminal && !quiet && logFormat == .text {
                pipeline.progress = ProgressSink { line in LogOutput.write("\r\u{1B}[K" + line) }
            }
            let options = RunOptions(from: from, to: to, only: only, force: force, dryRun: dryRun,
                                     acceptInputChange: acceptInputChange)
            let manifest = try await pipeline.run(options)
            if !dryRun {
                log.info("Run \(manifest.runID) \(manifest.status). Datasets: \(configuration.paths.work); manifest: \(configuration.paths.output)/manifest.json")
            }
            // The process ends now: what the run still holds (a city's people, shared between
            // stages) goes back to the system with it, rather than being freed value by value,
            // which at a million people takes over a second.
            _ = Unmanaged.passRetained(pipeline)
        }
    }
}

/// `anxin status`: each stage, up to date or stale (and why), with its last run and counts.
struct StatusCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "status", abstract: "Show each stage: up to date or stale, and why.")

    @OptionGroup var common: CommonOptions

    func run() throws {
        try Terminal.reportingErrorsSync {
            let configuration = try common.load()
            let pipeline = Pipeline(config: configuration, log: Logger(label: "anxin") { _ in SwiftLogNoOpLogHandler() })
            for state in try pipeline.states() {
                let name = state.stage.rawValue.padding(toLength: 9, withPad: " ", startingAt: 0)
                let verdict = state.staleBecause.map { "stale: \($0)" } ?? "up to date"
                var line = "\(name) \(verdict)"
                if let r = state.record {
                    line += "; last run \(r.started) (\(r.runID), \(String(format: "%.2f", r.seconds)) s, as of \(r.asOf))"
                }
                print(line)
                if let r = state.record {
                    let counts = r.counts.filter { !$0.key.contains("_accepted") }.sorted { $0.key < $1.key }
                    print("          " + counts.map { "\($0.key)=\($0.value)" }.joined(separator: " "))
                }
            }
        }
    }
}
