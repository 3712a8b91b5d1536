import AnxinCore
import CSV
import Foundation

/// The small datasets the report reads whole: names, screening hits that matter, findings,
/// the evaluation, tonight's card changes and how each input was read. `persons.csv`, the
/// rejects ledger and the registry are streamed by the sheets instead.
struct ReportInputs {
    /// A police record tied to a person that screened them or awaits review.
    struct Hit {
        var recordID: String
        var category: String
        var kind: String
        var date: CivilDate?
        var rule: String
        var match: String
        var outcome: String
        var decision: String
    }

    /// A line of `findings.csv`.
    struct Finding {
        var finding: String
        var idNumber: String
        var what: String
        var detail: String
    }

    /// One input as ingest read it.
    struct InputLine {
        var kind: InputKind
        var file: String
        var read: Int
        var accepted: Int
        var rejected: Int
        var sha256: String
    }

    /// A row of the evaluation's `institutions.csv`.
    struct Evaluated {
        var institutionID: String
        var name: String
        var district: String
        var licenceValidUntil: CivilDate?
        var registeredStaff: Int?
        var cardHolders: Int?
        var evaluations: Int?
        var meanRating: Double?
        var complaints: Int?
        var r, c, k, t, score: Double?
        var rank: Int?
        var roundReached: Int?
        var selected: Bool
        var stoppedBecause: String
    }

    var districtNames: [String: String] = [:]
    var districtOrder: [String] = []
    var areaNames: [String: String] = [:]
    var areaOrder: [String] = []
    var institutionNames: [String: String] = [:]
    /// Hits with outcome screened, screened_by_decision or review, by ID number.
    var hits: [String: [Hit]] = [:]
    var findings: [Finding] = []
    var inputs: [InputLine] = []
    /// Whether the input counts come from the ingest stage's record (else from the datasets).
    var inputsFromRecord = false
    /// Nil when the evaluation has not run.
    var evaluated: [Evaluated]?
    /// Cards issued and recoloured by the last cards stage; nil when it has not run.
    var cardChanges: (issued: Int, changed: Int)?
    /// The position of the name among the fields of each input's file, for masking whole rows.
    var nameIndex: [String: Int] = [:]

    static let hitColumns = ["id_number", "record_id", "category", "kind", "date", "rule", "match", "outcome", "decision"]
    static let findingColumns = ["finding", "id_number", "what", "detail"]
    static let rejectColumns = ["input", "file", "line", "column", "header", "reason", "detail", "value"]
    static let changeColumns = ["card_number", "id_number", "from", "to", "reasons", "as_of"]
    static let evaluationColumns = [
        "institution_id", "name", "district", "license_valid_until", "registered_staff", "card_holders", "evaluations",
        "mean_rating", "complaints", "R", "C", "K", "T", "score", "rank", "round_reached", "selected", "stopped_because",
    ]

    /// The evaluation's output.
    static func evaluationPath(_ config: Configuration) -> String { config.paths.work + "/evaluate/institutions.csv" }

    /// Reads everything small that ingest and screening wrote (what the cards stage and the
    /// evaluation write is read by `loadCardsAndEvaluation(_:)`).
    static func load(_ config: Configuration, labels: ReportLabels) throws(PipelineError) -> ReportInputs {
        var inputs = ReportInputs()
        let reference = try ReferenceLoader.load(config.paths)
        for d in reference.districts {
            inputs.districtNames[d.code] = labels.language == .zh ? d.nameZH : d.nameEN
            inputs.districtOrder.append(d.code)
        }
        for s in reference.services {
            inputs.areaNames[s.code] = labels.language == .zh ? s.nameZH : s.nameEN
            inputs.areaOrder.append(s.code)
        }
        let ingest = IngestStage.directory(config)
        for institution in try Dataset.read(Institution.self, at: ingest + "/institutions.csv") {
            inputs.institutionNames[institution.institutionID] = institution.name
        }

        let screen = ScreenStage.directory(config)
        try Dataset.forEachRow(at: screen + "/screening_hits.csv", columns: hitColumns) { row in
            // Most hits are ignored or cleared: those are skipped on the reader's bytes, before
            // the row is copied and its fields made.
            guard row.count == hitColumns.count else { throw DatasetError("expected \(hitColumns.count) fields, found \(row.count)") }
            let outcome = row.field(7)
            guard !outcome.elementsEqual("ignored".utf8) && !outcome.elementsEqual("cleared".utf8) else { return }
            let f = fields(row.record)
            inputs.hits[f[0], default: []].append(
                Hit(recordID: f[1], category: f[2], kind: f[3], date: CivilDate.parse(f[4]), rule: f[5], match: f[6],
                    outcome: f[7], decision: f[8]))
        }
        try Dataset.forEachRecord(at: screen + "/findings.csv", columns: findingColumns) { r in
            let f = fields(r)
            inputs.findings.append(Finding(finding: f[0], idNumber: f[1], what: f[2], detail: f[3]))
        }

        // Where the name sits in each input's file, for masking rows rejected whole.
        if let maps = try? IngestStage.preflight(config) {
            for (kind, map) in maps {
                if let i = kind.columns.firstIndex(of: "name"), let j = map.indices[i] { inputs.nameIndex[kind.rawValue] = j }
            }
        }
        return inputs
    }

    /// Reads what the cards stage and the evaluation wrote: tonight's card changes and the
    /// institutions evaluated.
    mutating func loadCardsAndEvaluation(_ config: Configuration) throws(PipelineError) {
        let changes = CardsStage.directory(config) + "/changes.csv"
        if FileManager.default.fileExists(atPath: changes) {
            var issued = 0
            var changed = 0
            // One line per card issued or recoloured (a million on the first night): only whether
            // `from` is empty matters, and the escape never empties a field.
            try Dataset.forEachRow(at: changes, columns: Self.changeColumns) { row in
                guard row.count == Self.changeColumns.count else { throw DatasetError("expected \(Self.changeColumns.count) fields, found \(row.count)") }
                if row.field(2).isEmpty { issued += 1 } else { changed += 1 }
            }
            cardChanges = (issued, changed)
        }

        evaluated = try Self.readEvaluation(Self.evaluationPath(config))
    }

    /// A record's fields, with the writer's formula escape undone.
    static func fields(_ r: CSVRecord) -> [String] {
        (0..<r.count).map { CSVWriter.restore(r.lossyString($0)) }
    }

    /// How each configured input was read: from the ingest stage's record when it describes
    /// tonight's datasets, otherwise counted from the datasets and the ledger themselves.
    mutating func loadInputLines(_ config: Configuration, rejectedRows: [String: Int]) throws(PipelineError) {
        let kinds = InputKind.allCases.filter { config.inputs[$0] != nil }
        if let record = StageRecord.load(config, .ingest), record.asOf == config.asOf.description,
           kinds.allSatisfy({ record.counts["\($0.rawValue)_read"] != nil }) {
            inputsFromRecord = true
            inputs = []
            for kind in kinds {
                let source = config.inputs[kind]!
                // The record keys files by the path of the run that wrote it, which may have named
                // the configuration by another (relative) path.
                var sha = record.inputs[source.path] ?? record.inputs.first { ReportInputs.sameFile($0.key, source) }?.value ?? ""
                if sha.isEmpty, FileManager.default.fileExists(atPath: source.path) { sha = try FileFingerprints.sha256(source.path) }
                inputs.append(InputLine(kind: kind, file: source.configuredPath,
                                        read: record.counts["\(kind.rawValue)_read"] ?? 0,
                                        accepted: record.counts["\(kind.rawValue)_accepted"] ?? 0,
                                        rejected: record.counts["\(kind.rawValue)_rejected"] ?? 0, sha256: sha))
            }
            return
        }
        inputsFromRecord = false
        inputs = []
        for kind in kinds {
            let source = config.inputs[kind]!
            let accepted = try ReportInputs.countRecords(IngestStage.datasetPath(config, kind))
            let rejected = rejectedRows[kind.rawValue] ?? 0
            let sha = FileManager.default.fileExists(atPath: source.path) ? try FileFingerprints.sha256(source.path) : ""
            inputs.append(InputLine(kind: kind, file: source.configuredPath, read: accepted + rejected,
                                    accepted: accepted, rejected: rejected, sha256: sha))
        }
    }

    /// Whether a path recorded by a stage names the file of `source`.
    static func sameFile(_ recorded: String, _ source: InputSource) -> Bool {
        let a = URL(fileURLWithPath: recorded).standardizedFileURL.path
        let b = URL(fileURLWithPath: source.path).standardizedFileURL.path
        if a == b { return true }
        let configured = URL(fileURLWithPath: source.configuredPath, relativeTo: URL(fileURLWithPath: "/")).path
        return !recorded.hasPrefix("/") && a.hasSuffix(configured) && b.hasSuffix(configured)
    }

    /// Data rows of a dataset (records after the header).
    static func countRecords(_ path: String) throws(PipelineError) -> Int {
        guard FileManager.default.fileExists(atPath: path) else { return 0 }
        do {
            let reader = try CSVReader(path: path)
            var n = -1
            while try reader.next() != nil { n += 1 }
            return max(0, n)
        } catch {
            throw .io("cannot read \(path): \(error)")
        }
    }

    /// The evaluation's rows, or nil when it has not run; columns are found by name.
    static func readEvaluation(_ path: String) throws(PipelineError) -> [Evaluated]? {
        guard FileManager.default.fileExists(atPath: path) else { return nil }
        var rows: [Evaluated] = []
        do {
            let reader = try CSVReader(path: path)
            var index: [String: Int] = [:]
            while let item = try reader.next() {
                let r: CSVRecord
                switch item {
                case .record(let record):
                    r = record
                case .problem(let p):
                    throw PipelineError.dataset("\(path): line \(p.line) is malformed; rerun the evaluation")
                }
                let f = fields(r)
                if index.isEmpty {
                    for (i, name) in f.enumerated() { index[name] = i }
                    let missing = evaluationColumns.filter { index[$0] == nil }
                    if !missing.isEmpty {
                        throw PipelineError.dataset("\(path) lacks the columns \(missing.joined(separator: ",")); rerun the evaluation")
                    }
                    continue
                }
                func v(_ column: String) -> String {
                    guard let i = index[column], i < f.count else { return "" }
                    return f[i]
                }
                rows.append(Evaluated(
                    institutionID: v("institution_id"), name: v("name"), district: v("district"),
                    licenceValidUntil: CivilDate.parse(v("license_valid_until")), registeredStaff: Int(v("registered_staff")),
                    cardHolders: Int(v("card_holders")), evaluations: Int(v("evaluations")),
                    meanRating: Double(v("mean_rating")), complaints: Int(v("complaints")), r: Double(v("R")),
                    c: Double(v("C")), k: Double(v("K")), t: Double(v("T")), score: Double(v("score")), rank: Int(v("rank")),
                    roundReached: Int(v("round_reached")), selected: v("selected") == "true",
                    stoppedBecause: v("stopped_because")))
            }
        } catch let e as PipelineError {
            throw e
        } catch {
            throw .io("cannot read \(path): \(error)")
        }
        // Selected first, by rank; then by how far they got, then by id.
        return rows.sorted { a, b in
            if a.selected != b.selected { return a.selected }
            if a.rank != b.rank { return (a.rank ?? .max) < (b.rank ?? .max) }
            if a.roundReached != b.roundReached { return (a.roundReached ?? 0) > (b.roundReached ?? 0) }
            return a.institutionID < b.institutionID
        }
    }
}
