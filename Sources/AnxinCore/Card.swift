/// The colour of a card's code, as the province's "peace-of-mind code".
public enum CodeColour: String, Sendable, Hashable, CaseIterable, Codable {
    /// Every eligibility requirement holds.
    case green
    /// Issued, but a requirement other than screening is unmet tonight.
    case yellow
    /// Screened: a police record disqualifies.
    case red

    /// What the colour means, for employers and officials.
    public var meaning: String {
        switch self {
        case .green: return "green: qualified; every requirement holds"
        case .yellow: return "yellow: card issued, but a requirement is not met at present"
        case .red: return "red: suspended after screening; not to be placed in a home"
        }
    }

    /// The meaning in Chinese.
    public var meaningZH: String {
        switch self {
        case .green: return "绿码：资格齐全，可以放心服务"
        case .yellow: return "黄码：已发卡，但目前有条件未满足"
        case .red: return "红码：经审查暂停服务资格"
        }
    }
}

/// A card number: prefix + year of first issue + 6-digit serial + ISO 7064 MOD 11-2 check
/// character over the ten digits, e.g. `WZ2019000123X`.
public struct CardNumber: Hashable, Comparable, Sendable, CustomStringConvertible {
    public let prefix: String
    public let year: Int
    public let serial: Int

    /// The largest serial a year can hold.
    public static let maxSerial = 999_999

    /// A number; `serial` must be 1...999,999 and `year` four digits.
    public init?(prefix: String, year: Int, serial: Int) {
        guard (1000...9999).contains(year), (1...CardNumber.maxSerial).contains(serial) else { return nil }
        self.prefix = prefix
        self.year = year
        self.serial = serial
    }

    /// The ten digits: the year, then the serial padded to six.
    private var digits: [Int] {
        var d = [Int](repeating: 0, count: 10)
        var y = year, s = serial
        for i in stride(from: 3, through: 0, by: -1) { d[i] = y % 10; y /= 10 }
        for i in stride(from: 9, through: 4, by: -1) { d[i] = s % 10; s /= 10 }
        return d
    }

    /// The check character over the year and serial digits.
    public var check: Character { ISO7064.checkCharacter(digits) }

    /// The printed number, built from bytes: it runs for every card of a night's commit.
    public var description: String {
        var prefix = prefix
        return prefix.withUTF8 { p in
            String(unsafeUninitializedCapacity: p.count + 11) { out in
                for i in 0..<p.count { out[i] = p[i] }
                var (y, s, q) = (year, serial, 0)
                for i in stride(from: 3, through: 0, by: -1) { out[p.count + i] = UInt8(0x30 + y % 10); y /= 10 }
                for i in stride(from: 9, through: 4, by: -1) { out[p.count + i] = UInt8(0x30 + s % 10); s /= 10 }
                // ISO7064.checkCharacter over the ten digits.
                for i in 0..<10 { q = ((q + Int(out[p.count + i] - 0x30)) * 2) % 11 }
                let c = (12 - q) % 11
                out[p.count + 10] = c == 10 ? UInt8(ascii: "X") : UInt8(0x30 + c)
                return p.count + 11
            }
        }
    }

    /// Parses a printed number, checking its check character.
    public static func parse(_ text: String) -> CardNumber? {
        let t = text.uppercased()
        guard t.count >= 12 else { return nil }
        let tail = t.suffix(11)
        let prefix = String(t.dropLast(11))
        guard !prefix.isEmpty, prefix.allSatisfy({ $0.isASCII && $0.isLetter }),
              let year = Int(tail.prefix(4)), let serial = Int(tail.dropFirst(4).prefix(6)),
              tail.prefix(10).allSatisfy(\.isASCII), tail.prefix(10).allSatisfy(\.isNumber),
              let number = CardNumber(prefix: prefix, year: year, serial: serial),
              number.check == tail.last else { return nil }
        return number
    }

    public static func < (a: CardNumber, b: CardNumber) -> Bool { (a.year, a.serial) < (b.year, b.serial) }

    static func pad(_ n: Int) -> String {
        let s = String(n)
        return String(repeating: "0", count: max(0, 6 - s.count)) + s
    }
}

/// A card as the registry holds it tonight, before this run changes anything.
public struct RegisteredCard: Sendable, Hashable {
    public var number: CardNumber
    public var idNumber: IDNumber
    public var colour: CodeColour
    /// Reasons behind a yellow or red colour, sorted.
    public var reasons: [String]

    /// A card with its current colour.
    public init(number: CardNumber, idNumber: IDNumber, colour: CodeColour, reasons: [String]) {
        self.number = number
        self.idNumber = idNumber
        self.colour = colour
        self.reasons = reasons
    }
}

/// The registry's state handed to the planner as a value.
public struct RegistryState: Sendable {
    /// Every card, by the ID number it is bound to.
    public var cards: [IDNumber: RegisteredCard]
    /// The last serial given in each year of issue.
    public var lastSerial: [Int: Int]

    /// A state.
    public init(cards: [IDNumber: RegisteredCard], lastSerial: [Int: Int]) {
        self.cards = cards
        self.lastSerial = lastSerial
    }

    /// An empty registry.
    public static let empty = RegistryState(cards: [:], lastSerial: [:])
}

/// A card issued tonight.
public struct NewCard: Sendable, Hashable {
    public var number: CardNumber
    public var idNumber: IDNumber
    public var colour: CodeColour
    /// The card holder's position in the results the plan was made from.
    public var person: Int
}

/// A card whose colour changes tonight.
public struct ColourChange: Sendable, Hashable {
    public var number: CardNumber
    public var idNumber: IDNumber
    /// Nil for a card issued tonight.
    public var from: CodeColour?
    public var to: CodeColour
    public var reasons: [String]
}

/// What the registry is to commit: computed from its state, never by touching it.
public struct IssuancePlan: Sendable {
    public var newCards: [NewCard]
    /// Every colour change, issues included (from nil).
    public var changes: [ColourChange]
    /// Tonight's colour and reasons of each card the registry held before, for its holders
    /// seen in tonight's extracts (a new card is green, with no reasons: see `newCards`).
    public var colours: [IDNumber: (colour: CodeColour, reasons: [String])]
    /// Cards of people absent from tonight's extracts: they keep their last colour.
    public var notSeen: [CardNumber]
    /// Serials used up to, by year, after the plan.
    public var lastSerial: [Int: Int]

    /// Cards by colour after the plan (seen and not seen).
    public var byColour: [CodeColour: Int]
}

/// Why a plan cannot be made.
public enum CardPlanError: Error, Sendable, Equatable, CustomStringConvertible {
    /// A year's six-digit serials ran out.
    case serialsExhausted(year: Int)

    public var description: String {
        switch self {
        case .serialsExhausted(let year): return "the card serials of \(year) are used up (999,999): the number format needs a change"
        }
    }
}

/// The colour a result gives a card, with its reasons.
public func colour(for result: PersonResult) -> (CodeColour, [String]) {
    switch result.status {
    case .card: return (.green, [])
    case .screened: return (.red, result.reasons.filter { $0.hasPrefix("screened:") })
    case .review, .pending: return (.yellow, result.reasons)
    }
}

/// Plans tonight's cards: a card for every newly eligible person, numbered in order of ID
/// number (so a rerun gives the same numbers), and every card's colour.
public func planCards(_ results: [PersonResult], registry: RegistryState, policy: CardPolicy,
                      asOf: CivilDate) throws(CardPlanError) -> IssuancePlan {
    var lastSerial = registry.lastSerial
    var newCards: [NewCard] = []
    var changes: [ColourChange] = []
    var colours: [IDNumber: (colour: CodeColour, reasons: [String])] = [:]
    colours.reserveCapacity(registry.cards.count)
    var seen: Set<IDNumber> = []  // card holders of the registry met tonight
    var byColour: [CodeColour: Int] = [:]
    let year = asOf.year
    let keys = results.map(\.person.idNumber.sortKey)
    let order = zip(keys, keys.dropFirst()).allSatisfy { $0 < $1 } ? Array(results.indices) : results.indices.sorted { keys[$0] < keys[$1] }
    // Each result is read in place: a copy of each of a million would retain all its text.
    for position in order {
        let id = results[position].person.idNumber
        if let card = registry.cards[id] {
            let (c, reasons) = colour(for: results[position])
            seen.insert(id)
            colours[id] = (c, reasons)
            byColour[c, default: 0] += 1
            if card.colour != c {
                changes.append(ColourChange(number: card.number, idNumber: id, from: card.colour, to: c, reasons: reasons))
            }
        } else if results[position].status == .card {
            let serial = (lastSerial[year] ?? 0) + 1
            guard let number = CardNumber(prefix: policy.prefix, year: year, serial: serial) else {
                throw .serialsExhausted(year: year)
            }
            lastSerial[year] = serial
            newCards.append(NewCard(number: number, idNumber: id, colour: .green, person: position))
            changes.append(ColourChange(number: number, idNumber: id, from: nil, to: .green, reasons: []))
            byColour[.green, default: 0] += 1
        }
    }
    var notSeen: [CardNumber] = []
    for (id, card) in registry.cards where !seen.contains(id) {
        notSeen.append(card.number)
        byColour[card.colour, default: 0] += 1
    }
    return IssuancePlan(newCards: newCards, changes: changes, colours: colours, notSeen: notSeen.sorted(),
                        lastSerial: lastSerial, byColour: byColour)
}

/// Names as the public may see them: the first and last characters, the rest hidden
/// (王*兰, 王*, A*****a).
public func maskedName(_ name: String) -> String {
    let chars = Array(name)
    switch chars.count {
    case 0: return ""
    case 1: return String(chars[0])
    case 2: return String(chars[0]) + "*"
    default: return String(chars[0]) + String(repeating: "*", count: chars.count - 2) + String(chars[chars.count - 1])
    }
}
