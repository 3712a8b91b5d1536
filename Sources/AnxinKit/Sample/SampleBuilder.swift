import AnxinCore
import CSV

/// One run of the generator: the random streams, the six files and what rows refer back to.
struct SampleBuilder {
    let catalog: SampleCatalog
    let dates: DateTexts
    let n: Int
    let asOf: Int
    let marketOpen: Int
    let policeTarget: Int
    /// Calibrated samples never drop a row for dirt: a dirty row is an extra, spoiled copy
    /// (or, in seekers.csv, someone whose only registration is spoiled), so that every person's
    /// designed fate holds. Random samples spoil the row itself.
    let keepEveryRow: Bool
    /// Rows dated after the as-of date are at least this many days late: 2 in calibrated
    /// samples, whose second night (as-of + 1) must still reject the first night's.
    let lateFrom: Int
    /// Names and birth dates of the seekers: an offender's record without a usable ID number
    /// never carries one of them (a possible match only where the sample means one).
    var seekerKeys: Set<NameAndBirth> = []

    var people: PersonFactory
    var store: SeekerStore
    var institutions: [SampleInstitution] = []
    var institutionPicker = WeightedTable([(0, 1)])

    // One stream per file, so that the size of one file does not shift the others.
    var peopleRNG: SampleRandom
    var policeRNG: SampleRandom
    var trainingRNG: SampleRandom
    var institutionRNG: SampleRandom
    var evaluationRNG: SampleRandom
    var decisionRNG: SampleRandom
    /// The second night's own draws (calibrated samples), after everything both nights share.
    var nightRNG: SampleRandom

    var seekers: OutputFile
    var police: OutputFile
    var training: OutputFile
    var evaluations: OutputFile
    var institutionsFile: OutputFile
    var decisionsFile: OutputFile

    var seekerDirt: DirtSchedule<SeekerFlaw>
    var policeDirt: DirtSchedule<PoliceFlaw>
    var trainingDirt: DirtSchedule<TrainingFlaw>
    var evaluationDirt: DirtSchedule<EvaluationFlaw>

    var decisions: [[String]] = []
    var lastCleanApplication: String?
    var lastCleanRecord: String?
    var lastCleanEvaluation: String?
    var nextRecord = 1
    var nextEvaluation = 1

    init(options: SampleGenerator.Options, catalog: SampleCatalog) throws(CSVError) {
        self.catalog = catalog
        n = options.seekers
        asOf = options.asOf.daysSinceEpoch
        // The market opened in May 2018, sixteen months before the reference date.
        marketOpen = asOf - 485
        dates = DateTexts(around: asOf)
        policeTarget = Int((options.policePerSeeker * Double(n)).rounded())
        keepEveryRow = options.calibration != nil
        lateFrom = options.calibration != nil ? 2 : 1
        people = PersonFactory(catalog: catalog, asOf: options.asOf, expected: n + policeTarget)
        store = SeekerStore(capacity: n)
        let seed = options.seed
        peopleRNG = SampleRandom(seed: seed, stream: 1)
        policeRNG = SampleRandom(seed: seed, stream: 2)
        trainingRNG = SampleRandom(seed: seed, stream: 3)
        institutionRNG = SampleRandom(seed: seed, stream: 4)
        evaluationRNG = SampleRandom(seed: seed, stream: 5)
        decisionRNG = SampleRandom(seed: seed, stream: 6)
        nightRNG = SampleRandom(seed: seed, stream: 7)
        seekerDirt = DirtSchedule(SeekerFlaw.allCases, firstBlock: n, rng: &peopleRNG)
        policeDirt = DirtSchedule(PoliceFlaw.allCases, firstBlock: max(1, policeTarget), rng: &policeRNG)
        trainingDirt = DirtSchedule(TrainingFlaw.allCases, firstBlock: n, rng: &trainingRNG)
        evaluationDirt = DirtSchedule(EvaluationFlaw.allCases, firstBlock: n, rng: &evaluationRNG)

        let dir = options.outputDirectory
        seekers = try OutputFile(kind: .seekers, directory: dir,
                                 header: options.chineseHeaders ? SampleGenerator.chineseSeekerHeaders : Seeker.columns,
                                 encoding: options.encoding)
        police = try OutputFile(kind: .policeRecords, directory: dir, header: PoliceRecord.columns)
        training = try OutputFile(kind: .training, directory: dir, header: TrainingResult.columns)
        institutionsFile = try OutputFile(kind: .institutions, directory: dir, header: Institution.columns)
        evaluations = try OutputFile(kind: .evaluations, directory: dir, header: Evaluation.columns)
        decisionsFile = try OutputFile(kind: .reviewDecisions, directory: dir, header: ReviewDecision.columns)
    }

    /// Writes everything and renames the six files into place.
    mutating func build() throws(CSVError) -> [SampleGenerator.FileSummary] {
        try writeInstitutions()
        for row in 0..<n {
            try writeSeekerRow(row)
            // The PSB extract covers many more people than the seekers: keep pace with them.
            let due = policeTarget * (row + 1) / n
            while police.rows < due { try writeOffender() }
        }
        try writeDecisions()
        let files = [seekers, police, training, institutionsFile, evaluations, decisionsFile]
        for f in files { try f.writer.commit() }
        return files.map(\.summary)
    }

    // MARK: Institutions

    mutating func writeInstitutions() throws(CSVError) {
        let count = max(30, n / 40)
        let width = max(4, String(count).count)
        var dirt = DirtSchedule(InstitutionFlaw.allCases, firstBlock: count, rng: &institutionRNG)
        var sizes: [(Int, Int)] = []
        for i in 0..<count {
            let id = SampleText.code("WZJZ", i + 1, width: width)
            let district = catalog.residence.pick(&institutionRNG)
            let place = catalog.districts[district].nameZH
            let name = (place.hasSuffix("区") ? "温州市" + place : place)
                + institutionRNG.pick(SampleNames.institutionBrands)
                + institutionRNG.pick(SampleNames.institutionTrades)
                + institutionRNG.pick(SampleNames.institutionForms)
            // Registered up to 15 years ago, more of them recently.
            let span = 15 * 365 - 30
            let registered = asOf - 30 - min(institutionRNG.below(span), institutionRNG.below(span))
            let year = CivilDate(daysSinceEpoch: registered).year
            let license = "浙温家政〔\(year)〕" + SampleText.code("", institutionRNG.within(1...3000), width: 4) + "号"
            let validUntil = institutionRNG.percent(12) ? asOf - institutionRNG.within(1...900)
                : asOf + institutionRNG.within(30...1800)
            let fields = [id, name, catalog.districts[district].code, license,
                          dates.typed(validUntil, &institutionRNG, otherFormsPerMille: 50),
                          dates.typed(registered, &institutionRNG, otherFormsPerMille: 50)]
            try institutionsFile.write(fields)
            let q = institutionRNG.below(100)
            institutions.append(SampleInstitution(id: id, quality: q < 12 ? 0 : q < 80 ? 1 : 2))
            sizes.append((i, 1 + institutionRNG.below(8) + (institutionRNG.percent(10) ? 20 + institutionRNG.below(40) : 0)))
            if let flaw = dirt.flaw(forRow: i, rng: &institutionRNG) {
                // An extra row, so that no seeker's institution goes missing.
                let extra = SampleText.code("WZJZ", count + 1 + institutionsFile.dirtyRows.count, width: width)
                try institutionsFile.write(dirty: spoilInstitution(fields, flaw, extraID: extra, count: i + 1, width: width))
            }
        }
        institutionPicker = WeightedTable(sizes)
    }

    mutating func spoilInstitution(_ real: [String], _ flaw: InstitutionFlaw, extraID: String, count: Int,
                                   width: Int) -> DirtyRow {
        var f = real
        f[0] = extraID
        f[1] = "温州市" + institutionRNG.pick(SampleNames.institutionBrands) + "家政服务有限公司"
        switch flaw {
        case .duplicateID:
            // Registered twice under one id: the second row is the one rejected.
            f[0] = SampleText.code("WZJZ", 1 + institutionRNG.below(count), width: width)
            if institutionRNG.percent(30) { f[0] = f[0].lowercased() }
        case .unknownDistrict:
            f[2] = unknownDistrict()
        case .badDate:
            f[4] = Spoil.badDate(CivilDate(daysSinceEpoch: asOf + 400), &institutionRNG)
        case .missingField:
            f[institutionRNG.percent(50) ? 1 : 3] = ""
        case .tooFewFields:
            return Spoil.tooFew(f, &institutionRNG)
        case .tooManyFields:
            return Spoil.tooMany(f, &institutionRNG)
        case .strayQuote:
            return Spoil.strayQuote(f, column: 1)
        }
        return .fields(f)
    }

    func unknownDistrict() -> String {
        for candidate in ["330301", "330101", "330399", "330200"] where !catalog.districtCodes.contains(candidate) {
            return candidate
        }
        return "999999"
    }

    // MARK: Seekers

    mutating func writeSeekerRow(_ row: Int) throws(CSVError) {
        let flaw = seekerDirt.flaw(forRow: row, rng: &peopleRNG)
        let applicationID = SampleText.code("SQ", row + 1, width: 8)
        if store.count >= 10, peopleRNG.perMille(30), let earlier = pickEarlierSeeker() {
            try writeRepeat(of: earlier, applicationID: applicationID, flaw: flaw)
            return
        }
        let person = people.seeker(&peopleRNG)
        let applied = marketOpen + (peopleRNG.percent(50)
            ? peopleRNG.below(asOf - marketOpen + 1)
            : max(peopleRNG.below(asOf - marketOpen + 1), peopleRNG.below(asOf - marketOpen + 1)))
        var district = catalog.residence.pick(&peopleRNG)
        if let home = person.homeDistrict, peopleRNG.percent(75) { district = home }
        let institution: Int? = peopleRNG.percent(8) ? nil : institutionPicker.pick(&peopleRNG)
        var registration = Registration(
            applicationID: applicationID, phone: catalog.phone(&peopleRNG), district: district,
            services: catalog.serviceAreas(male: person.male, &peopleRNG), institution: institution,
            health: .pending, healthDay: nil, applied: applied)
        drawHealth(&registration)
        store.append(person, registration)
        try writeSeeker(person: person, registration, flaw: flaw)
        try writeHits(person, registration)
        try writeTraining(person, registration, courses: nil)
        // Ingest knows a worker only from an accepted registration: a person whose one row
        // is dirty gets no evaluations, so that the only rejected evaluations are the dirty ones.
        if flaw == nil { try writeEvaluations(person, registration) }
    }

    /// A health check: mostly passed around registration, renewed within the last year by
    /// most of those who registered earlier; some failed or still pending.
    mutating func drawHealth(_ r: inout Registration) {
        let h = peopleRNG.below(1000)
        if h < 860 {
            r.health = .passed
            var day = r.applied - peopleRNG.below(45)
            if asOf - day > 330, peopleRNG.percent(55) { day = asOf - peopleRNG.below(330) }
            r.healthDay = min(day, asOf)
        } else if h < 890 {
            r.health = .failed
            r.healthDay = min(r.applied - peopleRNG.below(30), asOf)
        } else {
            r.health = .pending
            r.healthDay = peopleRNG.percent(10) ? min(r.applied + peopleRNG.below(10), asOf) : nil
        }
    }

    mutating func pickEarlierSeeker() -> Int? {
        for _ in 0..<3 {
            let i = peopleRNG.below(store.count)
            if Int(store.applied[i]) < asOf { return i }
        }
        return nil
    }

    /// A second registration of someone registered earlier: later, usually under the same
    /// name, with services, phone or institution sometimes changed.
    mutating func writeRepeat(of i: Int, applicationID: String, flaw: SeekerFlaw?) throws(CSVError) {
        let body = store.body[i]
        let male = body % 2 == 1
        var name = store.name[i]
        let r = peopleRNG.below(100)
        if r < 2 {
            // Another name under the same ID number: a finding for the data-quality report.
            let born = CivilDate(daysSinceEpoch: Int(store.birth[i])).year
            name = catalog.name(male: male, birthYear: born, wenzhou: false, uyghur: false, &peopleRNG)
        } else if r < 10, name.contains("·") {
            // The same name typed with another middle dot, or none.
            name = name.replacingOccurrences(of: "·", with: peopleRNG.pick(["•", "・", ""]))
        }
        let person = SamplePerson(body: body, id: IDText.normalized(body), name: name, birth: Int(store.birth[i]),
                            male: male, homeDistrict: nil)
        let applied = peopleRNG.within((Int(store.applied[i]) + 1)...asOf)
        var institution: Int? = store.institution[i] < 0 ? nil : Int(store.institution[i])
        let change = peopleRNG.below(100)
        if change < 12 {
            institution = institutionPicker.pick(&peopleRNG)
        } else if change < 20 {
            institution = nil
        }
        var registration = Registration(
            applicationID: applicationID,
            phone: peopleRNG.percent(70) ? store.phone[i] : catalog.phone(&peopleRNG),
            district: peopleRNG.percent(85) ? Int(store.district[i]) : catalog.residence.pick(&peopleRNG),
            services: catalog.serviceAreas(male: male, &peopleRNG), institution: institution,
            health: .pending, healthDay: nil, applied: applied)
        drawHealth(&registration)
        store.applied[i] = Int32(applied)
        store.institution[i] = Int32(institution ?? -1)
        try writeSeeker(person: person, registration, flaw: flaw)
        if trainingRNG.percent(40) { try writeTraining(person, registration, courses: 1) }
    }

    mutating func writeSeeker(person: SamplePerson, _ r: Registration, flaw: SeekerFlaw?) throws(CSVError) {
        let areas = r.services.map { catalog.services[$0] }
        var services = areas.joined(separator: ";")
        if areas.count > 1 {
            let s = peopleRNG.below(1000)
            // Other separators the intake clerks use; a few cells even hold a line break.
            if s < 4 {
                services = areas.joined(separator: ",\n")
            } else if s < 20 {
                services = areas.joined(separator: "、")
            } else if s < 30 {
                services = areas.joined(separator: ", ")
            }
        }
        var phone = String(r.phone)
        let p = peopleRNG.below(1000)
        if p < 5 {
            phone = "+86 " + phone
        } else if p < 10 {
            let c = Array(phone)
            phone = String(c[0..<3]) + "-" + String(c[3..<7]) + "-" + String(c[7...])
        }
        let chineseWords = peopleRNG.percent(5)
        let sex = chineseWords ? (person.male ? "男" : "女") : (person.male ? "M" : "F")
        var health: String
        switch r.health {
        case .passed: health = chineseWords ? "合格" : "passed"
        case .failed: health = chineseWords ? "不合格" : "failed"
        case .pending: health = chineseWords ? "待检" : "pending"
        }
        var institution = r.institution.map { institutions[$0].id } ?? ""
        if peopleRNG.perMille(5) { institution = institution.lowercased() }
        var f = [
            r.applicationID, person.name, IDText.typed(person.id, &peopleRNG, untidyPerMille: 10), sex,
            dates.typed(person.birth, &peopleRNG, otherFormsPerMille: 40), phone, catalog.districts[r.district].code,
            services, institution, health,
            r.healthDay.map { dates.typed($0, &peopleRNG, otherFormsPerMille: 40) } ?? "",
            dates.typed(r.applied, &peopleRNG, otherFormsPerMille: 40),
        ]
        guard let flaw else {
            lastCleanApplication = r.applicationID
            try seekers.write(f)
            return
        }
        let birth = CivilDate(daysSinceEpoch: person.birth)
        var out: DirtyRow?
        switch flaw {
        case .badCheck:
            f[2] = Spoil.checkCharacter(person.id, &peopleRNG)
        case .badID:
            f[2] = Spoil.notAnID(person.id, &peopleRNG)
        case .badDate:
            if peopleRNG.percent(50) { f[4] = Spoil.badDate(birth, &peopleRNG) } else {
                f[11] = Spoil.badDate(CivilDate(daysSinceEpoch: r.applied), &peopleRNG)
            }
        case .sexMismatch:
            f[3] = chineseWords ? (person.male ? "女" : "男") : (person.male ? "F" : "M")
        case .birthMismatch:
            // Day and month swapped, or a typing slip of a few days or a year.
            if birth.day <= 12, birth.day != birth.month, let swapped = CivilDate(year: birth.year, month: birth.day, day: birth.month) {
                f[4] = swapped.description
            } else {
                f[4] = dates.text(person.birth + (peopleRNG.percent(50) ? 365 : peopleRNG.within(1...9)))
            }
        case .badPhone:
            f[5] = peopleRNG.pick(["0577-8" + String(r.phone % 10_000_000), String(r.phone / 10),
                                   "12" + String(r.phone % 1_000_000_000), String(r.phone / 10) + "a"])
        case .unknownDistrict:
            f[6] = peopleRNG.percent(50) ? catalog.districts[r.district].nameZH : unknownDistrict()
        case .unknownService:
            let unknown = Spoil.unknownCode(["massage", "driver", "保姆", "nanny"], known: catalog.serviceCodes, &peopleRNG)
            f[7] = areas.count > 1 ? areas[0] + ";" + unknown : unknown
        case .unknownInstitution:
            f[8] = SampleText.code("WZJZ", max(30, n / 40) + 500 + peopleRNG.below(500), width: 4)
        case .missingField:
            f[peopleRNG.pick([1, 2, 5, 7, 9, 11])] = ""
        case .tooFewFields:
            out = Spoil.tooFew(f, &peopleRNG)
        case .tooManyFields:
            out = Spoil.tooMany(f, &peopleRNG)
        case .duplicateID:
            if let earlier = lastCleanApplication { f[0] = earlier } else { f[5] = "" }
        case .afterAsOf:
            let late = asOf + peopleRNG.within(lateFrom...90)
            if r.health == .passed, peopleRNG.percent(40) {
                f[10] = dates.text(late)
                f[11] = dates.text(min(late, asOf))
            } else {
                f[11] = dates.text(late)
            }
        case .badName:
            // A digit typed into the name, or a character the intake system could not store.
            f[1] = peopleRNG.percent(50) ? person.name + String(peopleRNG.below(10))
                : String(person.name.prefix(1)) + "?" + String(person.name.dropFirst())
        case .badValue:
            if peopleRNG.percent(50) {
                f[9] = peopleRNG.pick(["ok", "已检", "yes"])
            } else {
                f[3] = peopleRNG.pick(["X", "未知"])
            }
        case .strayQuote:
            out = Spoil.strayQuote(f, column: 1)
        }
        try seekers.write(dirty: out ?? .fields(f))
    }

    // MARK: Police records

    /// Records of a new seeker: a few have one under their own ID number (mostly minor, some
    /// old, some serious); fewer have an old record without a usable ID number that names them
    /// by name and birth date only.
    mutating func writeHits(_ person: SamplePerson, _ r: Registration) throws(CSVError) {
        guard policeTarget > 0 else { return }
        if policeRNG.perMille(60) {
            for _ in 0..<(policeRNG.percent(80) ? 1 : 2) {
                let offense = SampleNames.offenses[catalog.seekerOffenses.pick(&policeRNG)].0
                let earliest = max(person.birth + 18 * 365 + 5, asOf - 30 * 365)
                guard earliest <= asOf else { break }
                // Most of these records are recent enough to count under the lookback rules.
                let from = policeRNG.percent(60) ? max(earliest, asOf - 5 * 365) : earliest
                let criminal = policeRNG.percent(offense.criminalPercent)
                try writeRecord(id: person.id, name: person.name, birth: dates.text(person.birth), offense: offense,
                                criminal: criminal, day: policeRNG.within(from...asOf))
                if offense.category == "gambling", decisionRNG.percent(50) { addDecision(person, r) }
            }
        }
        if policeRNG.perMille(3) {
            let earliest = max(person.birth + 16 * 365 + 4, asOf - 30 * 365)
            guard earliest <= asOf else { return }
            let day = policeRNG.within(earliest...max(earliest, asOf - 5 * 365))
            let id: String
            switch policeRNG.below(10) {
            case 0..<4: id = ""
            case 4..<7: id = IDText.oldFifteen(Array(person.id))
            default: id = IDText.mistyped(person.id, &policeRNG)
            }
            let serious = policeRNG.percent(50)
            let offense = SampleNames.offenses[(serious ? catalog.seriousOffenses : catalog.extractOffenses).pick(&policeRNG)].0
            let criminal = policeRNG.percent(offense.criminalPercent)
            try writeRecord(id: id, name: person.name, birth: dates.text(person.birth), offense: offense,
                            criminal: criminal, day: day)
            let matters = SampleNames.seriousCategories.contains(offense.category) && (criminal || offense.category == "gambling")
            if matters, decisionRNG.percent(50) { addDecision(person, r) }
        }
    }

    /// Someone who is not a seeker, with one or more records.
    mutating func writeOffender() throws(CSVError) {
        let person = people.offender(&policeRNG)
        let r = policeRNG.below(100)
        let count = r < 65 ? 1 : r < 85 ? 2 : r < 95 ? 3 : policeRNG.within(4...6)
        let earliest = max(person.birth + 16 * 365 + 4, asOf - 30 * 365)
        for _ in 0..<count {
            let day = policeRNG.within(earliest...asOf)
            // Records from before about 2000 were typed from paper: IDs and birth dates missing or wrong.
            let old = day < asOf - 19 * 365
            var id = person.id
            if old {
                let q = policeRNG.below(100)
                if q < 8 {
                    id = ""
                } else if q < 14 {
                    id = IDText.oldFifteen(Array(person.id))
                } else if q < 17 {
                    id = IDText.mistyped(person.id, &policeRNG)
                }
            } else if policeRNG.perMille(5) {
                id = IDText.mistyped(person.id, &policeRNG)
            }
            var birth = old && policeRNG.percent(25) ? "" : dates.typed(person.birth, &policeRNG, otherFormsPerMille: 80)
            if id != person.id, !birth.isEmpty, !seekerKeys.isEmpty,
               seekerKeys.contains(PoliceIndex.key(name: person.name, birth: CivilDate(daysSinceEpoch: person.birth))) {
                birth = ""  // would be an unplanned possible match
            }
            let offense = SampleNames.offenses[catalog.extractOffenses.pick(&policeRNG)].0
            try writeRecord(id: id, name: person.name, birth: birth, offense: offense,
                            criminal: policeRNG.percent(offense.criminalPercent), day: day)
        }
    }

    mutating func writeRecord(id: String, name: String, birth: String, offense: SampleNames.Offense, criminal: Bool,
                              day: Int) throws(CSVError) {
        let flaw = policeDirt.flaw(forRow: keepEveryRow ? police.cleanRows : police.rows, rng: &policeRNG)
        let recordID = SampleText.code("GA", nextRecord, width: 9)
        nextRecord += 1
        var end: Int?
        if criminal, policeRNG.percent(75) {
            // Sentences may end after the as-of date: such records are kept as they are.
            end = day + policeRNG.within(offense.sentenceMonths) * 30 + policeRNG.below(30)
        } else if !criminal, policeRNG.percent(25) {
            end = day + policeRNG.within(5...15)  // administrative detention
        }
        let chineseKind = policeRNG.percent(3)
        let kind = criminal ? (chineseKind ? "刑事" : "criminal") : (chineseKind ? "行政" : "administrative")
        let f = [recordID, id, name, birth, criminal ? offense.criminalCode : offense.administrativeCode,
                 offense.category, kind, dates.typed(day, &policeRNG, otherFormsPerMille: 80),
                 end.map { dates.typed($0, &policeRNG, otherFormsPerMille: 80) } ?? ""]
        if flaw == nil || keepEveryRow {
            lastCleanRecord = recordID
            try police.write(f)
        }
        guard let flaw else { return }
        try police.write(dirty: spoilRecord(f, flaw, day: day))
    }

    /// A police record spoiled by `flaw`.
    mutating func spoilRecord(_ fields: [String], _ flaw: PoliceFlaw, day: Int) -> DirtyRow {
        var f = fields
        var out: DirtyRow?
        switch flaw {
        case .missingField:
            f[policeRNG.pick([0, 2, 5, 6, 7])] = ""
        case .badKind:
            f[6] = policeRNG.pick(["刑拘", "civil", "行政拘留", "C"])
        case .badDate:
            let d = CivilDate(daysSinceEpoch: day)
            switch policeRNG.below(3) {
            case 0: f[7] = Spoil.badDate(d, &policeRNG)
            case 1: f[3] = Spoil.badDate(d, &policeRNG)
            default: f[8] = Spoil.badDate(d, &policeRNG)
            }
        case .tooFewFields:
            out = Spoil.tooFew(f, &policeRNG)
        case .tooManyFields:
            out = Spoil.tooMany(f, &policeRNG)
        case .duplicateID:
            if let earlier = lastCleanRecord { f[0] = earlier } else { f[7] = "" }
        case .strayQuote:
            out = Spoil.strayQuote(f, column: 2)
        }
        return out ?? .fields(f)
    }

    // MARK: Training

    /// Courses of a seeker: about 1.3 a person, mostly in the person's own service areas,
    /// mostly passed.
    mutating func writeTraining(_ person: SamplePerson, _ r: Registration, courses: Int?) throws(CSVError) {
        let count: Int
        if let courses {
            count = courses
        } else {
            let c = trainingRNG.below(100)
            count = c < 8 ? 0 : c < 70 ? 1 : c < 92 ? 2 : 3
        }
        guard count > 0 else { return }
        let id = IDText.typed(person.id, &trainingRNG, untidyPerMille: 5)
        for _ in 0..<count {
            let flaw = trainingDirt.flaw(forRow: training.rows, rng: &trainingRNG)
            let c = drawCourse(person, r)
            let passed = trainingRNG.percent(90)
            let f = courseFields(id, c, passed: passed)
            let day = c.day
            guard let flaw else {
                try training.write(f)
                continue
            }
            try training.write(dirty: spoilTraining(f, flaw, person: person, day: day))
        }
    }

    /// A course: its service area (mostly one of the registration's), code, hours and date.
    /// Both the random and the calibrated samples draw courses this way, in this order.
    mutating func drawCourse(_ person: SamplePerson, _ r: Registration) -> (course: String, code: String, hours: String, day: Int) {
        let area = trainingRNG.percent(85) && !r.services.isEmpty ? trainingRNG.pick(r.services)
            : (person.male ? catalog.maleServices : catalog.femaleServices).pick(&trainingRNG)
        let code = catalog.services[area]
        let course = SampleText.code("KC", area + 1, width: 2) + "-" + String(trainingRNG.within(1...3))
        let hours = code == "maternity_care" && trainingRNG.percent(60) ? "120" : catalog.courseHours.pick(&trainingRNG)
        let day = min(asOf, r.applied + trainingRNG.within(-90...60))
        return (course, code, hours, day)
    }

    /// The fields of a course row: `passed` mostly as true/false, sometimes in another accepted word.
    mutating func courseFields(_ id: String, _ c: (course: String, code: String, hours: String, day: Int), passed: Bool) -> [String] {
        var passedText = passed ? "true" : "false"
        if trainingRNG.percent(3) { passedText = trainingRNG.pick(passed ? ["是", "1", "yes"] : ["否", "0", "no"]) }
        return [id, c.course, c.code, c.hours, passedText, dates.typed(c.day, &trainingRNG, otherFormsPerMille: 30)]
    }

    /// A training row spoiled by `flaw`.
    mutating func spoilTraining(_ fields: [String], _ flaw: TrainingFlaw, person: SamplePerson, day: Int) -> DirtyRow {
        var f = fields
        var out: DirtyRow?
        switch flaw {
        case .badCheck: f[0] = Spoil.checkCharacter(person.id, &trainingRNG)
        case .badID: f[0] = Spoil.notAnID(person.id, &trainingRNG)
        case .missingField: f[trainingRNG.pick([0, 1, 3, 4, 5])] = ""
        case .unknownService: f[2] = Spoil.unknownCode(["massage", "first_aid", "护理"], known: catalog.serviceCodes, &trainingRNG)
        case .badHours: f[3] = trainingRNG.pick(["-4", "abc", "20000", "八", "16h"])
        case .badPassed: f[4] = trainingRNG.pick(["合格", "pass", "passed", "?"])
        case .badDate: f[5] = Spoil.badDate(CivilDate(daysSinceEpoch: day), &trainingRNG)
        case .afterAsOf: f[5] = dates.text(asOf + trainingRNG.within(lateFrom...120))
        case .tooFewFields: out = Spoil.tooFew(f, &trainingRNG)
        case .tooManyFields: out = Spoil.tooMany(f, &trainingRNG)
        case .strayQuote: out = Spoil.strayQuote(f, column: 1)
        }
        return out ?? .fields(f)
    }

    // MARK: Evaluations

    /// Employers' evaluations of a seeker placed by an institution: about two a person over
    /// the last two years, ratings skewed high, lower and with more complaints at poor
    /// institutions.
    mutating func writeEvaluations(_ person: SamplePerson, _ r: Registration) throws(CSVError) {
        guard let index = r.institution else { return }
        let institution = institutions[index]
        let c = evaluationRNG.below(100)
        let count = c < 25 ? 0 : c < 45 ? 1 : c < 65 ? 2 : c < 80 ? 3 : c < 90 ? 4 : evaluationRNG.within(5...8)
        let earliest = max(asOf - 730, min(r.applied - 60, asOf))
        for _ in 0..<count {
            let flaw = evaluationDirt.flaw(forRow: keepEveryRow ? evaluations.cleanRows : evaluations.rows, rng: &evaluationRNG)
            let evaluationID = SampleText.code("PJ", nextEvaluation, width: 9)
            nextEvaluation += 1
            let rating = drawRating(quality: institution.quality)
            let complaint = evaluationRNG.percent(Self.complaintPercent(rating: rating))
            var complaintText = complaint ? "true" : "false"
            if evaluationRNG.percent(2) { complaintText = complaint ? "是" : "否" }
            let day = evaluationRNG.within(earliest...asOf)
            var f = [evaluationID, institution.id, person.id, String(rating), complaintText, dates.text(day)]
            if evaluationRNG.perMille(2) { f[3] = String(Character(Unicode.Scalar(0xFF10 + UInt32(rating))!)) }
            if flaw == nil || keepEveryRow {
                lastCleanEvaluation = evaluationID
                try evaluations.write(f)
            }
            guard let flaw else { continue }
            var out: DirtyRow?
            switch flaw {
            case .badRating: f[3] = evaluationRNG.percent(60) ? "6" : evaluationRNG.pick(["0", "4.5", "五", "10"])
            case .unknownInstitution: f[1] = SampleText.code("WZJZ", institutions.count + 500 + evaluationRNG.below(500), width: 4)
            case .badCheck: f[2] = Spoil.checkCharacter(person.id, &evaluationRNG)
            case .unknownWorker: f[2] = people.offender(&evaluationRNG).id  // valid, but never registered
            case .badComplaint: f[4] = evaluationRNG.pick(["有", "maybe", "投诉"])
            case .badDate: f[5] = Spoil.badDate(CivilDate(daysSinceEpoch: day), &evaluationRNG)
            case .afterAsOf: f[5] = dates.text(asOf + evaluationRNG.within(lateFrom...60))
            case .duplicateID: if let earlier = lastCleanEvaluation { f[0] = earlier } else { f[3] = "" }
            case .missingField: f[evaluationRNG.pick([0, 1, 2, 3, 4, 5])] = ""
            case .tooFewFields: out = Spoil.tooFew(f, &evaluationRNG)
            case .tooManyFields: out = Spoil.tooMany(f, &evaluationRNG)
            case .strayQuote: out = Spoil.strayQuote(f, column: 0)
            }
            try evaluations.write(dirty: out ?? .fields(f))
        }
    }

    mutating func drawRating(quality: Int) -> Int {
        let r = evaluationRNG.below(100)
        // Cumulative per-cent shares of ratings 1 to 4 (5 takes the rest), by institution quality.
        let (c1, c2, c3, c4): (Int, Int, Int, Int)
        switch quality {
        case 0: (c1, c2, c3, c4) = (8, 20, 45, 75)
        case 1: (c1, c2, c3, c4) = (3, 8, 20, 50)
        default: (c1, c2, c3, c4) = (1, 3, 10, 35)
        }
        return r < c1 ? 1 : r < c2 ? 2 : r < c3 ? 3 : r < c4 ? 4 : 5
    }

    /// How often (per cent) an evaluation with this rating comes with a complaint.
    static func complaintPercent(rating: Int) -> Int {
        switch rating {
        case 1: return 60
        case 2: return 35
        case 3: return 8
        case 4: return 2
        default: return 1
        }
    }

    // MARK: Review decisions

    /// An official's decision about a person in the review queue of an earlier night.
    mutating func addDecision(_ person: SamplePerson, _ r: Registration) {
        let screen = decisionRNG.percent(30)
        let day = max(r.applied, asOf - decisionRNG.below(90))
        var note = decisionRNG.pick(screen ? SampleNames.screenNotes : SampleNames.clearNotes)
        if decisions.isEmpty || decisionRNG.percent(15) {
            // Officials write notes over several lines, commas included.
            note = "已核查, 详见附件\n" + (note.isEmpty ? "无其他情况" : note)
        }
        decisions.append([person.id, screen ? "screen" : "clear", decisionRNG.pick(SampleNames.officials),
                          dates.typed(day, &decisionRNG, otherFormsPerMille: 200), note])
    }

    mutating func writeDecisions() throws(CSVError) {
        var dirt = DirtSchedule(DecisionFlaw.allCases, firstBlock: max(1, decisions.count), rng: &decisionRNG)
        for (i, fields) in decisions.enumerated() {
            try decisionsFile.write(fields)
            guard let flaw = dirt.flaw(forRow: i, rng: &decisionRNG) else { continue }
            var f = fields
            var out: DirtyRow?
            switch flaw {
            case .badDecision: f[1] = decisionRNG.pick(["通过", "approve", "排除"])
            case .afterAsOf: f[3] = dates.text(asOf + decisionRNG.within(lateFrom...30))
            case .badDate: f[3] = Spoil.badDate(CivilDate(daysSinceEpoch: asOf - 10), &decisionRNG)
            case .missingField: f[2] = ""
            case .badCheck: f[0] = Spoil.checkCharacter(f[0], &decisionRNG)
            case .tooFewFields: out = Spoil.tooFew(f, &decisionRNG)
            }
            try decisionsFile.write(dirty: out ?? .fields(f))
        }
    }
}
