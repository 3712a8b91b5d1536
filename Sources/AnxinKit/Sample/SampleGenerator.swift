import AnxinCore
import CSV
import Foundation

/// Writes a realistic, deterministic sample of the six input extracts of the data contract
/// (`seekers.csv`, `police_records.csv`, `training.csv`, `institutions.csv`,
/// `evaluations.csv`, `review_decisions.csv`), for demonstrations, tests and benchmarks.
///
/// The same options give byte-identical files on every machine. About 1% of the rows of every
/// file are deliberately dirty, one of each kind that ingest rejects in turn; the rest are
/// valid, including the untidy forms ingest accepts (lower-case `x`, full-width digits and
/// spaces in ID numbers, the four date forms, 男/女, quoted fields with commas and newlines).
///
/// With a `calibration`, the sample reproduces published figures exactly (see
/// `SampleCalibration`) and comes with a second night's extracts in `night-2/`.
public struct SampleGenerator: Sendable {
    /// What to generate.
    public struct Options: Sendable, Equatable {
        /// The folder the six files are written to (created when missing).
        public var outputDirectory: String
        /// Rows of `seekers.csv` (registrations: about 3% re-register a person seen earlier).
        public var seekers: Int
        /// The seed of every random choice.
        public var seed: UInt64
        /// Encoding of `seekers.csv`, which comes from the market hall's intake system; the
        /// other extracts are always UTF-8.
        public var encoding: TextEncoding
        /// Write the header of `seekers.csv` in Chinese, as the intake system exports it.
        public var chineseHeaders: Bool
        /// The day the extracts are taken: every clean row is dated on or before it.
        public var asOf: CivilDate
        /// Rows of `police_records.csv` per seeker row.
        public var policePerSeeker: Double
        /// The folder holding `wenzhou_districts.csv` and `service_catalog.csv`.
        public var referenceDirectory: String
        /// When set, the sample reproduces this calibration's figures: `seekers`, `asOf` and
        /// `policePerSeeker` are the calibration's, `seekers.csv` is GB18030 with Chinese
        /// headers, and a second night is written to `<outputDirectory>/night-2/`.
        public var calibration: SampleCalibration?

        /// The as-of date of the contract's reference figures.
        public static let defaultAsOf = CivilDate(year: 2019, month: 8, day: 29)!

        /// Options with the defaults for everything but the folder, the size and the seed.
        public init(outputDirectory: String, seekers: Int, seed: UInt64, encoding: TextEncoding = .utf8,
                    chineseHeaders: Bool = false, asOf: CivilDate = Options.defaultAsOf,
                    policePerSeeker: Double = 3.0, referenceDirectory: String = "reference") {
            self.outputDirectory = outputDirectory
            self.seekers = seekers
            self.seed = seed
            self.encoding = encoding
            self.chineseHeaders = chineseHeaders
            self.asOf = asOf
            self.policePerSeeker = policePerSeeker
            self.referenceDirectory = referenceDirectory
            calibration = nil
        }

        /// Options for the calibrated sample `calibration` (its default seed unless one is given).
        public static func calibrated(_ calibration: SampleCalibration, outputDirectory: String, seed: UInt64? = nil,
                                      referenceDirectory: String = "reference") -> Options {
            var o = Options(outputDirectory: outputDirectory, seekers: calibration.registrations,
                            seed: seed ?? calibration.defaultSeed, encoding: .gb18030, chineseHeaders: true,
                            asOf: calibration.asOf, policePerSeeker: 3.0, referenceDirectory: referenceDirectory)
            o.calibration = calibration
            return o
        }
    }

    /// What was written to one file.
    public struct FileSummary: Sendable, Equatable {
        /// Which extract.
        public var kind: InputKind
        /// Where it was written.
        public var path: String
        /// Data rows (records after the header; a quoted newline does not start a new one).
        public var rows: Int
        /// Indices (0-based, in file order, header not counted) of the rows written to be
        /// rejected by ingest.
        public var dirtyRows: [Int]
    }

    /// The header of `seekers.csv` with `chineseHeaders`, in the canonical columns' order.
    public static let chineseSeekerHeaders = [
        "申请编号", "姓名", "身份证号码", "性别", "出生日期", "联系电话", "所属区县", "服务类别", "所属机构",
        "体检结果", "体检日期", "登记日期",
    ]

    /// The largest sample that can be asked for (rows of `seekers.csv`).
    public static let maxSeekers = 100_000_000
    /// The most police records per seeker that can be asked for.
    public static let maxPolicePerSeeker = 100.0

    /// The options this generator writes with.
    public let options: Options

    /// A generator for `options`.
    public init(options: Options) { self.options = options }

    /// Writes the six files, each renamed into place only once complete, and returns what
    /// each holds, in the contract's order of inputs. A calibrated sample writes the first
    /// night's files, then the second night's six and its `pipeline.conf` in `night-2/`.
    public func run() throws(PipelineError) -> [FileSummary] {
        guard (1...Self.maxSeekers).contains(options.seekers) else {
            throw .config("the number of seekers must be from 1 to \(Self.maxSeekers), not \(options.seekers)")
        }
        guard options.policePerSeeker.isFinite, (0...Self.maxPolicePerSeeker).contains(options.policePerSeeker) else {
            throw .config("police records per seeker must be from 0 to \(Int(Self.maxPolicePerSeeker)), not \(options.policePerSeeker)")
        }
        let districts = try ReferenceLoader.list(options.referenceDirectory + "/wenzhou_districts.csv")
        let services = try ReferenceLoader.list(options.referenceDirectory + "/service_catalog.csv")
        do {
            try FileManager.default.createDirectory(atPath: options.outputDirectory, withIntermediateDirectories: true)
        } catch {
            throw .io("cannot create \(options.outputDirectory): \(error.localizedDescription)")
        }
        let catalog = SampleCatalog(districts: districts, services: services)
        if let calibration = options.calibration {
            return try runCalibrated(calibration, catalog: catalog)
        }
        do {
            var builder = try SampleBuilder(options: options, catalog: catalog)
            return try builder.build()
        } catch {
            throw .io(error.description)
        }
    }

    /// Both nights of a calibrated sample. Each night is generated from scratch with the same
    /// seed, so the second night's extracts hold the first night's rows byte for byte, with
    /// the night's new rows after them.
    private func runCalibrated(_ calibration: SampleCalibration, catalog: SampleCatalog) throws(PipelineError) -> [FileSummary] {
        var files: [FileSummary] = []
        for night in 1...2 {
            var o = options
            o.seekers = calibration.registrations
            o.asOf = calibration.asOf
            o.policePerSeeker = 3.0
            o.encoding = .gb18030  // as pipeline.conf and the second night's configuration expect
            o.chineseHeaders = true
            if night > 1 {
                o.outputDirectory += "/" + SampleCalibration.nightFolder(night)
                do {
                    try FileManager.default.createDirectory(atPath: o.outputDirectory, withIntermediateDirectories: true)
                } catch {
                    throw .io("cannot create \(o.outputDirectory): \(error.localizedDescription)")
                }
            }
            do {
                var builder = try SampleBuilder(options: o, catalog: catalog)
                files += try builder.buildCalibrated(calibration, night: night)
            } catch {
                throw .io(error.description)
            }
            if night > 1 {
                let path = o.outputDirectory + "/pipeline.conf"
                let text = Self.nightConfiguration(calibration, night: night)
                guard FileManager.default.createFile(atPath: path, contents: Data(text.utf8),
                                                     attributes: [.posixPermissions: 0o644]) else {
                    throw .io("cannot write \(path)")
                }
            }
        }
        return files
    }

    /// The configuration of a later night: its own extracts and as-of date; the project's
    /// reference lists, work folder, registry and key (the sample's folder sits in the
    /// project's root, as `sample-data/` does); and the policy of the project's `pipeline.conf`.
    public static func nightConfiguration(_ calibration: SampleCalibration, night: Int) -> String {
        let asOf = calibration.asOf.adding(days: night - 1)
        let headers = zip(chineseSeekerHeaders, Seeker.columns).map { "\"\($0)\" = \"\($1)\"" }.joined(separator: "\n")
        func input(_ kind: InputKind) -> String {
            "[inputs.\(kind.rawValue)]\npath = \"\(kind.rawValue).csv\"\nencoding = \"utf-8\"\n"
        }
        return """
            # Night \(night) of the calibrated sample \(calibration.name): the extracts of \(asOf), the day after
            # the first night's. Written by `anxin sample --calibrated \(calibration.name) --out sample-data`.
            # Run it after the first night (`make run`), from the project's root:
            #   anxin run --config sample-data/\(SampleCalibration.nightFolder(night))/pipeline.conf
            # Relative paths resolve against this file's folder: the extracts are this folder's; the
            # reference lists, work folder, registry and QR signing key are the project's, so this night
            # continues the first night's registry. The policy is that of ../../pipeline.conf (see there
            # what each key means); keep the two in step.

            [run]
            as_of = "\(asOf)"

            [report]
            market_name = "温州家政服务市场"
            language = "zh"

            [paths]
            districts = "../../reference/wenzhou_districts.csv"
            services = "../../reference/service_catalog.csv"
            work = "../../var/work"
            output = "../../var/out"
            registry = "../../var/registry.sqlite"

            [inputs.seekers]
            path = "seekers.csv"
            encoding = "gb18030"

            [inputs.seekers.headers]
            \(headers)

            \(input(.policeRecords))
            \(input(.training))
            \(input(.institutions))
            \(input(.evaluations))
            \(input(.reviewDecisions))
            [screening]
            always_disqualify = ["homicide", "sexual_offense", "child_abuse", "trafficking", "robbery", "kidnapping"]
            administrative_ignored = ["homicide", "sexual_offense", "child_abuse", "trafficking", "robbery", "kidnapping",
                                      "theft", "fraud", "assault", "public_order", "traffic"]

            [screening.criminal_lookback_years]
            theft = 5
            fraud = 5
            drug = 5
            assault = 5
            public_order = 3
            traffic = 3

            [screening.administrative_lookback_years]
            drug = 3

            [eligibility]
            min_age = 18
            max_age = 65
            health_check_valid_days = 365
            min_passed_courses = 1

            [cards]
            prefix = "WZ"
            key_file = "../../var/qr-signing.key"
            qr_base_url = "https://anxin.wzjz.example.org"
            render_files = true

            [evaluation]
            window_days = 365
            min_card_holders = 5
            min_evaluations = 10
            prior_weight = 20
            wilson_z = 1.96
            weight_rating = 0.5
            weight_complaints = 0.2
            weight_card_holders = 0.2
            weight_training = 0.1
            top_n = 20

            [gates]
            max_rejected_seeker_share = 0.05
            max_police_drop = 0.5

            """
    }
}
