/// An employer's evaluation of a worker placed by an institution.
public struct Evaluation: IngestibleRow, Hashable {
    public var evaluationID: String
    public var institutionID: String
    public var workerIDNumber: IDNumber
    public var rating: Int
    public var complaint: Bool
    public var evaluatedOn: CivilDate

    /// An evaluation with every field given.
    public init(evaluationID: String, institutionID: String, workerIDNumber: IDNumber, rating: Int,
                complaint: Bool, evaluatedOn: CivilDate) {
        self.evaluationID = evaluationID
        self.institutionID = institutionID
        self.workerIDNumber = workerIDNumber
        self.rating = rating
        self.complaint = complaint
        self.evaluatedOn = evaluatedOn
    }

    public static let kind = InputKind.evaluations
    public static let columns = ["evaluation_id", "institution_id", "worker_id_number", "rating", "complaint", "evaluated_on"]
    public var uniqueKey: String? { evaluationID }

    public var fields: [String] {
        [evaluationID, institutionID, workerIDNumber.value, String(rating), complaint ? "true" : "false",
         evaluatedOn.description]
    }

    public init(fields f: [String]) throws(DatasetError) {
        try Decode.check(f, Self.columns)
        self.init(evaluationID: f[0], institutionID: f[1], workerIDNumber: IDNumber(trusted: f[2]),
                  rating: try Decode.int("rating", f[3]), complaint: try Decode.bool("complaint", f[4]),
                  evaluatedOn: try Decode.date("evaluated_on", f[5]))
    }

    public static func parse(_ c: inout FieldCursor, rules: IngestRules) -> Evaluation? {
        let evaluationID = c.text(0, maxLength: 64)
        let institutionText = c.text(1, maxLength: 64)
        var institution: String?
        if !institutionText.isEmpty {
            institution = FieldCursor.institutionID(institutionText)
            if let known = rules.institutions, !known.contains(institution!) {
                c.fail(1, .unknownInstitution)
            }
        }
        let worker = c.idNumber(2)
        if let worker, let known = rules.workers, !known.contains(worker.value) {
            c.fail(2, .unknownWorker)
        }
        var rating: Int?
        let ratingText = Text.foldFullWidth(c.text(3))
        if !ratingText.isEmpty {
            if ratingText.utf8.count == 1, let r = Int(ratingText), (1...5).contains(r) { rating = r } else { c.fail(3, .badRating) }
        }
        let complaint = c.bool(4)
        let on = c.date(5, notAfter: rules.asOf)
        guard c.problems.isEmpty, let institution, let worker, let rating, let complaint, let on else { return nil }
        return Evaluation(evaluationID: evaluationID, institutionID: institution, workerIDNumber: worker,
                          rating: rating, complaint: complaint, evaluatedOn: on)
    }
}
