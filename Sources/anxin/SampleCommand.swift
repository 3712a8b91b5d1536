import AnxinCore
import AnxinKit
import ArgumentParser
import CSV

/// `anxin sample`: writes a deterministic sample of the six input extracts.
///
/// An async command only so that it can share `Terminal.reportingErrors` with `run`; the work
/// itself is synchronous.
struct SampleCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sample",
        abstract: "Write a realistic sample of the six input extracts, about 1% of their rows deliberately dirty.",
        discussion: """
            The same options give byte-identical files on every machine. The files are \
            seekers.csv, police_records.csv, training.csv, institutions.csv, evaluations.csv \
            and review_decisions.csv, with the data contract's columns; --encoding and \
            --chinese-headers apply to seekers.csv, as the market hall's intake system exports it.
            """)

    @Option(name: .long, help: ArgumentHelp("The folder to write the files into (created when missing).", valueName: "dir"))
    var out: String

    @Option(name: .long, help: ArgumentHelp("Rows of seekers.csv (about 3% re-register someone).", valueName: "n"))
    var seekers: Int

    @Option(name: .long, help: ArgumentHelp("Seed of every random choice (0 to 2^64-1).", valueName: "s"))
    var seed: UInt64

    @Option(name: .long, help: ArgumentHelp("Encoding of seekers.csv: utf-8 or gb18030.", valueName: "name"))
    var encoding = "utf-8"

    @Flag(name: .customLong("chinese-headers"), help: "Write the header of seekers.csv in Chinese (申请编号,姓名,身份证号码,...).")
    var chineseHeaders = false

    @Option(name: .customLong("as-of"), help: ArgumentHelp("The day the extracts are taken, e.g. 2019-08-29.", valueName: "date"))
    var asOf = SampleGenerator.Options.defaultAsOf.description

    @Option(name: .customLong("police-per-seeker"), help: ArgumentHelp("Rows of police_records.csv per seeker row.", valueName: "x"))
    var policePerSeeker = 3.0

    @Option(name: .long, help: ArgumentHelp("The folder holding wenzhou_districts.csv and service_catalog.csv.", valueName: "dir"))
    var reference = "reference"

    func validate() throws {
        guard (1...SampleGenerator.maxSeekers).contains(seekers) else {
            throw ValidationError("--seekers \(seekers): give a number from 1 to \(SampleGenerator.maxSeekers)")
        }
        guard TextEncoding(name: encoding) != nil else {
            throw ValidationError("--encoding \(encoding): use utf-8 or gb18030")
        }
        guard CivilDate.parse(asOf) != nil else {
            throw ValidationError("--as-of \(asOf) is not a date; use a form such as 2019-08-29")
        }
        guard policePerSeeker.isFinite, (0...SampleGenerator.maxPolicePerSeeker).contains(policePerSeeker) else {
            throw ValidationError("--police-per-seeker \(policePerSeeker): give a number from 0 to \(Int(SampleGenerator.maxPolicePerSeeker))")
        }
    }

    func run() async throws {
        try await Terminal.reportingErrors {
            let options = SampleGenerator.Options(
                outputDirectory: out, seekers: seekers, seed: seed, encoding: TextEncoding(name: encoding)!,
                chineseHeaders: chineseHeaders, asOf: CivilDate.parse(asOf)!, policePerSeeker: policePerSeeker,
                referenceDirectory: reference)
            let files = try SampleGenerator(options: options).run()
            let width = files.map(\.path.count).max() ?? 0
            Terminal.print(files.map { f in
                let path = f.path + String(repeating: " ", count: width - f.path.count)
                return "\(path)  \(f.rows) rows (\(f.dirtyRows.count) dirty)"
            })
        }
    }
}
