import AnxinCore
import Foundation

/// The evaluation stage: institutions in rounds (eligibility, score, top N), each result with
/// its components and why it stopped, written as `<work>/evaluate/institutions.csv`.
public enum EvaluateStage {
    /// The folder of the stage's datasets.
    public static func directory(_ config: Configuration) -> String { config.paths.work + "/evaluate" }

    /// What the stage did.
    public struct Report: Sendable {
        public var evaluated: Int
        public var passedRound1: Int
        public var selected: [InstitutionResult]
        public var pooledMean: Double?
        public var evaluationsInWindow: Int
        public var path: String
        public var topN: Int
    }

    /// Runs the stage over ingest's and screening's datasets.
    public static func run(_ config: Configuration, cache: StageCache? = nil) throws(PipelineError) -> Report {
        let ingest = IngestStage.directory(config)
        let institutions = try Dataset.read(Institution.self, at: ingest + "/institutions.csv")
        let people: [PersonResult]
        if let cached = cache?.persons { people = cached } else {
            people = try Dataset.read(PersonResult.self, at: ScreenStage.directory(config) + "/persons.csv")
        }
        let training: TrainingIndex
        if let cached = cache?.training { training = cached } else {
            training = try ScreenStage.readTrainingResults(ingest + "/training.csv")
        }
        // Evaluations are tallied as they are read, in pieces on every core: none is kept.
        let (policy, asOf) = (config.evaluation, config.asOf)
        let tallies = try Dataset.mapPieces(at: ingest + "/evaluations.csv", columns: Evaluation.datasetColumns) {
            (piece) throws(PipelineError) -> EvaluationTally in
            var tally = EvaluationTally(policy: policy, asOf: asOf)
            try piece.forEach { row in
                if !tally.add(count: row.count, field: row.field) { tally.add(try Evaluation(fields: row.datasetFields)) }
            }
            return tally
        }
        var tally = tallies[0]
        for other in tallies.dropFirst() { tally.add(other) }
        let outcome = evaluateInstitutions(institutions, people: people, training: training, evaluations: tally,
                                           policy: policy, asOf: asOf)
        let dir = directory(config)
        try Dataset.makeDirectory(dir)
        let path = dir + "/institutions.csv"
        try Dataset.commit([try Dataset.write(InstitutionResult.columns, outcome.institutions.map(\.fields), to: path)])
        let selected = outcome.institutions.filter(\.selected).sorted { ($0.rank ?? 0) < ($1.rank ?? 0) }
        return Report(evaluated: outcome.institutions.count, passedRound1: outcome.passedRound1, selected: selected,
                      pooledMean: outcome.pooledMean, evaluationsInWindow: outcome.evaluationsInWindow, path: path,
                      topN: config.evaluation.topN)
    }

    /// The lines `anxin run` prints about the evaluation.
    public static func summary(_ r: Report) -> [String] {
        var out = [
            "Institutions: \(r.evaluated) evaluated; \(r.passedRound1) passed round 1 (licence, card holders, evaluations) "
                + "and were scored in round 2; \(r.selected.count) selected in round 3 (top \(r.topN))",
            "  \(r.evaluationsInWindow) evaluations in the window, pooled mean rating "
                + (r.pooledMean.map { String(format: "%.3f", $0) } ?? "-"),
        ]
        for i in r.selected {
            out.append(String(format: "  %2d. %@ %@  score %.1f", i.rank ?? 0, i.institution.institutionID,
                              i.institution.name, i.components?.score ?? 0))
        }
        out.append("  \(r.path)")
        return out
    }
}
