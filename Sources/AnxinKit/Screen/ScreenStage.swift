import AnxinCore
import CSV
import Foundation

/// The screening stage: one file per person, the police join, the policy, the review
/// decisions and card eligibility. Reads ingest's datasets; writes `people.csv`,
/// `persons.csv`, `screening_hits.csv` and `findings.csv` under `<work>/screen/`.
public enum ScreenStage {
    /// The folder of the stage's datasets.
    public static func directory(_ config: Configuration) -> String { config.paths.work + "/screen" }

    /// What the stage produced.
    public struct Report: Sendable, Codable, Equatable {
        /// Registrations to cards.
        public var funnel: Funnel
        /// Police records read, and how many were tied to a person.
        public var policeRecords: Int
        public var matchedRecords: Int
        /// IDs registered under two names.
        public var nameConflicts: Int
        /// Review decisions not applied.
        public var unusedDecisions: Int
        /// Where the datasets are.
        public var peoplePath: String
        public var hitsPath: String
        public var findingsPath: String
    }

    /// Runs the stage over ingest's datasets.
    public static func run(_ config: Configuration, cache: StageCache? = nil) throws(PipelineError) -> (Screening, Report) {
        let ingest = IngestStage.directory(config)
        // Training results do not wait for the people: they are read and indexed while the
        // people are merged and the police extract is joined to them.
        let (readTraining, joined) = Parallel.both({ () -> Result<TrainingIndex, PipelineError> in
            Result { () throws(PipelineError) in try readTrainingResults(ingest + "/training.csv") }
        }, { () -> Result<(PersonFiles, PoliceIndex, Int), PipelineError> in
            Result { () throws(PipelineError) in try join(ingest) }
        })
        let training = try readTraining.get()
        let (files, index, policeRead) = try (consume joined).get()
        var decisions: [ReviewDecision] = []
        let decisionsPath = ingest + "/review_decisions.csv"
        if config.inputs[.reviewDecisions] != nil {
            decisions = try Dataset.read(ReviewDecision.self, at: decisionsPath)
        }
        cache?.training = training
        let conflicts = files.conflicts
        // The people are moved into their results (see `screen`).
        let screening = screen(consume files, against: index, training: training, decisions: decisions,
                               policy: config.screening, eligibility: config.eligibility, asOf: config.asOf)

        let dir = directory(config)
        try Dataset.makeDirectory(dir)
        // Two files of a million rows each, written side by side, their lines made on every core
        // (while one file's thread writes a block, the other's lines are being made); the hits
        // and findings, a line at a time on one thread, beside them.
        let results = screening.results
        let (people, (persons, others)) = Parallel.both({
            Result { () throws(PipelineError) in
                try Dataset.write(peopleColumns, results, to: dir + "/people.csv") { r, line in r.appendPeopleFields(to: &line) }
            }
        }, {
            Parallel.both({
                Result { () throws(PipelineError) in
                    try Dataset.write(PersonResult.columns, results, to: dir + "/persons.csv") { r, line in r.appendFields(to: &line) }
                }
            }, {
                Result { () throws(PipelineError) in try writeHitsAndFindings(screening, conflicts, in: dir) }
            })
        })
        let staged: [StagedFile]
        do throws(PipelineError) {
            staged = [try people.get(), try persons.get()] + (try others.get())
        } catch {
            for case .success(let f) in [people, persons] { f.discard() }
            if case .success(let fs) = others { for f in fs { f.discard() } }
            throw error
        }
        try Dataset.commit(staged)
        cache?.persons = screening.results

        let report = Report(funnel: screening.funnel, policeRecords: policeRead, matchedRecords: index.count,
                            nameConflicts: conflicts.count, unusedDecisions: screening.unusedDecisions.count,
                            peoplePath: dir + "/people.csv", hitsPath: dir + "/screening_hits.csv",
                            findingsPath: dir + "/findings.csv")
        return (screening, report)
    }

    /// Writes `screening_hits.csv` and `findings.csv` (staged).
    static func writeHitsAndFindings(_ screening: Screening, _ conflicts: [NameConflict], in dir: String) throws(PipelineError) -> [StagedFile] {
        let hits = try Dataset.write(
            ["id_number", "record_id", "category", "kind", "date", "rule", "match", "outcome", "decision"],
            screening.hits.lazy.map { h in
                [h.idNumber.value, h.record.recordID, h.record.offenseCategory, h.record.recordKind.rawValue,
                 h.record.lookbackFrom.description, h.rule, h.match.rawValue, h.outcome.rawValue, h.decision]
            }, to: dir + "/screening_hits.csv")
        var findings: [[String]] = []
        for c in conflicts {
            findings.append(["name_conflict", c.idNumber.value,
                             c.registrations.map { "\($0.applicationID): \($0.name)" }.joined(separator: "; "),
                             "the person's file carries \(c.chosenName), from the latest registration"])
        }
        for u in screening.unusedDecisions {
            findings.append(["decision_not_applied", u.decision.idNumber.value,
                             "\(u.decision.decision.rawValue) by \(u.decision.decidedBy) on \(u.decision.decidedOn)", u.reason])
        }
        do throws(PipelineError) {
            return [hits, try Dataset.write(["finding", "id_number", "what", "detail"], findings, to: dir + "/findings.csv")]
        } catch {
            hits.discard()
            throw error
        }
    }

    /// The columns of `people.csv`, the screening's result for analysts.
    static let peopleColumns = ["id_number", "name", "status", "reasons", "service_areas", "institution_id"]

    /// Training results by person, read in pieces on every core.
    static func readTrainingResults(_ path: String) throws(PipelineError) -> TrainingIndex {
        TrainingIndex(try Dataset.read(TrainingResult.self, at: path))
    }

    /// The people's files, and the police records that concern them with the number read.
    static func join(_ ingest: String) throws(PipelineError) -> (PersonFiles, PoliceIndex, Int) {
        let files = PersonFiles(try Dataset.read(Seeker.self, at: ingest + "/seekers.csv"))
        // The join streams the police extract and keeps only records that can concern a
        // job seeker: a valid ID number among theirs, or their name and birth date.
        let keys = JoinKeys(files)
        // Look at the raw bytes first: only the few records that concern someone are decoded.
        // The extract is read in pieces on every core; the records are indexed in file order.
        let pieces = try Dataset.mapPieces(at: ingest + "/police_records.csv", columns: PoliceRecord.datasetColumns) {
            (piece) throws(PipelineError) -> (read: Int, records: [PoliceRecord]) in
            try keys.withLookup { (lookup) throws(PipelineError) in
                var read = 0
                var records: [PoliceRecord] = []
                try piece.forEach { row in
                    read += 1
                    // Let decoding report a row of the wrong shape.
                    let relevant = row.count != PoliceRecord.datasetColumns.count
                        || lookup.concerns(idValid: row.field(9).first == 0x74,  // id_valid = true
                                           id: row.field(1), name: row.field(2), birth: row.field(3))
                    if relevant { records.append(try PoliceRecord(fields: row.datasetFields)) }
                }
                return (read, records)
            }
        }
        var index = PoliceIndex()
        var policeRead = 0
        for piece in pieces {
            policeRead += piece.read
            for record in piece.records { index.add(record) }
        }
        return (files, index, policeRead)
    }
}
