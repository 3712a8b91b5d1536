import AnxinCore
import CSV

// The calibrated sample: every person's fate on the first night is decided first (a card,
// screened for a named record, review for a named reason, pending for named requirements),
// then the rows that lead there are written. Dirt never replaces a row that a fate needs: a
// dirty row is an extra, spoiled copy, or a registration of someone who never got in.

/// What one person of a calibrated sample is planned to be on the first night.
struct CalibratedSpec {
    enum Health {
        /// Passed within the last 364 days: still valid on the second night.
        case valid
        /// Passed exactly 365 days before the first night: valid that night, expired the next.
        case lastValidDay
        /// Passed more than a year before.
        case expired
        case failed
        case pending
        /// Any of the above, drawn (for people whose status does not depend on it).
        case drawn
    }

    enum Training {
        /// At least one course passed.
        case passed
        /// No course at all.
        case none
        /// Courses, every one failed.
        case failedOnly
        /// Any of the above, drawn.
        case drawn
    }

    /// What a card holder becomes on the second night.
    enum Role {
        /// A new police record that screens: the card turns red.
        case turnsRed
        /// The health check expires: the card turns yellow.
        case turnsYellow
        /// In the first night's review queue; an official clears the possible match on the second.
        case clearedOnNightTwo
        /// Registered twice, the first time under another name.
        case nameConflict
        /// Registers on the second night.
        case newOnNightTwo
    }

    var status: PersonStatus
    var ages: ClosedRange<Int>
    var health: Health
    var training: Training
    var records: [CalibratedRecord] = []
    var decision: CalibratedDecision?
    var role: Role?
}

/// A police record planned for a seeker.
struct CalibratedRecord {
    /// How the record names the person.
    enum Match {
        /// By the person's ID number.
        case hit
        /// No ID number: a possible match by name and birth date.
        case noID
        /// The old 15-digit number: a possible match.
        case oldFifteen
        /// One digit mistyped: a possible match.
        case mistyped
    }

    /// When the record was made, against the policy's lookback.
    enum Timing {
        /// Well within the lookback (3 years for a category without one).
        case recent
        /// Well before the lookback, sentence included.
        case old
        /// Any date of the person's adult life.
        case any
    }

    var category: String
    var criminal: Bool
    var match: Match = .hit
    var timing: Timing
}

/// An official's decision planned for someone in the review queue.
struct CalibratedDecision {
    var clear: Bool
    var note: String
}

/// A planned person and their registrations (one or two, the last the latest).
struct CalibratedPerson {
    var spec: CalibratedSpec
    var person: SamplePerson
    var registrations: [Registration]
    /// The name on the first registration, when it is not the person's.
    var firstName: String?
}

extension CalibratedSpec {
    /// Every person of the first night (and, with role `newOnNightTwo`, the second night's
    /// new registrations), in a fixed order: the plan shuffles them.
    static func all(_ c: SampleCalibration) -> [CalibratedSpec] {
        var specs: [CalibratedSpec] = []
        func add(_ n: Int, _ spec: CalibratedSpec) { specs += Array(repeating: spec, count: n) }
        func record(_ category: String, criminal: Bool = true, _ match: CalibratedRecord.Match,
                    _ timing: CalibratedRecord.Timing) -> CalibratedRecord {
            CalibratedRecord(category: category, criminal: criminal, match: match, timing: timing)
        }
        func record(_ category: String, criminal: Bool = true, _ timing: CalibratedRecord.Timing) -> CalibratedRecord {
            CalibratedRecord(category: category, criminal: criminal, match: .hit, timing: timing)
        }

        // Screened for criminal records: one disqualifying record each (recent enough where the
        // category has a lookback); every ninth also has a minor record, every thirteenth a
        // second theft. One more after an official confirmed a possible match.
        let lookback: Set<String> = ["theft", "fraud", "drug", "assault", "public_order", "traffic"]
        let others: [(String, Int)] = [
            ("fraud", 12), ("assault", 11), ("drug", 9), ("traffic", 9), ("public_order", 7), ("robbery", 7),
            ("sexual_offense", 4), ("child_abuse", 3), ("trafficking", 2), ("homicide", 1), ("kidnapping", 1),
        ]
        let byDecision = 1
        let theft = c.screened - byDecision - others.reduce(0) { $0 + $1.1 }
        precondition(theft > 0, "the calibration screens too few people for its categories")
        var k = 0
        for (category, count) in [("theft", theft)] + others {
            for _ in 0..<count {
                k += 1
                var records = [record(category, lookback.contains(category) ? .recent : .any)]
                if k % 9 == 0 {
                    records.append(record("traffic", criminal: false, .any))
                } else if k % 13 == 0 {
                    records.append(record("theft", .recent))
                }
                specs.append(CalibratedSpec(status: .screened, ages: 20...65, health: .drawn, training: .drawn,
                                            records: records))
            }
        }
        specs.append(CalibratedSpec(status: .screened, ages: 35...65, health: .valid, training: .passed,
                                    records: [record("trafficking", .oldFifteen, .any)],
                                    decision: CalibratedDecision(clear: false, note: "户籍地址一致，确认为同一人")))

        // The review queue: possible matches whose record would matter, and records of a
        // category the policy does not name (gambling).
        let queue = [
            CalibratedSpec(status: .review, ages: 25...60, health: .valid, training: .passed,
                           records: [record("robbery", .noID, .any)], role: .clearedOnNightTwo),
            CalibratedSpec(status: .review, ages: 25...60, health: .valid, training: .passed,
                           records: [record("theft", .mistyped, .recent)]),
            CalibratedSpec(status: .review, ages: 40...60, health: .valid, training: .none,
                           records: [record("sexual_offense", .oldFifteen, .any)]),
            CalibratedSpec(status: .review, ages: 25...60, health: .valid, training: .passed,
                           records: [record("gambling", .recent)]),
            CalibratedSpec(status: .review, ages: 25...60, health: .valid, training: .passed,
                           records: [record("gambling", criminal: false, .recent)]),
            CalibratedSpec(status: .review, ages: 25...60, health: .pending, training: .passed,
                           records: [record("child_abuse", .noID, .any)]),
        ]
        precondition(queue.count == c.review, "the calibration's review queue has \(queue.count) people")
        specs += queue

        // Card holders: most with no record; some with records that do not matter, possible
        // matches that would not, or a possible match an official cleared; and the three whose
        // cards change on the second night.
        let card = CalibratedSpec(status: .card, ages: 18...65, health: .valid, training: .passed)
        var holders: [CalibratedSpec] = []
        func holder(_ n: Int, ages: ClosedRange<Int>, _ records: [CalibratedRecord], decision: CalibratedDecision? = nil,
                    role: CalibratedSpec.Role? = nil) {
            var s = card
            s.ages = ages
            s.records = records
            s.decision = decision
            s.role = role
            holders += Array(repeating: s, count: n)
        }
        holder(12, ages: 30...65, [record("theft", .old)])
        holder(10, ages: 20...65, [record("traffic", criminal: false, .any)])
        holder(6, ages: 20...65, [record("public_order", criminal: false, .any)])
        holder(4, ages: 25...65, [record("drug", criminal: false, .old)])
        holder(3, ages: 25...65, [record("traffic", .old)])
        holder(4, ages: 20...65, [record("theft", criminal: false, .noID, .any)])
        holder(1, ages: 30...65, [record("robbery", .noID, .any)],
               decision: CalibratedDecision(clear: true, note: "已核查, 详见附件\n出生地与记录不符，非同一人"))
        holder(1, ages: 30...65, [record("gambling", .old)],
               decision: CalibratedDecision(clear: true, note: "经核查，该记录情节轻微，不影响从事家政服务"))
        holder(1, ages: 20...65, [], role: .nameConflict)
        holder(1, ages: 20...65, [], role: .turnsRed)
        var yellow = card
        yellow.health = .lastValidDay
        yellow.role = .turnsYellow
        holders.append(yellow)
        precondition(holders.count < c.cardHolders)
        specs += holders
        add(c.cardHolders - holders.count, card)

        // Pending, each for the requirements named.
        var pending: [CalibratedSpec] = []
        func wait(_ n: Int, ages: ClosedRange<Int> = 18...65, _ health: CalibratedSpec.Health,
                  _ training: CalibratedSpec.Training) {
            pending += Array(repeating: CalibratedSpec(status: .pending, ages: ages, health: health, training: training),
                             count: n)
        }
        wait(190, .pending, .passed)
        wait(110, .expired, .passed)
        wait(55, .failed, .passed)
        wait(100, .pending, .none)
        wait(20, .expired, .failedOnly)
        wait(9, ages: 16...17, .valid, .passed)
        wait(5, ages: 16...17, .valid, .none)
        wait(25, ages: 66...72, .valid, .passed)
        wait(5, ages: 66...72, .expired, .passed)
        pending.append(CalibratedSpec(status: .pending, ages: 25...65, health: .failed, training: .passed,
                                      records: [record("assault", .mistyped, .recent)],
                                      decision: CalibratedDecision(clear: true, note: "已电话核实，本人无此记录")))
        let night1 = c.night1
        precondition(pending.count < night1.pending, "the calibration leaves too few people pending")
        // The rest have not passed a course yet: most have taken none, some failed one.
        for i in 0..<(night1.pending - pending.count) {
            wait(1, .valid, i % 5 < 3 ? .none : .failedOnly)
        }
        specs += pending
        precondition(specs.count == night1.people)

        // The second night's new registrations: registered that day, no course yet.
        for i in 0..<c.newRegistrations {
            specs.append(CalibratedSpec(status: .pending, ages: 20...55, health: i % 2 == 0 ? .pending : .valid,
                                        training: .none, role: .newOnNightTwo))
        }
        return specs
    }
}

extension SampleBuilder {
    /// Writes one night of the calibrated sample (1: the published figures; 2: the day after).
    mutating func buildCalibrated(_ c: SampleCalibration, night: Int) throws(CSVError) -> [SampleGenerator.FileSummary] {
        try writeInstitutions()
        let (plan, newcomers) = calibratedPlan(c)
        try writeCalibratedSeekers(plan)
        for (i, p) in plan.enumerated() {
            try writeCalibratedRecords(p)
            // The PSB extract covers many more people than the seekers: keep pace with them.
            let due = policeTarget * (i + 1) / plan.count
            while police.cleanRows < due { try writeOffender() }
            try writeCalibratedTraining(p)
            // Employers evaluate card holders; some evaluations predate a card, or outlive it.
            if p.spec.status == .card || evaluationRNG.percent(40) {
                try writeEvaluations(p.person, p.registrations[p.registrations.count - 1])
            }
        }
        for p in plan {
            guard let d = p.spec.decision else { continue }
            let applied = p.registrations[p.registrations.count - 1].applied
            let day = decisionRNG.within(min(max(applied, asOf - 60), asOf)...asOf)
            decisions.append([p.person.id, d.clear ? "clear" : "screen", decisionRNG.pick(SampleNames.officials),
                              dates.typed(day, &decisionRNG, otherFormsPerMille: 200), d.note])
        }
        try writeDecisions()
        if night >= 2 { try writeNightTwo(plan, newcomers) }
        let files = [seekers, police, training, institutionsFile, evaluations, decisionsFile]
        for f in files { try f.writer.commit() }
        return files.map(\.summary)
    }

    // MARK: The plan

    /// The people of the first night, in random order, and the second night's newcomers.
    mutating func calibratedPlan(_ c: SampleCalibration) -> (plan: [CalibratedPerson], newcomers: [CalibratedPerson]) {
        var specs = CalibratedSpec.all(c)
        let newcomerSpecs = specs.filter { $0.role == .newOnNightTwo }
        specs.removeAll { $0.role == .newOnNightTwo }
        specs = peopleRNG.shuffled(specs)

        // Who registers twice: the name conflict, and others with no part in the story.
        var twice = Set(specs.indices.filter { specs[$0].role == .nameConflict })
        let candidates = peopleRNG.shuffled(specs.indices.filter {
            specs[$0].role == nil && specs[$0].decision == nil && specs[$0].status != .review
        })
        twice.formUnion(candidates.prefix(c.repeatRegistrations - twice.count))

        var plan: [CalibratedPerson] = []
        plan.reserveCapacity(specs.count)
        for (i, spec) in specs.enumerated() {
            plan.append(calibratedPerson(spec, twice: twice.contains(i)))
        }
        let newcomers = newcomerSpecs.map { spec -> CalibratedPerson in
            var p = calibratedPerson(spec, twice: false)
            p.registrations[0].applied = asOf + 1
            if p.registrations[0].health == .passed { p.registrations[0].healthDay = asOf + 1 }
            if p.registrations[0].health == .pending { p.registrations[0].healthDay = nil }
            return p
        }
        return (plan, newcomers)
    }

    /// A person for `spec`: an age in its range whose band does not change on the second night,
    /// a name and birth date no other seeker has, and the registrations.
    mutating func calibratedPerson(_ spec: CalibratedSpec, twice: Bool) -> CalibratedPerson {
        let first = CivilDate(daysSinceEpoch: asOf)
        let next = first.adding(days: 1)
        var person: SamplePerson
        while true {
            let male = peopleRNG.percent(12)
            var age = PersonFactory.seekerAge(&peopleRNG)
            for _ in 0..<8 where !spec.ages.contains(age) { age = PersonFactory.seekerAge(&peopleRNG) }
            if !spec.ages.contains(age) { age = peopleRNG.within(spec.ages) }
            person = people.seeker(male: male, age: age, &peopleRNG)
            let born = CivilDate(daysSinceEpoch: person.birth)
            // A birthday on the second night must not carry anyone across an age limit.
            let later = born.age(on: next)
            if (age < 18) != (later < 18) || (age > 65) != (later > 65) { continue }
            if seekerKeys.insert(PoliceIndex.key(name: person.name, birth: born)).inserted { break }
        }
        let health = resolve(spec.health)
        let latest = calibratedRegistration(person, health: health, after: twice ? marketOpen + 10 : nil)
        var registrations = [latest]
        var firstName: String?
        if twice {
            let applied = peopleRNG.within(marketOpen...(latest.applied - 1))
            var earlier = Registration(
                applicationID: "", phone: peopleRNG.percent(70) ? latest.phone : catalog.phone(&peopleRNG),
                district: peopleRNG.percent(85) ? latest.district : catalog.residence.pick(&peopleRNG),
                services: catalog.serviceAreas(male: person.male, &peopleRNG),
                institution: peopleRNG.percent(80) ? latest.institution : institutionPicker.pick(&peopleRNG),
                health: .pending, healthDay: nil, applied: applied)
            if peopleRNG.percent(40) {
                earlier.health = .passed
                earlier.healthDay = applied - peopleRNG.below(30)
            }
            registrations.insert(earlier, at: 0)
            if spec.role == .nameConflict {
                let born = CivilDate(daysSinceEpoch: person.birth).year
                var other = person.name
                while Text.nameKey(other) == Text.nameKey(person.name) {
                    other = catalog.name(male: person.male, birthYear: born, wenzhou: false, uyghur: false, &peopleRNG)
                }
                firstName = other
            }
        }
        var s = spec
        s.health = health
        s.training = resolve(spec.training)
        return CalibratedPerson(spec: s, person: person, registrations: registrations, firstName: firstName)
    }

    mutating func resolve(_ h: CalibratedSpec.Health) -> CalibratedSpec.Health {
        guard case .drawn = h else { return h }
        let r = peopleRNG.below(100)
        return r < 75 ? .valid : r < 85 ? .expired : r < 90 ? .failed : .pending
    }

    mutating func resolve(_ t: CalibratedSpec.Training) -> CalibratedSpec.Training {
        guard case .drawn = t else { return t }
        let r = peopleRNG.below(100)
        return r < 80 ? .passed : r < 92 ? .none : .failedOnly
    }

    /// A registration whose health check is as planned (applied after `after` when given).
    mutating func calibratedRegistration(_ person: SamplePerson, health: CalibratedSpec.Health, after: Int?) -> Registration {
        let span = asOf - marketOpen + 1
        var applied: Int
        repeat {
            applied = marketOpen + (peopleRNG.percent(50) ? peopleRNG.below(span)
                : max(peopleRNG.below(span), peopleRNG.below(span)))
        } while applied <= (after ?? marketOpen - 1)
        var check = HealthCheck.passed
        var day: Int?
        switch health {
        case .valid, .drawn:
            // Around registration, or renewed within the last year; valid on the second night too.
            var d = applied - peopleRNG.below(45)
            if asOf - d > 330 { d = asOf - peopleRNG.below(330) }
            day = min(max(d, asOf - 364), asOf)
        case .lastValidDay:
            day = asOf - 365
            applied = asOf - 365 + peopleRNG.below(30)
        case .expired:
            let d = peopleRNG.within((marketOpen - 45)...(asOf - 367))
            day = d
            applied = max(marketOpen, d + peopleRNG.below(45))
            if let after, applied <= after { applied = after + 1 + peopleRNG.below(20) }
        case .failed:
            check = .failed
            day = min(applied - peopleRNG.below(30), asOf)
        case .pending:
            check = .pending
            day = peopleRNG.percent(10) ? min(applied + peopleRNG.below(10), asOf) : nil
        }
        var district = catalog.residence.pick(&peopleRNG)
        if let home = person.homeDistrict, peopleRNG.percent(75) { district = home }
        let institution: Int? = peopleRNG.percent(8) ? nil : institutionPicker.pick(&peopleRNG)
        return Registration(applicationID: "", phone: catalog.phone(&peopleRNG), district: district,
                            services: catalog.serviceAreas(male: person.male, &peopleRNG), institution: institution,
                            health: check, healthDay: day, applied: applied)
    }

    // MARK: Rows

    /// Every registration in order of application date, numbered in that order; after each
    /// hundred clean rows, a registration that ingest rejects (someone who never got in).
    mutating func writeCalibratedSeekers(_ plan: [CalibratedPerson]) throws(CSVError) {
        var rows: [(applied: Int, person: Int, registration: Int)] = []
        for (i, p) in plan.enumerated() {
            for (j, r) in p.registrations.enumerated() { rows.append((r.applied, i, j)) }
        }
        rows.sort { ($0.applied, $0.person, $0.registration) < ($1.applied, $1.person, $1.registration) }
        var clean = 0
        for row in rows {
            let p = plan[row.person]
            var r = p.registrations[row.registration]
            r.applicationID = SampleText.code("SQ", seekers.rows + 1, width: 8)
            var person = p.person
            if row.registration == 0, p.registrations.count > 1, let other = p.firstName {
                person = SamplePerson(body: person.body, id: person.id, name: other, birth: person.birth, male: person.male,
                                homeDistrict: person.homeDistrict)
            }
            try writeSeeker(person: person, r, flaw: nil)
            if let flaw = seekerDirt.flaw(forRow: clean, rng: &peopleRNG) {
                let stranger = people.seeker(&peopleRNG)
                var bad = calibratedRegistration(stranger, health: resolve(.drawn), after: nil)
                bad.applied = r.applied
                bad.applicationID = SampleText.code("SQ", seekers.rows + 1, width: 8)
                try writeSeeker(person: stranger, bad, flaw: flaw)
            }
            clean += 1
        }
    }

    /// The person's planned police records.
    mutating func writeCalibratedRecords(_ p: CalibratedPerson) throws(CSVError) {
        let person = p.person
        let day0 = CivilDate(daysSinceEpoch: asOf)
        let earliest = max(person.birth + 18 * 365 + 5, asOf - 30 * 365)
        for r in p.spec.records {
            let offense = SampleNames.offenses.first { $0.0.category == r.category }!.0
            let years = r.criminal ? ScreeningPolicy.default.criminalLookbackYears[r.category]
                : ScreeningPolicy.default.administrativeLookbackYears[r.category]
            let day: Int
            switch r.timing {
            case .recent:
                let limit = day0.yearsEarlier(years ?? 3).daysSinceEpoch
                day = policeRNG.within(max(earliest, limit + 30)...(asOf - 7))
            case .old:
                // Before the lookback with the longest sentence of its kind and two months to spare.
                let limit = day0.yearsEarlier(years ?? 5).daysSinceEpoch
                let longest = r.criminal ? offense.sentenceMonths.upperBound * 30 + 30 : 15
                day = policeRNG.within(earliest...(limit - 60 - longest))
            case .any:
                day = policeRNG.within(earliest...(asOf - 7))
            }
            let id: String
            switch r.match {
            case .hit: id = person.id
            case .noID: id = ""
            case .oldFifteen: id = IDText.oldFifteen(Array(person.id))
            case .mistyped: id = IDText.mistyped(person.id, &policeRNG)
            }
            try writeRecord(id: id, name: person.name, birth: dates.text(person.birth), offense: offense,
                            criminal: r.criminal, day: day)
        }
    }

    /// The person's planned courses; after each hundred clean rows, a spoiled copy of one.
    mutating func writeCalibratedTraining(_ p: CalibratedPerson) throws(CSVError) {
        let count: Int
        switch p.spec.training {
        case .passed, .drawn:
            let c = trainingRNG.below(100)
            count = c < 60 ? 1 : c < 90 ? 2 : 3
        case .failedOnly:
            count = trainingRNG.percent(70) ? 1 : 2
        case .none:
            return
        }
        let person = p.person
        let r = p.registrations[p.registrations.count - 1]
        let id = IDText.typed(person.id, &trainingRNG, untidyPerMille: 5)
        for k in 0..<count {
            let passed = p.spec.training != .failedOnly && (k == 0 || trainingRNG.percent(85))
            let c = drawCourse(person, r)
            let f = courseFields(id, c, passed: passed)
            try training.write(f)
            if let flaw = trainingDirt.flaw(forRow: training.cleanRows - 1, rng: &trainingRNG) {
                try training.write(dirty: spoilTraining(f, flaw, person: person, day: c.day))
            }
        }
    }

    /// The second night's new rows, after the first night's: new registrations, a new record
    /// that screens a card holder, employers' evaluations of the day, and an official's decision.
    mutating func writeNightTwo(_ plan: [CalibratedPerson], _ newcomers: [CalibratedPerson]) throws(CSVError) {
        let today = asOf + 1
        for p in newcomers {
            var r = p.registrations[0]
            r.applicationID = SampleText.code("SQ", seekers.rows + 1, width: 8)
            try writeSeeker(person: p.person, r, flaw: nil)
        }
        // An assault conviction of three days ago, in tonight's extract.
        if let red = plan.first(where: { $0.spec.role == .turnsRed }) {
            let assault = SampleNames.offenses.first { $0.0.category == "assault" }!.0
            let id = SampleText.code("GA", nextRecord, width: 9)
            nextRecord += 1
            try police.write([id, red.person.id, red.person.name, dates.text(red.person.birth), assault.criminalCode,
                              assault.category, "criminal", dates.text(today - 3), ""])
        }
        // Evaluations of the day, of card holders whose cards stay green.
        let placed = plan.filter { $0.spec.status == .card && $0.spec.role == nil && $0.registrations.last?.institution != nil }
        for _ in 0..<5 where !placed.isEmpty {
            let p = nightRNG.pick(placed)
            let institution = institutions[p.registrations[p.registrations.count - 1].institution!]
            let rating = nightRNG.percent(70) ? 5 : 4
            try evaluations.write([SampleText.code("PJ", nextEvaluation, width: 9), institution.id, p.person.id,
                                   String(rating), "false", dates.text(today)])
            nextEvaluation += 1
        }
        // The official clears the possible match of someone in last night's queue.
        if let cleared = plan.first(where: { $0.spec.role == .clearedOnNightTwo }) {
            try decisionsFile.write([cleared.person.id, "clear", nightRNG.pick(SampleNames.officials), dates.text(today),
                                     "经户籍核实，出生地与记录不符，非同一人"])
        }
    }
}
