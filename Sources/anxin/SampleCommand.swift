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

            With --calibrated NAME the sample reproduces published figures exactly instead \
            (wenzhou-2019: as of 2019-08-29, 3,200 registrations, 93 people screened out for \
            criminal records, 1,951 cards, all green, 20 institutions selected; seekers.csv in \
            GB18030 with Chinese headers, as pipeline.conf expects), and DIR/night-2/ holds the \
            next night's extracts and a pipeline.conf for them: \
            anxin sample --calibrated wenzhou-2019 --out sample-data
            """)

    @Option(name: .long, help: ArgumentHelp("The folder to write the files into (created when missing).", valueName: "dir"))
    var out: String

    @Option(name: .long, help: ArgumentHelp(
        "Write the calibrated sample NAME (\(SampleCalibration.all.map(\.name).joined(separator: ", "))) and its second night in DIR/night-2/.",
        valueName: "name"))
    var calibrated: String?

    @Option(name: .long, help: ArgumentHelp("Rows of seekers.csv (about 3% re-register someone); not with --calibrated.", valueName: "n"))
    var seekers: Int?

    @Option(name: .long, help: ArgumentHelp("Seed of every random choice (0 to 2^64-1); with --calibrated, 2019 unless given.", valueName: "s"))
    var seed: UInt64?

    @Option(name: .long, help: ArgumentHelp("Encoding of seekers.csv: utf-8 (the default) or gb18030.", valueName: "name"))
    var encoding: String?

    @Flag(name: .customLong("chinese-headers"), help: "Write the header of seekers.csv in Chinese (申请编号,姓名,身份证号码,...).")
    var chineseHeaders = false

    @Option(name: .customLong("as-of"), help: ArgumentHelp("The day the extracts are taken (default \(SampleGenerator.Options.defaultAsOf)).", valueName: "date"))
    var asOf: String?

    @Option(name: .customLong("police-per-seeker"), help: ArgumentHelp("Rows of police_records.csv per seeker row (default 3).", valueName: "x"))
    var policePerSeeker: Double?

    @Option(name: .long, help: ArgumentHelp("The folder holding wenzhou_districts.csv and service_catalog.csv.", valueName: "dir"))
    var reference = "reference"

    func validate() throws {
        if let calibrated {
            guard SampleCalibration.named(calibrated) != nil else {
                throw ValidationError("--calibrated \(calibrated): no such calibration; use \(SampleCalibration.all.map(\.name).joined(separator: " or "))")
            }
            for (given, option) in [(seekers != nil, "--seekers"), (encoding != nil, "--encoding"), (asOf != nil, "--as-of"),
                                    (policePerSeeker != nil, "--police-per-seeker")] where given {
                throw ValidationError("\(option) cannot be used with --calibrated, which fixes the sample's size, dates and encoding")
            }
            return
        }
        guard let seekers else { throw ValidationError("--seekers is required (or give --calibrated NAME)") }
        guard seed != nil else { throw ValidationError("--seed is required (or give --calibrated NAME)") }
        guard (1...SampleGenerator.maxSeekers).contains(seekers) else {
            throw ValidationError("--seekers \(seekers): give a number from 1 to \(SampleGenerator.maxSeekers)")
        }
        if let encoding, TextEncoding(name: encoding) == nil {
            throw ValidationError("--encoding \(encoding): use utf-8 or gb18030")
        }
        if let asOf, CivilDate.parse(asOf) == nil {
            throw ValidationError("--as-of \(asOf) is not a date; use a form such as 2019-08-29")
        }
        if let policePerSeeker, !(policePerSeeker.isFinite && (0...SampleGenerator.maxPolicePerSeeker).contains(policePerSeeker)) {
            throw ValidationError("--police-per-seeker \(policePerSeeker): give a number from 0 to \(Int(SampleGenerator.maxPolicePerSeeker))")
        }
    }

    func run() async throws {
        try await Terminal.reportingErrors {
            let options: SampleGenerator.Options
            let calibration = calibrated.flatMap(SampleCalibration.named)
            if let calibration {
                options = .calibrated(calibration, outputDirectory: out, seed: seed, referenceDirectory: reference)
            } else {
                options = SampleGenerator.Options(
                    outputDirectory: out, seekers: seekers!, seed: seed!, encoding: TextEncoding(name: encoding ?? "utf-8")!,
                    chineseHeaders: chineseHeaders, asOf: asOf.flatMap(CivilDate.parse) ?? SampleGenerator.Options.defaultAsOf,
                    policePerSeeker: policePerSeeker ?? 3.0, referenceDirectory: reference)
            }
            let files = try SampleGenerator(options: options).run()
            let width = files.map(\.path.count).max() ?? 0
            Terminal.print(files.map { f in
                let path = f.path + String(repeating: " ", count: width - f.path.count)
                return "\(path)  \(f.rows) rows (\(f.dirtyRows.count) dirty)"
            })
            if let calibration { Terminal.print(Self.expectations(calibration, out: out)) }
        }
    }

    /// What `anxin run` prints on each night of a calibrated sample.
    static func expectations(_ c: SampleCalibration, out: String) -> [String] {
        let g = IngestSummary.grouped
        var lines = ["Calibrated to \(c.name) (\(c.source)). anxin run should print:"]
        for (i, n) in c.nights.enumerated() {
            let folder = i == 0 ? out : out + "/" + SampleCalibration.nightFolder(i + 1)
            lines.append("  night \(i + 1), as of \(n.asOf) (\(folder)): registrations \(g(n.registrations)), people \(g(n.people)), "
                         + "screened \(g(n.screened)), review \(g(n.review)), pending \(g(n.pending)), eligible \(g(n.eligible)); "
                         + "cards: \(g(n.issued)) issued, \(g(n.recoloured)) changed colour, green \(g(n.green)) yellow \(g(n.yellow)) red \(g(n.red))"
                         + (i == 0 ? "; \(c.selectedInstitutions) institutions selected" : ""))
        }
        lines.append("  the second night runs after the first: anxin run --config \(out)/\(SampleCalibration.nightFolder(2))/pipeline.conf")
        return lines
    }
}
