import AnxinCore
import CSV
import Foundation
import TOMLKit

extension Configuration {
    /// Reads and checks a configuration file. Unknown keys, wrong types, impossible values and
    /// missing or unreadable input files are errors naming the key or file and what was expected.
    /// `asOf` (from the command line) overrides the file's `[run] as_of`.
    public static func load(path: String, asOf override: CivilDate? = nil, today: CivilDate = .today()) throws(PipelineError) -> Configuration {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw .config("cannot read the configuration file \(path): \(FileManager.default.fileExists(atPath: path) ? "permission denied" : "no such file") (give another with --config)")
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw .config("\(path) is not UTF-8 text")
        }
        let root: TOMLTable
        do {
            root = try TOMLTable(string: text)
        } catch let error as TOMLParseError {
            throw .config("\(path): line \(error.source.begin.line), column \(error.source.begin.column): \(error.description)")
        } catch {
            throw .config("\(path): \(error)")
        }
        let base = (path as NSString).deletingLastPathComponent
        var reader = TableReader(table: root, name: "", file: path)
        return try parse(&reader, file: path, base: base.isEmpty ? "." : base, asOf: override, today: today)
    }

    private static func parse(_ root: inout TableReader, file: String, base: String, asOf override: CivilDate?,
                              today: CivilDate) throws(PipelineError) -> Configuration {
        func resolve(_ p: String) -> String {
            if p.hasPrefix("/") { return p }
            return Configuration.lexicallyNormal(base == "." ? p : base + "/" + p)
        }

        // [run]
        var run = try root.table("run", required: false)
        var asOf = today
        if let v = run?.raw("as_of") {
            if let s = v.string {
                if s == "today" { asOf = today } else if let d = CivilDate.parse(s) { asOf = d } else {
                    throw run!.error("as_of", "expected \"today\" or a date such as 2019-08-29, found \"\(s)\"")
                }
            } else if let d = v.date, let c = CivilDate(year: d.year, month: d.month, day: d.day) {
                asOf = c
            } else {
                throw run!.error("as_of", "expected \"today\" or a date such as 2019-08-29, found \(TableReader.describe(v))")
            }
        }
        if let override { asOf = override }
        try run?.finish()

        // [report]
        var report = try root.table("report", required: false)
        let marketName = try report?.string("market_name") ?? "温州家政服务市场"
        let languageText = try report?.string("language") ?? "zh"
        guard let language = ReportLanguage(rawValue: languageText) else {
            throw report!.error("language", "expected one of \(ReportLanguage.allCases.map(\.rawValue).joined(separator: ", ")), found \"\(languageText)\"")
        }
        try report?.finish()

        // [paths]
        var pathsTable = try root.table("paths", required: false)
        let paths = Paths(
            districts: resolve(try pathsTable?.string("districts") ?? "reference/wenzhou_districts.csv"),
            services: resolve(try pathsTable?.string("services") ?? "reference/service_catalog.csv"),
            work: resolve(try pathsTable?.string("work") ?? "var/work"),
            output: resolve(try pathsTable?.string("output") ?? "var/out"),
            registry: resolve(try pathsTable?.string("registry") ?? "var/registry.sqlite"))
        try pathsTable?.finish()
        for (key, p) in [("districts", paths.districts), ("services", paths.services)] {
            guard FileManager.default.isReadableFile(atPath: p) else {
                throw .config("\(file): [paths] \(key): cannot read \(p)")
            }
        }

        // [inputs.*]
        var inputsTable = try root.table("inputs", required: true)!
        var inputs: [InputKind: InputSource] = [:]
        for kind in InputKind.allCases {
            guard var t = try inputsTable.table(kind.rawValue, required: !kind.isOptional) else { continue }
            let configured = try t.string("path", required: true)!
            let encodingText = try t.string("encoding") ?? "utf-8"
            guard let encoding = TextEncoding(name: encodingText) else {
                throw t.error("encoding", "expected utf-8 or gb18030, found \"\(encodingText)\"")
            }
            var aliases: [String: String] = [:]
            if var h = try t.table("headers", required: false) {
                for key in h.keys {
                    let target = try h.string(key, required: true)!
                    guard kind.columns.contains(target) else {
                        throw h.error(key, "maps to \"\(target)\", which is not a column of \(kind.rawValue); expected one of \(kind.columns.joined(separator: ", "))")
                    }
                    aliases[key] = target
                }
                try h.finish()
            }
            try t.finish()
            let resolved = resolve(configured)
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: resolved, isDirectory: &isDirectory), !isDirectory.boolValue else {
                throw .config("\(file): [inputs.\(kind.rawValue)] path: no such file \(resolved)")
            }
            guard FileManager.default.isReadableFile(atPath: resolved) else {
                throw .config("\(file): [inputs.\(kind.rawValue)] path: cannot read \(resolved) (permission denied)")
            }
            inputs[kind] = InputSource(kind: kind, configuredPath: configured, path: resolved,
                                       encoding: encoding, headerAliases: aliases)
        }
        try inputsTable.finish()

        let screening = try parseScreening(&root)
        let eligibility = try parseEligibility(&root)
        let (cards, cardFiles) = try parseCards(&root, resolve: resolve)
        let evaluation = try parseEvaluation(&root)
        var gates = Gates.default
        if var t = try root.table("gates", required: false) {
            gates.maxRejectedSeekerShare = try t.double("max_rejected_seeker_share", range: 0...1) ?? gates.maxRejectedSeekerShare
            gates.maxPoliceDrop = try t.double("max_police_drop", range: 0...1) ?? gates.maxPoliceDrop
            try t.finish()
        }
        try root.finish()
        return Configuration(file: file, baseDirectory: base, asOf: asOf, marketName: marketName,
                             language: language, paths: paths, inputs: inputs, screening: screening,
                             eligibility: eligibility, cards: cards, cardFiles: cardFiles, evaluation: evaluation, gates: gates)
    }

    private static func parseScreening(_ root: inout TableReader) throws(PipelineError) -> ScreeningPolicy {
        let d = ScreeningPolicy.default
        guard var t = try root.table("screening", required: false) else { return d }
        let always = Set(try t.stringArray("always_disqualify") ?? Array(d.alwaysDisqualify))
        let ignored = Set(try t.stringArray("administrative_ignored") ?? Array(d.administrativeIgnored))
        var criminal = d.criminalLookbackYears
        if var c = try t.table("criminal_lookback_years", required: false) {
            criminal = [:]
            for key in c.keys { criminal[key] = try c.int(key, range: 0...150)! }
            try c.finish()
        }
        var administrative = d.administrativeLookbackYears
        if var a = try t.table("administrative_lookback_years", required: false) {
            administrative = [:]
            for key in a.keys { administrative[key] = try a.int(key, range: 0...150)! }
            try a.finish()
        }
        if let both = always.intersection(criminal.keys).sorted().first {
            throw t.error("always_disqualify", "\"\(both)\" is also in criminal_lookback_years: a category is either always disqualifying or has a lookback")
        }
        if let both = ignored.intersection(administrative.keys).sorted().first {
            throw t.error("administrative_ignored", "\"\(both)\" is also in administrative_lookback_years")
        }
        try t.finish()
        return ScreeningPolicy(alwaysDisqualify: always, criminalLookbackYears: criminal,
                               administrativeLookbackYears: administrative, administrativeIgnored: ignored)
    }

    private static func parseEligibility(_ root: inout TableReader) throws(PipelineError) -> EligibilityPolicy {
        let d = EligibilityPolicy.default
        guard var t = try root.table("eligibility", required: false) else { return d }
        let p = EligibilityPolicy(
            minAge: try t.int("min_age", range: 0...150) ?? d.minAge,
            maxAge: try t.int("max_age", range: 0...150) ?? d.maxAge,
            healthCheckValidDays: try t.int("health_check_valid_days", range: 1...36500) ?? d.healthCheckValidDays,
            minPassedCourses: try t.int("min_passed_courses", range: 0...1000) ?? d.minPassedCourses)
        if p.minAge > p.maxAge { throw t.error("min_age", "must not be above max_age (\(p.maxAge))") }
        try t.finish()
        return p
    }

    private static func parseCards(_ root: inout TableReader, resolve: (String) -> String) throws(PipelineError) -> (CardPolicy, CardFiles) {
        let d = CardPolicy.default
        var files = CardFiles(keyFile: resolve("var/qr-signing.key"), qrBaseURL: "https://anxin.example.org", render: true)
        guard var t = try root.table("cards", required: false) else { return (d, files.withEnvironment()) }
        let prefix = try t.string("prefix") ?? d.prefix
        guard (1...6).contains(prefix.count), prefix.allSatisfy({ $0.isASCII && $0.isUppercase }) else {
            throw t.error("prefix", "expected 1-6 upper-case Latin letters, found \"\(prefix)\"")
        }
        if let key = try t.string("key_file") { files.keyFile = resolve(key) }
        if let base = try t.string("qr_base_url") {
            guard base.hasPrefix("https://") || base.hasPrefix("http://"), !base.contains(" ") else {
                throw t.error("qr_base_url", "expected an address such as https://anxin.example.org, found \"\(base)\"")
            }
            files.qrBaseURL = base
        }
        files.render = try t.bool("render_files") ?? files.render
        try t.finish()
        return (CardPolicy(prefix: prefix), files.withEnvironment())
    }

    private static func parseEvaluation(_ root: inout TableReader) throws(PipelineError) -> EvaluationPolicy {
        let d = EvaluationPolicy.default
        guard var t = try root.table("evaluation", required: false) else { return d }
        let p = EvaluationPolicy(
            windowDays: try t.int("window_days", range: 1...36500) ?? d.windowDays,
            minCardHolders: try t.int("min_card_holders", range: 0...1_000_000) ?? d.minCardHolders,
            minEvaluations: try t.int("min_evaluations", range: 0...1_000_000) ?? d.minEvaluations,
            priorWeight: try t.double("prior_weight", range: 0...1_000_000) ?? d.priorWeight,
            wilsonZ: try t.double("wilson_z", range: 0...10) ?? d.wilsonZ,
            weightRating: try t.double("weight_rating", range: 0...1) ?? d.weightRating,
            weightComplaints: try t.double("weight_complaints", range: 0...1) ?? d.weightComplaints,
            weightCardHolders: try t.double("weight_card_holders", range: 0...1) ?? d.weightCardHolders,
            weightTraining: try t.double("weight_training", range: 0...1) ?? d.weightTraining,
            topN: try t.int("top_n", range: 1...1_000_000) ?? d.topN)
        let sum = p.weightRating + p.weightComplaints + p.weightCardHolders + p.weightTraining
        if abs(sum - 1) > 1e-9 {
            throw t.error("weight_rating", "the four weights must add up to 1, they add up to \(sum)")
        }
        try t.finish()
        return p
    }
}

extension Configuration {
    /// A path with `.` and `x/..` components removed, so that messages show
    /// `var/work` rather than `sample-data/night-2/../../var/work`.
    static func lexicallyNormal(_ path: String) -> String {
        var parts: [Substring] = []
        for part in path.split(separator: "/", omittingEmptySubsequences: true) {
            if part == "." { continue }
            if part == "..", let last = parts.last, last != ".." {
                parts.removeLast()
            } else {
                parts.append(part)
            }
        }
        let joined = parts.joined(separator: "/")
        return path.hasPrefix("/") ? "/" + joined : (joined.isEmpty ? "." : joined)
    }
}

extension Configuration.CardFiles {
    /// The key file named by the environment, when it names one.
    func withEnvironment() -> Self {
        var copy = self
        if let path = ProcessInfo.processInfo.environment[CardSigner.keyFileVariable], !path.isEmpty { copy.keyFile = path }
        return copy
    }
}

extension CivilDate {
    /// Today's date in the machine's time zone.
    public static func today() -> CivilDate {
        let c = Calendar.current.dateComponents([.year, .month, .day], from: Date())
        return CivilDate(year: c.year!, month: c.month!, day: c.day!)!
    }
}
