import Testing
@testable import AnxinCore

/// The check character by the weighted-sum form of GB 11643-1999 (weights 2^(17-i) mod 11),
/// written independently of `ISO7064` to cross-check it.
func referenceCheckCharacter(_ digits: [Int]) -> Character {
    // Position i of n (1-based) weighs 2^(n + 1 - i) mod 11: 7, 9, 10, 5, ... for 17 digits.
    var weight = 2
    var weights: [Int] = []
    for _ in digits { weights.insert(weight, at: 0); weight = weight * 2 % 11 }
    let sum = zip(digits, weights).reduce(0) { $0 + $1.0 * $1.1 } % 11
    let value = (12 - sum) % 11
    return value == 10 ? "X" : Character(String(value))
}

@Suite("IDNumber and ISO 7064")
struct IDNumberTests {
    static let validIDs = [
        "11010519491231002X", "440524188001010014", "110101199003074477",
        IDs.male, IDs.female, IDs.maleX, IDs.femaleLeapX,
    ]

    // MARK: ISO 7064 MOD 11-2

    @Test("the check character of known vectors", arguments: validIDs)
    func knownVectors(_ id: String) {
        let digits = id.prefix(17).map { Int(String($0))! }
        #expect(ISO7064.checkCharacter(digits) == id.last!)
        #expect(referenceCheckCharacter(digits) == id.last!)
    }

    @Test("the standard's own examples: 079 → X, 0794 → 0")
    func standardExamples() {
        #expect(ISO7064.checkCharacter([0, 7, 9]) == "X")
        #expect(ISO7064.checkCharacter([0, 7, 9, 4]) == "0")
        #expect(ISO7064.checkCharacter([2, 0, 1, 9, 0, 0, 0, 0, 0, 1]) == "8")
        #expect(ISO7064.checkCharacter([2, 0, 1, 9, 0, 0, 0, 0, 0, 2]) == "6")
    }

    @Test("ISO7064 agrees with the weighted-sum form on many digit strings")
    func agreesWithWeightedSum() {
        var state: UInt64 = 0x9E37_79B9_7F4A_7C15
        var disagreements: [[Int]] = []
        var seen: Set<Character> = []
        for round in 0..<3000 {
            let length = [10, 17][round % 2]
            var digits: [Int] = []
            for _ in 0..<length {
                state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
                digits.append(Int((state >> 33) % 10))
            }
            let c = ISO7064.checkCharacter(digits)
            seen.insert(c)
            if c != referenceCheckCharacter(digits) { disagreements.append(digits) }
        }
        #expect(disagreements.isEmpty)
        #expect(seen.count == 11)  // every check character, X included, was produced
    }

    @Test("a single changed digit always changes the check character")
    func detectsSingleDigitErrors() {
        let digits = IDs.male.prefix(17).map { Int(String($0))! }
        let check = ISO7064.checkCharacter(digits)
        for i in digits.indices {
            for d in 0...9 where d != digits[i] {
                var changed = digits
                changed[i] = d
                #expect(ISO7064.checkCharacter(changed) != check)
            }
        }
    }

    // MARK: Parsing

    @Test("valid numbers parse to themselves", arguments: validIDs)
    func validParse(_ id: String) throws {
        let parsed = try IDNumber.parse(id).get()
        #expect(parsed.value == id)
    }

    @Test("full-width digits, lower-case x, inner spaces and ideographic spaces normalize alike", arguments: [
        "11010519491231002x", "１１０１０５１９４９１２３１００２Ｘ", "１１０１０５１９４９１２３１００２ｘ",
        "110105 19491231 002X", "110105\u{3000}19491231\u{3000}002x", "  11010519491231002X  ",
        "\u{3000}110105 1949 1231 002 x\u{3000}", "110105-19491231-002X",
    ])
    func normalization(_ text: String) throws {
        #expect(IDNumber.normalize(text) == "11010519491231002X")
        #expect(try IDNumber.parse(text).get() == IDNumber(trusted: "11010519491231002X"))
    }

    @Test("a wrong check character is bad_id_check", arguments: validIDs)
    func wrongCheckCharacter(_ id: String) {
        for c in "0123456789X" where c != id.last! {
            let wrong = String(id.dropLast()) + String(c)
            #expect(IDNumber.parse(wrong) == .failure(.checkCharacter), "\(wrong)")
        }
    }

    @Test("malformed numbers are bad_id", arguments: [
        "33030219900101123",        // 17 characters
        "3303021990010112355",      // 19 characters
        "330302199O01011235",       // letter O inside
        "33030219900101A235",       // letter inside the sequence
        "3303021990010112X5",       // X not at the end
        "33030219990230123X",       // 1999-02-30 does not exist (check character otherwise right)
        "330302199913011235",       // month 13
        "330302199001001235",       // day 0
        "030302199001011235",       // no region starts with 0
        "33030219900101123Y",       // Y is no check character
        "",
        "not an id number",
    ])
    func malformed(_ text: String) {
        #expect(IDNumber.parse(text) == .failure(.format))
    }

    @Test("the problems carry the contract's reason codes")
    func problemCodes() {
        #expect(IDNumber.Problem.format.rawValue == RejectReason.badID.rawValue)
        #expect(IDNumber.Problem.checkCharacter.rawValue == RejectReason.badIDCheck.rawValue)
    }

    // MARK: What a number carries

    @Test("birth date, sex, region and mask", arguments: [
        (IDs.male, day(1990, 1, 1), true, "330302"),
        (IDs.female, day(1985, 6, 15), false, "330303"),
        (IDs.maleX, day(1992, 3, 15), true, "330302"),
        (IDs.femaleLeapX, day(2000, 2, 29), false, "110105"),
        ("11010519491231002X", day(1949, 12, 31), false, "110105"),
        ("440524188001010014", day(1880, 1, 1), true, "440524"),
        ("110101199003074477", day(1990, 3, 7), true, "110101"),
    ])
    func carriedFields(_ text: String, _ birth: CivilDate, _ male: Bool, _ region: String) throws {
        let id = try IDNumber.parse(text).get()
        #expect(id.birthDate == birth)
        #expect(id.isMale == male)
        #expect(id.region == Substring(region))
        #expect(id.masked == region + "********" + text.suffix(4))
    }

    @Test("ordering and equality are by the normalized value")
    func ordering() throws {
        let a = try IDNumber.parse("１１０１０５１９４９１２３１００２ｘ").get()
        let b = try IDNumber.parse("11010519491231002X").get()
        #expect(a == b)
        #expect(a.hashValue == b.hashValue)
        #expect(IDNumber(trusted: IDs.male) < IDNumber(trusted: IDs.female))  // 330302... < 330303...
        #expect(a.description == "11010519491231002X")
    }
}
