import AnxinCore
import AnxinKit
import ArgumentParser
import CSV
import Foundation

/// `anxin bench-ingest`: one measurement for `make bench` (not for everyday use).
struct BenchIngestCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench-ingest",
        abstract: "Measure one extract through the reader alone or through ingest, on one core.",
        shouldDisplay: false)

    @Option(help: "The input kind: seekers, police_records, training, institutions, evaluations, review_decisions.")
    var kind: String

    @Option(help: "The extract to read.")
    var file: String

    @Option(help: "Its encoding: utf-8 or gb18030.")
    var encoding = "utf-8"

    @Option(help: "Where the reference lists are.")
    var reference = "reference"

    // No default path: the dataset is written under a temporary name and renamed into place,
    // which must never happen to a device such as /dev/null.
    @Option(help: "Where to write the dataset (ingest only); without it the dataset lines are made but not written.")
    var output: String?

    @Option(name: .customLong("as-of"), help: "The as-of date.")
    var asOf = "2019-08-29"

    @Flag(name: .customLong("reader-only"), help: "Only stream the file through the CSV reader.")
    var readerOnly = false

    func run() throws {
        try Terminal.reportingErrorsSync {
            guard let kind = InputKind(rawValue: kind) else { throw PipelineError.config("unknown --kind \(self.kind)") }
            guard let encoding = TextEncoding(name: encoding) else { throw PipelineError.config("unknown --encoding \(self.encoding)") }
            guard let asOf = CivilDate.parse(asOf) else { throw PipelineError.config("--as-of \(self.asOf) is not a date") }
            let r: IngestBenchmark.Result
            if readerOnly {
                r = try IngestBenchmark.readOnly(path: file, encoding: encoding)
            } else {
                let paths = Configuration.Paths(districts: reference + "/wenzhou_districts.csv",
                                                services: reference + "/service_catalog.csv",
                                                work: "", output: "", registry: "")
                r = try IngestBenchmark.ingest(kind: kind, path: file, encoding: encoding,
                                               reference: try ReferenceLoader.load(paths), asOf: asOf, output: output)
            }
            // One machine-readable line: what was measured, bytes rows seconds MB/s rows/s peak-bytes.
            let measured = readerOnly ? "reader" : output == nil ? "ingest_no_write" : "ingest_and_write"
            print("measured=\(measured) " + String(format: "bytes=%d rows=%d seconds=%.3f mb_per_s=%.1f rows_per_s=%.0f peak_bytes=%d",
                         r.bytes, r.rows, r.seconds, r.megabytesPerSecond, r.rowsPerSecond, IngestBenchmark.peakMemory()))
        }
    }
}

/// `anxin bench-stage`: single steps of the later stages, for `make bench`.
struct BenchStageCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench-stage", abstract: "Measure the join and screening, a card commit, or QR rendering.",
        shouldDisplay: false)

    @Argument(help: "screen, cards or qr.") var step: String
    @OptionGroup var common: CommonOptions
    @Option(help: "Cards to commit, or QR codes to render.") var count = 1_000_000
    @Option(help: "The registry file to create (cards).") var registry = "bench-registry.sqlite"

    func run() throws {
        try Terminal.reportingErrorsSync {
            switch step {
            case "screen":
                let r = try StageBenchmark.screening(try common.load())
                print(String(format: "seconds=%.3f people=%d police_records=%d peak_bytes=%d", r.seconds, r.people, r.records,
                             IngestBenchmark.peakMemory()))
            case "cards":
                let t = try StageBenchmark.commitCards(count: count, registryPath: registry,
                                                       asOf: CivilDate(year: 2019, month: 8, day: 29)!)
                print(String(format: "plan_seconds=%.3f commit_seconds=%.3f cards=%d peak_bytes=%d", t.plan, t.commit, count,
                             IngestBenchmark.peakMemory()))
            case "qr":
                print(String(format: "qr_per_second=%.0f", try StageBenchmark.qrRate(count: count)))
            default:
                throw PipelineError.config("bench-stage takes screen, cards or qr")
            }
        }
    }
}
