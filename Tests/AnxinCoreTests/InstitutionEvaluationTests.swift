import Testing
@testable import AnxinCore

@Suite("Institution evaluation in rounds")
struct InstitutionEvaluationTests {
    static let asOf = CivilDate(year: 2019, month: 8, day: 29)!

    func institution(_ id: String, licence: String = "2020-12-31") -> Institution {
        Institution(institutionID: id, name: "机构\(id)", district: "330302", licenseNo: "L-\(id)",
                    licenseValidUntil: CivilDate.parse(licence)!, registeredOn: CivilDate.parse("2018-01-01")!)
    }

    /// `holders` card holders and `others` pending people on the staff of `id`, each with one passed course.
    func staff(_ id: String, holders: Int, others: Int = 0, seed: Int) -> ([PersonResult], [TrainingResult]) {
        var people: [PersonResult] = []
        var training: [TrainingResult] = []
        for i in 0..<(holders + others) {
            let s = Build.seeker(birth: "1980-01-01", seq: seed * 100 + i * 2, institution: id)
            people.append(PersonResult(person: Person(s), status: i < holders ? .card : .pending,
                                       reasons: i < holders ? [] : ["health_expired"], qualifiedAreas: ["cleaning"], age: 39))
            training.append(Build.passed(s))
        }
        return (people, training)
    }

    func evaluations(_ id: String, ratings: [Int], complaints: Int = 0, on date: String = "2019-06-01", from n: Int = 0) -> [Evaluation] {
        ratings.enumerated().map { i, r in
            Evaluation(evaluationID: "E-\(id)-\(n + i)", institutionID: id, workerIDNumber: Build.id("1980-01-01"),
                       rating: r, complaint: i < complaints, evaluatedOn: CivilDate.parse(date)!)
        }
    }

    func run(_ institutions: [Institution], _ people: [PersonResult], _ training: [TrainingResult], _ evals: [Evaluation],
             policy: EvaluationPolicy = .default) -> EvaluationOutcome {
        evaluateInstitutions(institutions, people: people, training: TrainingIndex(training),
                             evaluations: evals, policy: policy, asOf: Self.asOf)
    }

    @Test("the Bayesian average by hand")
    func bayesian() {
        #expect(abs(bayesianAverage(count: 10, mean: 4.5, priorWeight: 20, priorMean: 4.0) - 125.0 / 30.0) < 1e-12)
        #expect(bayesianAverage(count: 0, mean: 0, priorWeight: 20, priorMean: 4.2) == 4.2)
        #expect(abs(bayesianAverage(count: 2, mean: 5, priorWeight: 20, priorMean: 4) - 90.0 / 22.0) < 1e-12)
    }

    @Test("the Wilson upper bound by hand")
    func wilson() {
        // 1 complaint in 10: p = 0.1, z = 1.96 → 0.40415.
        #expect(abs(wilsonUpperBound(successes: 1, trials: 10, z: 1.96) - 0.404154) < 1e-5)
        // None in 2 → 0.65762; none in 500 → (2 · 1.96²/1000) / (1 + 1.96²/500) = 0.0076246.
        #expect(abs(wilsonUpperBound(successes: 0, trials: 2, z: 1.96) - 0.657620) < 1e-5)
        #expect(abs(wilsonUpperBound(successes: 0, trials: 500, z: 1.96) - 0.0076246) < 1e-6)
        #expect(wilsonUpperBound(successes: 0, trials: 0, z: 1.96) == 1)
    }

    @Test("a score by hand: R, C, K and T")
    func scoreByHand() {
        let (people, training) = staff("A", holders: 6, others: 2, seed: 1)
        let evals = evaluations("A", ratings: Array(repeating: 5, count: 5) + Array(repeating: 4, count: 5), complaints: 1)
        let r = run([institution("A")], people, training, evals).institutions[0]
        let c = try! #require(r.components)
        // g = 4.5 (its own evaluations are all there are): R = (4.5 - 1) / 4.
        #expect(abs(c.rating - 0.875) < 1e-12)
        #expect(abs(c.complaints - (1 - 0.404154)) < 1e-5)
        #expect(c.cardHolders == 0.75)
        #expect(c.training == 1)
        #expect(abs(c.score - 100 * (0.5 * 0.875 + 0.2 * (1 - wilsonUpperBound(successes: 1, trials: 10, z: 1.96)) + 0.2 * 0.75 + 0.1)) < 1e-9)
        #expect(r.roundReached == 3 && r.selected && r.rank == 1)
    }

    @Test("two perfect ratings against 500 good ones: the 500 win")
    func fewPerfectAgainstManyGood() {
        let (pa, ta) = staff("A", holders: 5, seed: 1)
        let (pb, tb) = staff("B", holders: 5, seed: 2)
        let evals = evaluations("A", ratings: [5, 5]) + evaluations("B", ratings: Array(repeating: 4, count: 500))
        // Under the default policy two evaluations do not even pass round 1.
        let strict = run([institution("A"), institution("B")], pa + pb, ta + tb, evals)
        #expect(strict.institutions[0].stoppedBecause == ["too_few_evaluations:2<10"])
        // With the minimum lowered both are scored, and the shrinkage and the Wilson bound put B first.
        var policy = EvaluationPolicy.default
        policy.minEvaluations = 1
        let scored = run([institution("A"), institution("B")], pa + pb, ta + tb, evals, policy: policy)
        #expect(scored.institutions.map(\.rank) == [2, 1])
        #expect(scored.institutions[1].components!.score > scored.institutions[0].components!.score)
    }

    @Test("ties go to more evaluations, then to the smaller institution id")
    func ties() {
        let (pa, ta) = staff("A", holders: 5, seed: 1)
        let (pb, tb) = staff("B", holders: 5, seed: 2)
        let (pc, tc) = staff("C", holders: 5, seed: 3)
        let ratings = Array(repeating: 4, count: 10)
        // Same ratings, no complaints, same staff: equal scores and counts, so the smaller id first.
        let evals = evaluations("A", ratings: ratings) + evaluations("B", ratings: ratings) + evaluations("C", ratings: ratings)
        let outcome = run([institution("C"), institution("B"), institution("A")], pa + pb + pc, ta + tb + tc, evals)
        #expect(outcome.institutions.map(\.institution.institutionID) == ["A", "B", "C"])
        #expect(outcome.institutions.map(\.rank) == [1, 2, 3])

        // Equal scores, different counts: with the rating and complaint weights at 0 only K and T count.
        var policy = EvaluationPolicy.default
        policy.weightRating = 0
        policy.weightComplaints = 0
        policy.weightCardHolders = 0.5
        policy.weightTraining = 0.5
        let more = evaluations("C", ratings: ratings + [4, 4], from: 100)
        let byCount = run([institution("A"), institution("C")], pa + pc, ta + tc, evaluations("A", ratings: ratings) + more, policy: policy)
        #expect(byCount.institutions[0].components!.score == byCount.institutions[1].components!.score)
        #expect(byCount.institutions.first { $0.institution.institutionID == "C" }!.rank == 1)
    }

    @Test("a licence expiring on the as-of date is still valid; the day before it is not")
    func licence() {
        let (people, training) = staff("A", holders: 5, seed: 1)
        let evals = evaluations("A", ratings: Array(repeating: 4, count: 10))
        #expect(run([institution("A", licence: "2019-08-29")], people, training, evals).institutions[0].selected)
        let expired = run([institution("A", licence: "2019-08-28")], people, training, evals).institutions[0]
        #expect(expired.roundReached == 1)
        #expect(expired.stoppedBecause == ["licence_expired"])
        #expect(expired.components == nil)
    }

    @Test("an institution with no evaluations and too few card holders stops in round 1 with both reasons")
    func noEvaluations() {
        let (people, training) = staff("A", holders: 3, others: 4, seed: 1)
        let r = run([institution("A")], people, training, []).institutions[0]
        #expect(r.stoppedBecause == ["too_few_card_holders:3<5", "too_few_evaluations:0<10"])
        #expect(r.meanRating == nil && r.evaluations == 0 && r.registeredStaff == 7)
    }

    @Test("an evaluation outside the window does not count; one on its first day does")
    func window() {
        let (people, training) = staff("A", holders: 5, seed: 1)
        let inside = evaluations("A", ratings: Array(repeating: 4, count: 9))
        let firstDay = evaluations("A", ratings: [4], on: "2018-08-29", from: 50)
        let outside = evaluations("A", ratings: [4], on: "2018-08-28", from: 60)
        #expect(run([institution("A")], people, training, inside + outside).institutions[0].stoppedBecause == ["too_few_evaluations:9<10"])
        #expect(run([institution("A")], people, training, inside + firstDay).institutions[0].selected)
    }

    /// Institutions `I0`, `I1`, ..., each with the staff and evaluations `make(i)` gives.
    func city(_ count: Int, _ make: (Int, String) -> (holders: Int, evaluations: [Evaluation]))
        -> (institutions: [Institution], people: [PersonResult], training: [TrainingResult], evaluations: [Evaluation]) {
        var city = (institutions: [Institution](), people: [PersonResult](), training: [TrainingResult](), evaluations: [Evaluation]())
        for i in 0..<count {
            let id = "I\(i)"
            let (holders, evals) = make(i, id)
            let (p, t) = staff(id, holders: holders, seed: i + 1)
            city.institutions.append(institution(id))
            city.people += p
            city.training += t
            city.evaluations += evals
        }
        return city
    }

    @Test("only the top N are selected; the rest say their rank")
    func topN() {
        let (institutions, people, training, evals) = city(4) { i, id in
            (5, evaluations(id, ratings: Array(repeating: 2 + i % 4, count: 10)))
        }
        var policy = EvaluationPolicy.default
        policy.topN = 2
        let outcome = run(institutions, people, training, evals, policy: policy)
        #expect(outcome.institutions.filter(\.selected).map(\.institution.institutionID) == ["I2", "I3"])
        #expect(outcome.institutions[0].stoppedBecause == ["below_top_2:rank 4"])
        #expect(outcome.institutions[0].roundReached == 2)
    }

    @Test("tallies of parts of the evaluations, added up, evaluate as all of them at once")
    func talliesAddUp() {
        let (institutions, people, training, evals) = city(5) { i, id in
            (5 + i, evaluations(id, ratings: (0..<(12 + 3 * i)).map { 1 + ($0 * 7 + i) % 5 }, complaints: i)
                + evaluations(id, ratings: [1, 1], on: "2018-08-28", from: 100))  // two outside the window
        }
        let whole = run(institutions, people, training, evals)
        let byID = TrainingIndex(training)
        for cut in [0, 1, evals.count / 3, evals.count - 1, evals.count] {
            var first = EvaluationTally(policy: .default, asOf: Self.asOf)
            var second = EvaluationTally(policy: .default, asOf: Self.asOf)
            for e in evals[..<cut] { first.add(e) }
            for e in evals[cut...] { second.add(e) }
            first.add(second)
            #expect(first.pooledCount == evals.count - 10)
            let parts = evaluateInstitutions(institutions, people: people, training: byID, evaluations: first,
                                             policy: .default, asOf: Self.asOf)
            #expect(parts.institutions == whole.institutions)
            #expect(parts.pooledMean == whole.pooledMean && parts.evaluationsInWindow == whole.evaluationsInWindow)
        }
        #expect(whole.institutions.contains { $0.selected })
    }

    @Test("a row counted from its bytes counts as the evaluation decoded from its strings; a row that does not read so is left to the decoder")
    func talliesFromBytes() {
        // Fields as the dataset holds them: in and out of the window, an institution the writer
        // protected from spreadsheets, and values the bytes path leaves to the decoder.
        let rows: [([String], Bool)] = [
            (["E1", "INST1", "330302198001010010", "4", "false", "2019-08-01"], true),
            (["E2", "INST1", "330302198001010010", "2", "true", "2019-8-1"], true),
            (["E3", "INST2", "330302198001010010", "5", "true", "2017-01-01"], true),  // outside the window
            (["E4", "'=INST3", "330302198001010010", "3", "false", "2019-07-01"], false),
            (["E5", "INST2", "330302198001010010", "+5", "false", "2019-07-01"], false),
            (["E6", "INST2", "330302198001010010", "5", "yes", "2019-07-01"], false),
            (["E7", "INST2", "330302198001010010", "5", "true", " 2019-07-01"], false),
            (["E8", "INST2", "330302198001010010", "5", "true"], false),
        ]
        var bytes = EvaluationTally(policy: .default, asOf: Self.asOf)
        var strings = EvaluationTally(policy: .default, asOf: Self.asOf)
        for (fields, counted) in rows {
            let stored = fields.map { Array($0.utf8) }
            let taken = stored.withUnsafeBufferPointers { $0.count == fields.count ? bytes.add(count: fields.count, field: $0.field) : false }
            #expect(taken == counted, "\(fields)")
            let restored = fields.map { $0.hasPrefix("'=") ? String($0.dropFirst()) : $0 }
            let decoded = try? Evaluation(fields: restored)
            if !taken, let decoded { bytes.add(decoded) }
            if let decoded { strings.add(decoded) }
        }
        #expect(bytes.pooledCount == strings.pooledCount && bytes.pooledSum == strings.pooledSum)
        #expect(bytes.pooledCount == 5)
        #expect(bytes.byInstitution.mapValues { [$0.evaluations, $0.ratingSum, $0.complaints] }
            == strings.byInstitution.mapValues { [$0.evaluations, $0.ratingSum, $0.complaints] })
    }
}

private extension Array where Element == [UInt8] {
    /// Runs `body` with each element's bytes, as a dataset row lends them.
    func withUnsafeBufferPointers<R>(_ body: ([UnsafeBufferPointer<UInt8>]) -> R) -> R {
        func next(_ i: Int, _ done: [UnsafeBufferPointer<UInt8>]) -> R {
            if i == count { return body(done) }
            return self[i].withUnsafeBufferPointer { next(i + 1, done + [$0]) }
        }
        return next(0, [])
    }
}

private extension Array where Element == UnsafeBufferPointer<UInt8> {
    func field(_ i: Int) -> UnsafeBufferPointer<UInt8> { self[i] }
}
