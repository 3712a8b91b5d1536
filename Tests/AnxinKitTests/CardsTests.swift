import AnxinCore
import Foundation
import Testing
@testable import AnxinKit

/// People for the planner, built in code.
enum Cards {
    static let asOf = CivilDate(year: 2019, month: 8, day: 29)!

    static func id(_ n: Int) -> IDNumber {
        let digits = "33030219800101" + String(format: "%03d", n) 
        let check = ISO7064.checkCharacter(digits.map { Int(String($0))! })
        return IDNumber(trusted: digits + String(check))
    }

    static func person(_ n: Int, _ status: PersonStatus, reasons: [String] = []) -> PersonResult {
        let s = Seeker(applicationID: "A\(n)", name: "王秀兰", idNumber: id(n), sex: n % 2 == 1 ? .male : .female,
                       birthDate: CivilDate(year: 1980, month: 1, day: 1)!, phone: "13812345678", district: "330302",
                       serviceAreas: ["cleaning"], institutionID: "WZJZ0001", healthCheck: .passed,
                       healthCheckedOn: asOf, appliedOn: asOf)
        return PersonResult(person: Person(s), status: status, reasons: reasons, qualifiedAreas: ["cleaning"], age: 39)
    }

    static func temporaryDirectory() throws -> String {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("anxin-cards-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        return dir
    }

    static func key(in dir: String, mode: Int = 0o600, bytes: Int = 32) -> String {
        let path = dir + "/key-\(UUID().uuidString)"
        var g = SystemRandomNumberGenerator()
        #expect(FileManager.default.createFile(atPath: path, contents: Data((0..<bytes).map { _ in UInt8.random(in: 0...255, using: &g) }),
                                       attributes: [.posixPermissions: mode]))
        return path
    }

    /// Plans and commits one night against a real registry file.
    @discardableResult
    static func night(_ registry: Registry, _ people: [PersonResult], asOf: CivilDate = asOf, run: String) throws -> IssuancePlan {
        let (state, snapshots) = try registry.state()
        let plan = try planCards(people, registry: state, policy: .default, asOf: asOf)
        try registry.commit(plan, people: people, state: state, snapshots: snapshots, night: Registry.Night(
            asOf: asOf.description, runID: run, registrations: people.count, people: people.count, screened: 0,
            review: 0, pending: 0, cardsGreen: plan.byColour[.green] ?? 0, cardsYellow: plan.byColour[.yellow] ?? 0,
            cardsRed: plan.byColour[.red] ?? 0, cardsNew: plan.newCards.count, notSeen: plan.notSeen.count))
        return plan
    }
}

@Suite("Card numbers")
struct CardNumberTests {
    @Test("check characters by ISO 7064 MOD 11-2, including X", arguments: [
        (2019, 1, "WZ20190000018"), (2019, 123, "WZ2019000123"), (2018, 7, "WZ2018000007"),
    ])
    func checkCharacters(year: Int, serial: Int, prefixOfExpected: String) throws {
        let n = try #require(CardNumber(prefix: "WZ", year: year, serial: serial))
        #expect(n.description.hasPrefix(prefixOfExpected))
        #expect(n.description.count == 13)
        // The same algorithm as resident ID numbers: recompute with the weights 2^(n-i) mod 11.
        let digits = Array(String(year) + String(format: "%06d", serial)).map { Int(String($0))! }
        var sum = 0
        for (i, d) in digits.enumerated() { sum += d * (1 << (10 - i)) % 11 }
        let c = (12 - sum % 11) % 11
        #expect(n.check == (c == 10 ? "X" : Character(String(c))))
        #expect(CardNumber.parse(n.description) == n)
    }

    @Test("the printed number is the prefix, the year, the serial in six digits and the check character, for any prefix",
          arguments: ["WZ", "", "浙C"])
    func printed(prefix: String) throws {
        for year in [1000, 2019, 9999] {
            for serial in Array(1...3000) + [999_999] {
                let n = try #require(CardNumber(prefix: prefix, year: year, serial: serial))
                #expect(n.description == prefix + String(year) + String(format: "%06d", serial) + String(n.check))
            }
        }
    }

    @Test("a number ending in X, and a wrong check character refused")
    func endingInX() throws {
        let x = try #require((1...200).lazy.compactMap { CardNumber(prefix: "WZ", year: 2019, serial: $0) }.first { $0.check == "X" })
        #expect(x.description.hasSuffix("X"))
        #expect(CardNumber.parse(x.description) == x)
        #expect(CardNumber.parse(String(x.description.dropLast()) + "0") == nil)
        #expect(CardNumber.parse("WZ2019000001") == nil)
    }

    @Test("masked names")
    func masking() {
        #expect(maskedName("王秀兰") == "王*兰")
        #expect(maskedName("王兰") == "王*")
        #expect(maskedName("阿依古丽·买买提") == "阿******提")
    }
}

@Suite("Card registry")
struct RegistryTests {
    @Test("numbers follow the ID order, are stable across runs, and a second night issues nothing")
    func stableNumbers() throws {
        let dir = try Cards.temporaryDirectory()
        let people = [Cards.person(3, .card), Cards.person(1, .card), Cards.person(2, .pending, reasons: ["health_expired"])]
        // The same plan twice from the same state: the same numbers.
        let a = try planCards(people, registry: .empty, policy: .default, asOf: Cards.asOf)
        let b = try planCards(people.reversed(), registry: .empty, policy: .default, asOf: Cards.asOf)
        #expect(a.newCards.map(\.number) == b.newCards.map(\.number))
        #expect(a.newCards.map(\.idNumber) == b.newCards.map(\.idNumber))
        #expect(a.newCards.map(\.idNumber) == [Cards.id(1), Cards.id(3)])
        #expect(a.newCards.map(\.number.serial) == [1, 2])

        let registry = try Registry(path: dir + "/registry.sqlite")
        let first = try Cards.night(registry, people, run: "r1")
        let second = try Cards.night(registry, people, run: "r2")
        #expect(first.newCards.count == 2)
        #expect(second.newCards.isEmpty && second.changes.isEmpty)
        var numbers: [String] = []
        try registry.forEachCard { numbers.append($0.number) }
        #expect(numbers == first.newCards.map(\.number.description))
        #expect(try registry.nights().count == 1)  // one row per night, a rerun replaces it
        let mode = try FileManager.default.attributesOfItem(atPath: dir + "/registry.sqlite")[.posixPermissions] as? Int
        #expect(mode == 0o600)
        // A new registry's pages are 16 KiB (the file header's bytes 16-17, big-endian).
        let header = try #require(FileManager.default.contents(atPath: dir + "/registry.sqlite")?.prefix(100))
        #expect(header.count == 100 && Int(header[16]) << 8 | Int(header[17]) == 16_384)
    }

    @Test("a new card holds its holder's details as the file has them, with none, one or several service areas")
    func newCardDetails() throws {
        let dir = try Cards.temporaryDirectory()
        var people = [Cards.person(1, .card), Cards.person(2, .card), Cards.person(3, .card)]
        people[0].qualifiedAreas = []
        people[1].qualifiedAreas = ["cleaning", "elderly_care", "nursing"]
        people[2].person.institutionID = nil
        people[2].person.birthDate = CivilDate(year: 1966, month: 12, day: 9)!
        people[2].person.name = "欧阳,\"娜\""
        let registry = try Registry(path: dir + "/registry.sqlite")
        let plan = try Cards.night(registry, people, run: "r1")
        for (card, person) in zip(plan.newCards, people) {
            let row = try #require(try registry.card(card.number.description))
            #expect(row.idNumber == person.person.idNumber.value)
            #expect(row.name == person.person.name)
            #expect(row.birthDate == person.person.birthDate.description)
            #expect(row.district == person.person.district)
            #expect(row.serviceAreas == person.qualifiedAreas)
            #expect(row.institutionID == (person.person.institutionID ?? ""))
            #expect(row.issuedOn == Cards.asOf.description && row.colourSince == Cards.asOf.description)
            #expect(row.colour == .green && row.reasons.isEmpty)
        }
    }

    @Test("revoked, then reactivated with the same number, with every change in the history")
    func revocationAndReactivation() throws {
        let dir = try Cards.temporaryDirectory()
        let registry = try Registry(path: dir + "/registry.sqlite")
        try Cards.night(registry, [Cards.person(1, .card)], run: "r1")
        let number = try #require(try registry.state().0.cards[Cards.id(1)]?.number.description)

        let day2 = CivilDate(year: 2019, month: 8, day: 30)!
        let red = try Cards.night(registry, [Cards.person(1, .screened, reasons: ["screened:theft"])], asOf: day2, run: "r2")
        #expect(red.changes.map(\.to) == [.red])
        #expect(try registry.card(number)?.colour == .red)
        #expect(try registry.card(number)?.reasons == ["screened:theft"])

        let day3 = CivilDate(year: 2019, month: 8, day: 31)!
        try Cards.night(registry, [Cards.person(1, .pending, reasons: ["health_expired"])], asOf: day3, run: "r3")
        let day4 = CivilDate(year: 2019, month: 9, day: 1)!
        let green = try Cards.night(registry, [Cards.person(1, .card)], asOf: day4, run: "r4")
        #expect(green.newCards.isEmpty)
        #expect(try registry.card(number)?.colour == .green)
        #expect(try registry.card(number)?.reasons == [])

        let history = try registry.history(number)
        #expect(history.map(\.from) == [nil, .green, .red, .yellow])
        #expect(history.map(\.to) == [.green, .red, .yellow, .green])
        #expect(history.map(\.asOf) == ["2019-08-29", "2019-08-30", "2019-08-31", "2019-09-01"])
        #expect(history[1].reasons == ["screened:theft"])
        #expect(history.map(\.runID) == ["r1", "r2", "r3", "r4"])
        #expect(try registry.nights().count == 4)
    }

    @Test("a card holder absent tonight keeps the last colour and counts as not seen; no number passes on")
    func notSeen() throws {
        let dir = try Cards.temporaryDirectory()
        let registry = try Registry(path: dir + "/registry.sqlite")
        try Cards.night(registry, [Cards.person(1, .card), Cards.person(2, .card)], run: "r1")
        let plan = try Cards.night(registry, [Cards.person(2, .card), Cards.person(3, .card)],
                                   asOf: CivilDate(year: 2019, month: 8, day: 30)!, run: "r2")
        #expect(plan.notSeen.count == 1)
        #expect(plan.byColour[.green] == 3)
        #expect(plan.newCards.map(\.number.serial) == [3])
    }

    @Test("a failed commit leaves the registry unchanged")
    func atomicCommit() throws {
        let dir = try Cards.temporaryDirectory()
        let registry = try Registry(path: dir + "/registry.sqlite")
        try Cards.night(registry, [Cards.person(1, .card)], run: "r1")
        // A plan that reuses an issued serial violates UNIQUE(year, serial) half-way through.
        let (state, snapshots) = try registry.state()
        var plan = try planCards([Cards.person(2, .card), Cards.person(3, .card)], registry: state, policy: .default, asOf: Cards.asOf)
        plan.newCards[1].number = plan.newCards[0].number
        #expect(throws: PipelineError.self) {
            try registry.commit(plan, people: [Cards.person(2, .card), Cards.person(3, .card)], state: state, snapshots: snapshots,
                                night: Registry.Night(asOf: "2019-08-30", runID: "r2", registrations: 2, people: 2, screened: 0,
                                                      review: 0, pending: 0, cardsGreen: 3, cardsYellow: 0, cardsRed: 0,
                                                      cardsNew: 2, notSeen: 1))
        }
        var count = 0
        try registry.forEachCard { _ in count += 1 }
        #expect(count == 1)
        #expect(try registry.nights().map(\.asOf) == ["2019-08-29"])
    }
}

@Suite("Values made on a second thread")
struct HandoffTests {
    @Test func valuesArriveInOrderAnErrorComesThroughAndCancelStopsTheProducer() throws {
        let feed = Handoff<Int, Int>(name: "test") { hand in
            for i in 0..<100 { try hand(i) }
            return 100
        }
        var seen: [Int] = []
        while let i = try feed.next() { seen.append(i) }
        #expect(seen == Array(0..<100))
        #expect(feed.result == 100)

        struct Broken: Error {}
        let failing = Handoff<Int, Void>(name: "test") { hand in
            try hand(1)
            throw Broken()
        }
        #expect(try failing.next() == 1)
        #expect(throws: Broken.self) { _ = try failing.next() }

        // A consumer that fails stops the producer, which would otherwise wait for room forever.
        let endless = Handoff<Int, Void>(name: "test") { hand in while true { try hand(0) } }
        _ = try endless.next()
        endless.cancel()
        endless.cancel()
    }

    @Test func rowsLaidOutForSQLiteKeepEmptyTextsAsText() throws {
        var rows = BoundRows()
        rows.text(""); rows.texts([], separator: 0x3B); rows.int(7); rows.endRow()
        rows.text("甲"); rows.texts(["a", "b"], separator: 0x3B); rows.date(CivilDate(year: 2019, month: 8, day: 9)!); rows.endRow()
        #expect(rows.count == 2)
        #expect(String(decoding: rows.bytes, as: UTF8.self) == "甲a;b2019-08-09")
        rows.removeAll()
        #expect(rows.count == 0 && rows.bytes.isEmpty)
    }
}

@Suite("Signed QR payloads")
struct SignerTests {
    @Test("a payload verifies; tampered ones and another key's do not")
    func verify() throws {
        let dir = try Cards.temporaryDirectory()
        let signer = try CardSigner(keyFile: Cards.key(in: dir), base: "https://anxin.example.org/")
        let number = try #require(CardNumber(prefix: "WZ", year: 2019, serial: 123))
        let payload = signer.payload(number)
        #expect(payload.hasPrefix("https://anxin.example.org/c/\(number)."))
        #expect(!payload.contains("330302"))
        #expect(try signer.verify(payload).get() == number)

        let other = try CardSigner(keyFile: Cards.key(in: dir), base: "https://anxin.example.org")
        #expect(other.verify(payload) == .failure(.badSignature(number.description)))
        let sig = String(payload.split(separator: ".").last!)
        let flipped = String(sig.dropLast()) + (sig.last == "A" ? "B" : "A")
        #expect(signer.verify(payload.replacingOccurrences(of: sig, with: flipped)) == .failure(.badSignature(number.description)))
        let another = try #require(CardNumber(prefix: "WZ", year: 2019, serial: 124))
        #expect(signer.verify(payload.replacingOccurrences(of: number.description, with: another.description))
                == .failure(.badSignature(another.description)))
        #expect(signer.verify("https://anxin.example.org/c/WZ20190001230.abc") == .failure(.badNumber("WZ20190001230")))
        #expect(signer.verify("hello") == .failure(.malformed))
    }

    @Test("a signature whose last character differs only in its unused bits is refused")
    func canonicalSignature() throws {
        let dir = try Cards.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let signer = try CardSigner(keyFile: Cards.key(in: dir), base: "https://anxin.example.org/")
        let number = try #require(CardNumber(prefix: "WZ", year: 2019, serial: 123))
        let payload = signer.payload(number)
        let sig = String(payload.split(separator: ".").last!)
        // 32 bytes are 43 characters; the last carries 2 bits and 4 unused ones.
        let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_")
        let last = try #require(alphabet.firstIndex(of: sig.last!))
        let twin = String(sig.dropLast()) + String(alphabet[last ^ 1])
        #expect(signer.verify(payload.replacingOccurrences(of: sig, with: twin)) == .failure(.badSignature(number.description)))
        #expect(try signer.verify(payload).get() == number)
    }

    @Test("a missing key, a key others can read, and a short key are refused with a fix")
    func keyChecks() throws {
        let dir = try Cards.temporaryDirectory()
        #expect { try CardSigner(keyFile: dir + "/none.key", base: "https://x") } throws: { e in
            (e as? PipelineError)?.description.contains("head -c 32 /dev/urandom") == true
        }
        #expect { try CardSigner(keyFile: Cards.key(in: dir, mode: 0o644), base: "https://x") } throws: { e in
            let text = (e as? PipelineError)?.description ?? ""
            return text.contains("readable by others") && text.contains("chmod 600") && (e as? PipelineError)?.exitCode == 2
        }
        #expect(throws: PipelineError.self) { try CardSigner(keyFile: Cards.key(in: dir, bytes: 8), base: "https://x") }
    }
}

@Suite("Night order")
struct NightOrderTests {
    @Test("a night earlier than the registry's last is refused; the same night is not")
    func earlierNight() throws {
        let f = try Fixture()
        let config = try Configuration.load(path: try f.config())
        try FileManager.default.createDirectory(atPath: f.path("var"), withIntermediateDirectories: true)
        let registry = try Registry(path: config.paths.registry)
        try CardsStage.checkNightOrder(config)
        try Cards.night(registry, [Cards.person(1, .card)], asOf: config.asOf, run: "r1")
        try CardsStage.checkNightOrder(config)
        try Cards.night(registry, [Cards.person(1, .card)], asOf: config.asOf.adding(days: 1), run: "r2")
        #expect { try CardsStage.checkNightOrder(config) } throws: { e in
            (e as? PipelineError)?.exitCode == 2 && (e as? PipelineError)?.description.contains("2019-08-30") == true
        }
    }
}
