import AnxinCore

// The reference lists as weighted tables, and the people of the sample.

/// The reference lists and the weighted tables drawn from them.
struct SampleCatalog {
    let districts: [ReferenceEntry]
    let districtCodes: Set<String>
    let services: [String]
    let serviceCodes: Set<String>
    /// Where people live and institutions sit: index into `districts`.
    let residence: WeightedTable<Int>
    /// Region codes of ID numbers issued in Wenzhou, with the district index when it is one.
    let wenzhouRegions: WeightedTable<Region>

    /// A region code at the head of ID numbers.
    struct Region {
        let code: Int
        /// Index into `districts`.
        let district: Int
    }
    let otherRegions: WeightedTable<Int>
    let femaleServices: WeightedTable<Int>
    let maleServices: WeightedTable<Int>
    let nationalSurnames: WeightedTable<String>
    let wenzhouSurnames: WeightedTable<String>
    let classicFemale: WeightedTable<String>
    let phonePrefixes: WeightedTable<Int>
    let courseHours: WeightedTable<String>
    /// Index into `SampleNames.offenses`, for people in general and for seekers.
    let extractOffenses: WeightedTable<Int>
    let seekerOffenses: WeightedTable<Int>
    let seriousOffenses: WeightedTable<Int>

    init(districts: [ReferenceEntry], services: [ReferenceEntry]) {
        self.districts = districts
        districtCodes = Set(districts.map(\.code))
        self.services = services.map(\.code)
        serviceCodes = Set(self.services)
        residence = WeightedTable(districts.indices.map {
            ($0, SampleNames.wenzhouDistrictWeights[districts[$0].code] ?? SampleNames.defaultDistrictWeight)
        })
        // Only six-digit codes can stand at the head of an ID number.
        var regions: [(Region, Int)] = []
        for (i, d) in districts.enumerated() where !SampleNames.regionCodesTooNewForIDs.contains(d.code) {
            guard d.code.utf8.count == 6, d.code.utf8.first != 0x30, let code = Int(d.code) else { continue }
            regions.append((Region(code: code, district: i), SampleNames.wenzhouDistrictWeights[d.code] ?? SampleNames.defaultDistrictWeight))
        }
        if regions.isEmpty { regions = [(Region(code: 330302, district: 0), 1)] }
        wenzhouRegions = WeightedTable(regions)
        otherRegions = WeightedTable(SampleNames.otherRegions.map { (Int($0.0)!, $0.1) })
        let codes = self.services
        func serviceTable(male: Bool) -> WeightedTable<Int> {
            let pairs = codes.indices.map { i -> (Int, Int) in
                let w = SampleNames.serviceWeights[codes[i]]
                return (i, (male ? w?.male : w?.female) ?? 2)
            }
            return pairs.contains { $0.1 > 0 } ? WeightedTable(pairs) : WeightedTable(pairs.map { ($0.0, 1) })
        }
        femaleServices = serviceTable(male: false)
        maleServices = serviceTable(male: true)
        nationalSurnames = WeightedTable(SampleNames.nationalSurnames)
        wenzhouSurnames = WeightedTable(SampleNames.wenzhouSurnames)
        classicFemale = WeightedTable(SampleNames.classicFemaleGiven)
        phonePrefixes = WeightedTable(SampleNames.phonePrefixes)
        courseHours = WeightedTable(SampleNames.courseHours)
        extractOffenses = WeightedTable(SampleNames.offenses.indices.map { ($0, SampleNames.offenses[$0].extract) })
        seekerOffenses = WeightedTable(SampleNames.offenses.indices.map { ($0, SampleNames.offenses[$0].seekers) })
        seriousOffenses = WeightedTable(SampleNames.offenses.indices.map {
            ($0, SampleNames.seriousCategories.contains(SampleNames.offenses[$0].0.category) ? 1 : 0)
        })
    }

    /// A Chinese name: surname by frequency (Wenzhou's own for people born there), then one or
    /// two given characters, or an older woman's classic given name; Uyghur names carry a
    /// middle dot between the given and the father's name.
    func name(male: Bool, birthYear: Int, wenzhou: Bool, uyghur: Bool, _ rng: inout SampleRandom) -> String {
        if uyghur {
            let given = rng.pick(male ? SampleNames.uyghurMale : SampleNames.uyghurFemale)
            return given + "·" + rng.pick(SampleNames.uyghurMale)
        }
        let surname = rng.perMille(4) ? rng.pick(SampleNames.compoundSurnames)
            : (wenzhou ? wenzhouSurnames : nationalSurnames).pick(&rng)
        if !male, birthYear < 1975, rng.percent(30) { return surname + classicFemale.pick(&rng) }
        let chars = male ? SampleNames.maleGiven : SampleNames.femaleGiven
        // 小, 晓 and 亚 open a given name and never end one.
        var last = rng.pick(chars)
        while SampleNames.leadingOnly.contains(last) { last = rng.pick(chars) }
        if rng.percent(22) { return surname + last }
        return surname + rng.pick(chars) + last
    }

    /// A mobile number, 11 digits from 13x to 19x.
    func phone(_ rng: inout SampleRandom) -> UInt64 {
        UInt64(phonePrefixes.pick(&rng)) * 100_000_000 + UInt64(rng.below(100_000_000))
    }

    /// One to three distinct service areas (indices into `services`).
    func serviceAreas(male: Bool, _ rng: inout SampleRandom) -> [Int] {
        let r = rng.below(100)
        let want = min(r < 50 ? 1 : r < 85 ? 2 : 3, services.count)
        let table = male ? maleServices : femaleServices
        var out: [Int] = []
        var tries = 0
        while out.count < want && tries < 20 {
            let s = table.pick(&rng)
            if !out.contains(s) { out.append(s) }
            tries += 1
        }
        return out
    }
}

// MARK: People

/// A person of the sample: a seeker, or someone in the police extract.
struct SamplePerson {
    /// The first 17 digits of the ID number.
    let body: UInt64
    /// The normalized ID number.
    let id: String
    let name: String
    /// Days since 1970-01-01.
    let birth: Int
    let male: Bool
    /// Index into the districts when the ID number was issued in one of them.
    let homeDistrict: Int?
}

/// Makes people with valid, never-repeated ID numbers.
struct PersonFactory {
    let catalog: SampleCatalog
    let asOf: CivilDate
    // Every ID number handed out, so that no two people share one by accident (a police
    // record then names a seeker only when the sample means it to).
    private var used: Set<UInt64> = []

    init(catalog: SampleCatalog, asOf: CivilDate, expected: Int) {
        self.catalog = catalog
        self.asOf = asOf
        used.reserveCapacity(expected)
    }

    /// A job seeker: mostly women, mostly 20 to 60, a few under 18 or over 65.
    mutating func seeker(_ rng: inout SampleRandom) -> SamplePerson {
        let male = rng.percent(12)
        let age = Self.seekerAge(&rng)
        return make(male: male, age: age, wenzhouPerMille: 680, &rng)
    }

    /// A seeker's age: mostly 20 to 60, a few under 18 or over 65.
    static func seekerAge(_ rng: inout SampleRandom) -> Int {
        let r = rng.below(1000)
        if r < 8 {
            return rng.within(16...17)
        } else if r < 30 {
            return rng.within(18...19)
        } else if r < 960 {
            // 20-60, most between 35 and 55.
            return rng.percent(55) ? rng.within(35...55) : 20 + (rng.below(41) + rng.below(41)) / 2
        } else if r < 995 {
            return rng.within(61...65)
        } else {
            return rng.within(66...72)
        }
    }

    /// A seeker of the given sex and age (completed years on the as-of date).
    mutating func seeker(male: Bool, age: Int, _ rng: inout SampleRandom) -> SamplePerson {
        make(male: male, age: age, wenzhouPerMille: 680, &rng)
    }

    /// Someone in the police extract who is not a seeker: mostly men, 18 to 80.
    mutating func offender(_ rng: inout SampleRandom) -> SamplePerson {
        let male = rng.percent(80)
        let age = 18 + (rng.below(63) + rng.below(63)) / 2
        return make(male: male, age: age, wenzhouPerMille: 450, &rng)
    }

    private mutating func make(male: Bool, age: Int, wenzhouPerMille: Int, _ rng: inout SampleRandom) -> SamplePerson {
        // A birthday that makes `age` the completed years on the as-of date.
        let latest = asOf.yearsEarlier(age).daysSinceEpoch
        let earliest = asOf.yearsEarlier(age + 1).daysSinceEpoch + 1
        let birth = earliest + rng.below(latest - earliest + 1)
        let born = CivilDate(daysSinceEpoch: birth)
        let origin = rng.below(1000)
        let uyghur = origin < 5
        var region: Int
        var district: Int?
        if uyghur {
            region = Int(rng.pick(SampleNames.xinjiangRegions))!
        } else if origin < 5 + wenzhouPerMille {
            let r = catalog.wenzhouRegions.pick(&rng)
            region = r.code
            district = r.district
            // Numbers issued in the 1980s keep the county codes of the time.
            if born.year < 1985, rng.percent(10) { region = Int(rng.pick(SampleNames.oldWenzhouRegions))! }
        } else {
            region = catalog.otherRegions.pick(&rng)
        }
        let date = UInt64(born.year * 10_000 + born.month * 100 + born.day)
        let base = UInt64(region) * 100_000_000_000 + date * 1000
        var body = base
        var found = false
        for _ in 0..<64 {
            body = base + UInt64(rng.below(500) * 2 + (male ? 1 : 0))
            if used.insert(body).inserted { found = true; break }
        }
        if !found {
            for seq in stride(from: male ? 1 : 0, to: 1000, by: 2) where used.insert(base + UInt64(seq)).inserted {
                body = base + UInt64(seq)
                break
            }
        }
        let name = catalog.name(male: male, birthYear: born.year, wenzhou: district != nil || region / 100 == 3303,
                                uyghur: uyghur, &rng)
        return SamplePerson(body: body, id: IDText.normalized(body), name: name, birth: birth, male: male,
                      homeDistrict: district)
    }
}

/// What later rows need to know about the seekers registered so far (for re-registrations
/// and decisions), kept as columns so that a million people stay small.
struct SeekerStore {
    var body: [UInt64] = []
    var name: [String] = []
    var birth: [Int32] = []
    var phone: [UInt64] = []
    var district: [Int32] = []
    var institution: [Int32] = []  // -1: none
    var applied: [Int32] = []

    var count: Int { body.count }

    init(capacity: Int) {
        body.reserveCapacity(capacity)
        name.reserveCapacity(capacity)
        birth.reserveCapacity(capacity)
        phone.reserveCapacity(capacity)
        district.reserveCapacity(capacity)
        institution.reserveCapacity(capacity)
        applied.reserveCapacity(capacity)
    }

    mutating func append(_ p: SamplePerson, _ r: Registration) {
        body.append(p.body)
        name.append(p.name)
        birth.append(Int32(p.birth))
        phone.append(r.phone)
        district.append(Int32(r.district))
        institution.append(Int32(r.institution ?? -1))
        applied.append(Int32(r.applied))
    }
}

/// One registration of a seeker, before it is written.
struct Registration {
    var applicationID: String
    var phone: UInt64
    var district: Int
    var services: [Int]
    var institution: Int?
    var health: HealthCheck
    var healthDay: Int?
    var applied: Int
}

/// An institution as the other files need it.
struct SampleInstitution {
    let id: String
    /// 0 poor, 1 ordinary, 2 excellent: shifts its workers' ratings.
    let quality: Int
}
