import Dispatch
import Testing
@testable import AnxinCore

/// Builders for people and records, all judged as of 2019-08-29 (`asOf` in TestSupport).
enum Build {
    static func date(_ s: String) -> CivilDate { CivilDate.parse(s)! }

    /// A valid ID number for a birth date and a sequence (odd: male).
    static func id(_ birth: String, seq: Int = 2) -> IDNumber {
        let digits = "330302" + birth.filter { $0 != "-" } + format3(seq)
        let check = ISO7064.checkCharacter(digits.map { Int(String($0))! })
        return IDNumber(trusted: digits + String(check))
    }

    static func format3(_ n: Int) -> String { String(repeating: "0", count: 3 - String(n).count) + String(n) }

    static func seeker(_ name: String = "王秀兰", birth: String = "1980-05-01", seq: Int = 2, app: String = "A1",
                       areas: [String] = ["cleaning"], health: HealthCheck = .passed,
                       checked: String? = "2019-06-01", applied: String = "2019-07-01",
                       institution: String? = "WZJZ0001") -> Seeker {
        Seeker(applicationID: app, name: name, idNumber: id(birth, seq: seq), sex: seq % 2 == 1 ? .male : .female,
               birthDate: date(birth), phone: "13812345678", district: "330302", serviceAreas: areas,
               institutionID: institution, healthCheck: health, healthCheckedOn: checked.map(date),
               appliedOn: date(applied))
    }

    static func record(_ id: String, category: String = "theft", kind: RecordKind = .criminal,
                       date: String = "2017-01-01", end: String? = nil, name: String = "王秀兰",
                       birth: String? = "1980-05-01", rid: String = "R1", valid: Bool = true) -> PoliceRecord {
        PoliceRecord(recordID: rid, idNumber: id, idValid: valid, name: name, birthDate: birth.map(Self.date),
                     offenseCode: "X", offenseCategory: category, recordKind: kind,
                     recordDate: Self.date(date), sentenceEnd: end.map(Self.date))
    }

    static func passed(_ s: Seeker, area: String = "cleaning") -> TrainingResult {
        TrainingResult(idNumber: s.idNumber, courseCode: "C1", serviceArea: area, hours: 40, passed: true,
                       completedOn: date("2019-05-01"))
    }

    /// Screens seekers (each with one passed course unless `training` is given).
    static func run(_ seekers: [Seeker], records: [PoliceRecord] = [], decisions: [ReviewDecision] = [],
                    training: [TrainingResult]? = nil, policy: ScreeningPolicy = .default,
                    eligibility: EligibilityPolicy = .default) -> Screening {
        let t = training ?? seekers.map { passed($0) }
        return screen(PersonFiles(seekers), against: PoliceIndex(records), training: TrainingIndex(t),
                      decisions: decisions, policy: policy, eligibility: eligibility, asOf: asOf)
    }

    static func decision(_ s: Seeker, _ d: Decision, on: String = "2019-08-28") -> ReviewDecision {
        ReviewDecision(idNumber: s.idNumber, decision: d, decidedBy: "王科长", decidedOn: date(on), note: "")
    }
}

@Suite("Screening policy")
struct ScreeningPolicyTests {
    let person = Build.seeker()

    func status(_ records: [PoliceRecord]) -> (PersonStatus, [String]) {
        let r = Build.run([person], records: records).results[0]
        return (r.status, r.reasons)
    }

    @Test("a clean person gets a card")
    func clean() {
        #expect(status([]) == (.card, []))
    }

    @Test("lookback boundaries: exactly N years before as-of and one day inside screen, one day outside does not",
          arguments: [("theft", 5), ("fraud", 5), ("drug", 5), ("assault", 5), ("public_order", 3), ("traffic", 3)])
    func lookbackBoundaries(category: String, years: Int) {
        let exactly = "\(2019 - years)-08-29", inside = "\(2019 - years)-08-30", outside = "\(2019 - years)-08-28"
        let id = person.idNumber.value
        #expect(status([Build.record(id, category: category, date: exactly)]).0 == .screened)
        #expect(status([Build.record(id, category: category, date: inside)]).0 == .screened)
        #expect(status([Build.record(id, category: category, date: outside)]) == (.card, []))
    }

    @Test("the lookback counts from the end of the sentence when it is later")
    func sentenceEnd() {
        let id = person.idNumber.value
        #expect(status([Build.record(id, date: "2010-01-01", end: "2015-01-01")]) == (.screened, ["screened:theft"]))
        #expect(status([Build.record(id, date: "2010-01-01", end: "2014-08-28")]) == (.card, []))
    }

    @Test("always-disqualifying categories screen whatever the date")
    func alwaysDisqualifying() {
        #expect(status([Build.record(person.idNumber.value, category: "child_abuse", date: "1985-01-01")])
                == (.screened, ["screened:child_abuse"]))
    }

    @Test("administrative records: only drug within 3 years disqualifies")
    func administrativeDrug() {
        let id = person.idNumber.value
        #expect(status([Build.record(id, category: "drug", kind: .administrative, date: "2016-08-29")]).0 == .screened)
        #expect(status([Build.record(id, category: "drug", kind: .administrative, date: "2016-08-28")]) == (.card, []))
        #expect(status([Build.record(id, category: "theft", kind: .administrative, date: "2019-01-01")]) == (.card, []))
        #expect(status([Build.record(id, category: "homicide", kind: .administrative, date: "2019-01-01")]) == (.card, []))
    }

    @Test("29 February falls back to 28 February")
    func leapDay() {
        let s = screen(PersonFiles([person]), against: PoliceIndex([Build.record(person.idNumber.value, date: "2015-02-28")]),
                       training: TrainingIndex([Build.passed(person)]), decisions: [], policy: .default,
                       eligibility: .default, asOf: Build.date("2020-02-29"))
        #expect(s.results[0].status == .screened)
    }

    @Test("a category the policy does not name sends the person to review")
    func unknownCategory() {
        #expect(status([Build.record(person.idNumber.value, category: "gambling")]) == (.review, ["review:unknown_category"]))
        #expect(status([Build.record(person.idNumber.value, category: "gambling", kind: .administrative)])
                == (.review, ["review:unknown_category"]))
    }

    @Test("two disqualifying records give two reasons, and every hit is listed")
    func twoReasons() {
        let id = person.idNumber.value
        let s = Build.run([person], records: [Build.record(id, category: "robbery", rid: "R1"),
                                              Build.record(id, category: "theft", date: "2018-01-01", rid: "R2"),
                                              Build.record(id, category: "traffic", date: "2001-01-01", rid: "R3")])
        #expect(s.results[0].reasons == ["screened:robbery", "screened:theft"])
        #expect(s.hits.map(\.record.recordID) == ["R1", "R2", "R3"])
        #expect(s.hits.map(\.outcome) == [.screened, .screened, .ignored])
        #expect(s.hits[0].rule.contains("whatever the date"))
        #expect(s.hits[1].rule.contains("within 5 years"))
    }
}

@Suite("Possible matches and review decisions")
struct ReviewTests {
    let person = Build.seeker()
    /// An old record with no ID number, under the person's name (typed with a space) and birth date.
    var possible: PoliceRecord { Build.record("", category: "theft", date: "2018-01-01", name: "王 秀兰", valid: false) }

    @Test("a possible match that would screen sends the person to review, never screens")
    func possibleMatch() {
        let s = Build.run([person], records: [possible])
        #expect(s.results[0].status == .review)
        #expect(s.results[0].reasons == ["review:possible_match"])
        #expect(s.hits.map(\.match) == [.possibleMatch])
        #expect(s.hits.map(\.outcome) == [.review])
    }

    @Test("a possible match whose record would not matter is listed and changes nothing")
    func possibleMatchThatDoesNotMatter() {
        let old = Build.record("", category: "traffic", date: "2000-01-01", valid: false)
        let s = Build.run([person], records: [old])
        #expect(s.results[0].status == .card)
        #expect(s.hits.map(\.outcome) == [.ignored])
    }

    @Test("a mistyped ID number is matched by name and birth date, not by the number")
    func mistypedID() {
        var wrong = Array(person.idNumber.value)
        wrong[17] = wrong[17] == "1" ? "2" : "1"
        let s = Build.run([person], records: [Build.record(String(wrong), valid: false)])
        #expect(s.results[0].reasons == ["review:possible_match"])
    }

    @Test("a different birth date is no match")
    func differentBirth() {
        let s = Build.run([person], records: [Build.record("", birth: "1980-05-02", valid: false)])
        #expect(s.results[0].status == .card)
        #expect(s.hits.isEmpty)
    }

    @Test("a possible match, then clear: the card is issued")
    func thenClear() {
        let s = Build.run([person], records: [possible], decisions: [Build.decision(person, .clear)])
        #expect(s.results[0].status == .card)
        #expect(s.hits[0].outcome == .cleared)
        #expect(s.hits[0].decision == "clear by 王科长 on 2019-08-28")
        #expect(s.unusedDecisions.isEmpty)
    }

    @Test("a possible match, then screen: screened for that record, with the decision")
    func thenScreen() {
        let s = Build.run([person], records: [possible], decisions: [Build.decision(person, .screen)])
        #expect(s.results[0].status == .screened)
        #expect(s.results[0].reasons == ["screened:theft"])
        #expect(s.hits[0].outcome == .screenedByDecision)
        #expect(s.hits[0].decision.hasPrefix("screen by 王科长"))
    }

    @Test("the latest decision for a person applies")
    func latestDecision() {
        let s = Build.run([person], records: [possible],
                          decisions: [Build.decision(person, .screen, on: "2019-08-20"), Build.decision(person, .clear, on: "2019-08-27")])
        #expect(s.results[0].status == .card)
        #expect(s.unusedDecisions.map(\.reason) == ["a later decision for the same person was applied"])
    }

    @Test("a decision for an unknown ID, or for someone not in the queue, is reported and not applied")
    func unknownDecision() {
        let stranger = Build.seeker(birth: "1970-01-01", seq: 5)
        let s = Build.run([person], records: [], decisions: [Build.decision(stranger, .screen), Build.decision(person, .screen)])
        #expect(s.results[0].status == .card)
        #expect(s.unusedDecisions.map(\.reason) == ["no job seeker has this ID number", "the person is not in tonight's review queue"])
    }

    @Test("a decision does not lift a hit's screening")
    func decisionDoesNotClearHits() {
        let s = Build.run([person], records: [Build.record(person.idNumber.value, category: "robbery")],
                          decisions: [Build.decision(person, .clear)])
        #expect(s.results[0].status == .screened)
        #expect(s.unusedDecisions.count == 1)
    }
}

@Suite("One person, one file")
struct PersonFilesTests {
    @Test("registrations of one ID merge: the latest gives the fields, areas are united")
    func merge() {
        let a = Build.seeker(app: "A1", areas: ["cleaning"], applied: "2019-01-01", institution: nil)
        var b = Build.seeker(app: "A2", areas: ["nursing", "cleaning"], applied: "2019-03-01")
        b.phone = "13900000000"
        let files = PersonFiles([b, a])
        #expect(files.people.count == 1)
        #expect(files.people[0].phone == "13900000000")
        #expect(files.people[0].institutionID == "WZJZ0001")
        #expect(Set(files.people[0].registeredAreas) == ["cleaning", "nursing"])
        #expect(files.people[0].registrations == 2)
        #expect(files.conflicts.isEmpty)
    }

    @Test("a person of one registration, whose fields are moved out of it, is the person that registration makes")
    func loneRegistrationMoved() {
        var male = Build.seeker("李建国", birth: "1975-11-30", seq: 3, app: "A7", areas: ["elderly_care", "cleaning"],
                                health: .failed, checked: "2019-02-02", applied: "2019-05-05", institution: "WZJZ0042")
        male.phone = "13700000000"
        male.district = "330381"
        let pending = Build.seeker(seq: 4, app: "A8", areas: [], health: .pending, checked: nil, institution: nil)
        let seekers = [male, pending]
        let files = PersonFiles(seekers)
        #expect(files.people == [Person(male), Person(pending)].sorted { $0.idNumber.value < $1.idNumber.value })
        #expect(files.people.allSatisfy { $0.registrations == 1 })
    }

    @Test("on the same date the larger application id wins")
    func tieOnApplicationID() {
        var a = Build.seeker(app: "A9", applied: "2019-03-01")
        a.phone = "13911111111"
        var b = Build.seeker(app: "A10", applied: "2019-03-01")
        b.phone = "13922222222"
        #expect(PersonFiles([b, a]).people[0].phone == "13922222222")
        #expect(PersonFiles([a, b]).people[0].phone == "13922222222")
    }

    @Test("one ID under two names is a finding with both rows")
    func nameConflict() {
        let a = Build.seeker("王秀兰", app: "A1", applied: "2019-01-01")
        let b = Build.seeker("王秀英", app: "A2", applied: "2019-02-01")
        let files = PersonFiles([a, b])
        #expect(files.conflicts.count == 1)
        #expect(files.conflicts[0].registrations.map(\.name) == ["王秀兰", "王秀英"])
        #expect(files.conflicts[0].chosenName == "王秀英")
    }
}

@Suite("Card eligibility")
struct EligibilityTests {
    func result(_ s: Seeker, training: [TrainingResult]? = nil) -> PersonResult {
        Build.run([s], training: training).results[0]
    }

    @Test("ages exactly 18 and 65 are eligible; 17 and 66 are not")
    func ages() {
        #expect(result(Build.seeker(birth: "2001-08-29")).status == .card)
        #expect(result(Build.seeker(birth: "2001-08-30")).reasons == ["underage"])
        #expect(result(Build.seeker(birth: "1954-08-29")).status == .card)
        #expect(result(Build.seeker(birth: "1954-08-29")).age == 65)
        #expect(result(Build.seeker(birth: "1953-08-30")).status == .card)
        #expect(result(Build.seeker(birth: "1953-08-29")).reasons == ["overage"])
    }

    @Test("a health check exactly 365 days old still counts; 366 days does not")
    func healthAge() {
        #expect(result(Build.seeker(checked: "2018-08-29")).status == .card)
        #expect(result(Build.seeker(checked: "2018-08-28")).reasons == ["health_expired"])
    }

    @Test("each unmet requirement is its own reason")
    func reasons() {
        #expect(result(Build.seeker(health: .pending, checked: nil)).reasons == ["health_missing"])
        #expect(result(Build.seeker(health: .failed)).reasons == ["health_failed"])
        let s = Build.seeker(birth: "2003-01-01", health: .failed)
        #expect(result(s, training: []).reasons == ["health_failed", "no_passed_training", "underage"])
        #expect(result(s, training: []).status == .pending)
    }

    @Test("only passed courses count, and they give the card's service areas")
    func training() {
        let s = Build.seeker(areas: ["cleaning", "nursing"])
        var failed = Build.passed(s, area: "nursing")
        failed.passed = false
        #expect(result(s, training: [failed]).reasons == ["no_passed_training"])
        let r = result(s, training: [failed, Build.passed(s, area: "childcare"), Build.passed(s, area: "cleaning")])
        #expect(r.status == .card)
        #expect(r.qualifiedAreas == ["childcare", "cleaning"])
    }

    @Test("the funnel adds up")
    func funnel() {
        let people = [Build.seeker(seq: 2), Build.seeker(birth: "2005-01-01", seq: 4), Build.seeker(birth: "1981-01-01", seq: 6)]
        let s = Build.run(people, records: [Build.record(people[2].idNumber.value, category: "robbery", birth: "1981-01-01")])
        let f = s.funnel
        #expect(f.people == 3 && f.eligible == 1 && f.pending == 1 && f.screened == 1 && f.review == 0)
        #expect(f.pendingByReason == ["underage": 1])
        #expect(f.people == f.eligible + f.pending + f.screened + f.review)
    }

    @Test("a policy read from the configuration changes the outcome")
    func configuredPolicy() {
        var policy = ScreeningPolicy.default
        policy.criminalLookbackYears["theft"] = 1
        let person = Build.seeker()
        let s = Build.run([person], records: [Build.record(person.idNumber.value, date: "2017-01-01")], policy: policy)
        #expect(s.results[0].status == .card)
    }
}

@Suite("Screening in pieces")
struct ScreeningInPiecesTests {
    /// Three hundred registrations with repeats, a name conflict, hits, possible matches,
    /// decisions and missing training: enough for every kind of result in every piece.
    static func sample() -> (seekers: [Seeker], records: [PoliceRecord], decisions: [ReviewDecision], training: [TrainingResult]) {
        var seekers: [Seeker] = []
        var records: [PoliceRecord] = []
        var decisions: [ReviewDecision] = []
        var training: [TrainingResult] = []
        let names = ["王秀兰", "李娟", "张伟", "陈静", "刘芳"]
        for i in 0..<300 {
            let birth = "19\(60 + i % 40)-0\(1 + i % 9)-1\(i % 10)"
            let s = Build.seeker(names[i % names.count], birth: birth, seq: i % 7 + 1, app: "A\(i)",
                                 areas: [["cleaning"], ["nursing", "cleaning"], ["elderly_care"]][i % 3],
                                 health: i % 11 == 0 ? .pending : .passed, applied: "2019-0\(1 + i % 8)-01")
            seekers.append(s)
            if i % 13 == 0 { seekers.append(Build.seeker(names[(i + 1) % names.count], birth: birth, seq: i % 7 + 1, app: "B\(i)")) }
            if i % 17 == 0 { seekers.append(Build.seeker(names[i % names.count], birth: birth, seq: i % 7 + 1, app: "C\(i)", areas: ["nursing"])) }
            if i % 5 != 0 { training.append(Build.passed(s, area: i % 2 == 0 ? "cleaning" : "nursing")) }
            if i % 9 == 0 { records.append(Build.record(s.idNumber.value, category: i % 2 == 0 ? "theft" : "gambling", rid: "R\(i)")) }
            if i % 23 == 0 {
                records.append(Build.record("", category: "theft", name: s.name, birth: birth, rid: "N\(i)", valid: false))
                if i % 2 == 0 { decisions.append(Build.decision(s, i % 4 == 0 ? .clear : .screen)) }
            }
        }
        decisions.append(Build.decision(Build.seeker(birth: "1999-01-01", seq: 9), .clear))
        return (seekers, records, decisions, training)
    }

    @Test("people merged and screened in pieces on several threads equal one piece's result")
    func piecesGiveTheSameResult() {
        let d = Self.sample()
        func run(_ plan: Parallel.Plan) -> (PersonFiles, Screening) {
            let files = PersonFiles(d.seekers, plan: plan)
            let s = screen(files, against: PoliceIndex(d.records), training: TrainingIndex(d.training),
                           decisions: d.decisions, policy: .default, eligibility: .default, asOf: asOf, plan: plan)
            return (files, s)
        }
        let (oneFiles, one) = run(Parallel.Plan(parts: 1, minimum: 1))
        for parts in [2, 3, 7] {
            let (files, s) = run(Parallel.Plan(parts: parts, minimum: 1))
            #expect(files.people == oneFiles.people)
            #expect(files.conflicts == oneFiles.conflicts)
            #expect(s.results == one.results)
            #expect(s.hits == one.hits)
            #expect(s.funnel == one.funnel)
            #expect(s.unusedDecisions == one.unusedDecisions)
        }
        // People are moved out of the registrations and files the merge and the screening own:
        // the ones their callers kept are whole, and each result holds its person.
        #expect(d.seekers == Self.sample().seekers)
        #expect(one.results.map(\.person) == oneFiles.people)
        // The sample holds every outcome, so the comparison means something.
        #expect(Set(one.results.map(\.status)) == [.card, .screened, .review, .pending])
        #expect(!oneFiles.conflicts.isEmpty && one.unusedDecisions.count >= 1)
        #expect(one.hits.contains { $0.outcome == .cleared } && one.hits.contains { $0.outcome == .screenedByDecision })
    }

    @Test("pieces cover the range in order, none smaller than the minimum unless there is one")
    func pieces() {
        #expect(Parallel.pieces(of: 0..<10, Parallel.Plan(parts: 3, minimum: 1)) == [0..<4, 4..<8, 8..<10])
        #expect(Parallel.pieces(of: 0..<10, Parallel.Plan(parts: 3, minimum: 6)) == [0..<10])
        #expect(Parallel.pieces(of: 0..<0, Parallel.Plan(parts: 3, minimum: 1)).isEmpty)
        #expect(Parallel.map(parts: 4) { $0 * $0 } == [0, 1, 4, 9])
    }
}

@Suite("Pieces of nothing")
struct EmptyPiecesTests {
    @Test("no registrations: no people, no results, and nothing breaks")
    func empty() {
        let files = PersonFiles([], plan: Parallel.Plan(parts: 3, minimum: 1))
        #expect(files.people.isEmpty && files.conflicts.isEmpty)
        let s = screen(files, against: PoliceIndex([]), training: TrainingIndex([]), decisions: [], policy: .default,
                       eligibility: .default, asOf: asOf, plan: Parallel.Plan(parts: 3, minimum: 1))
        #expect(s.results.isEmpty && s.hits.isEmpty && s.funnel.people == 0)
        let (built, found) = Parallel.build(count: 0, ranges: [0..<0, 0..<0]) { (i: Int, _: Parallel.Output<String>) in i }
        #expect(built.isEmpty && found == [0, 1])
        let (squares, _) = Parallel.build(count: 5, ranges: [0..<2, 2..<5]) { i, out -> Int in
            for k in [0..<2, 2..<5][i] { out.set(k, k * k) }
            return 0
        }
        #expect(squares == [0, 1, 4, 9, 16])
    }
}

@Suite("Work on both cores")
struct ParallelTests {
    /// Two parts of a `map` that each wait for the other to start: true when they ran at the
    /// same time. A part alone gives up after a minute, long enough for a busy machine (the
    /// other tests) to find the second part a thread.
    static func partsMeet() -> Bool {
        let started = [DispatchSemaphore(value: 0), DispatchSemaphore(value: 0)]
        return Parallel.map(parts: 2) { i in
            started[i].signal()
            return started[1 - i].wait(timeout: .now() + 60) == .success
        }.allSatisfy { $0 }
    }

    @Test("work split inside `both` still runs its parts at the same time, on either side")
    func nestedWorkRunsTogether() {
        guard Parallel.cores > 1 else { return }
        let (a, b) = Parallel.both({ ParallelTests.partsMeet() }, { ParallelTests.partsMeet() })
        #expect(a && b)
        let (two, b2) = Parallel.both({ 1 + 1 }, { "b" })
        #expect(two == 2 && b2 == "b")
    }
}
