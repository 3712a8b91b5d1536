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
    /// each holds, in the contract's order of inputs.
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
        do {
            var builder = try SampleBuilder(options: options, catalog: catalog)
            return try builder.build()
        } catch {
            throw .io(error.description)
        }
    }
}
