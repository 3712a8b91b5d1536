import AnxinCore
import Foundation
import GRDB
import GRDBSQLite

/// The card registry: an embedded SQLite database (WAL) that remembers every card, every
/// change of colour and one row per night across runs. Only this file knows GRDB.
public final class Registry: Sendable {
    private let db: DatabaseQueue
    /// The database file.
    public let path: String

    /// Opens (creating if needed, owner-only) and migrates the registry at `path`. The
    /// connection that commits a night asks for `commitCache` (see below); one that reads does
    /// as well with SQLite's default, and does not hold a copy of the pages it has read.
    public init(path: String, commitCache: Bool = false) throws(PipelineError) {
        self.path = path
        let dir = (path as NSString).deletingLastPathComponent
        do {
            if !dir.isEmpty {
                try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true,
                                                        attributes: [.posixPermissions: 0o700])
            }
            if !FileManager.default.fileExists(atPath: path) {
                // SQLite gives the WAL and shared-memory files the database file's mode.
                guard FileManager.default.createFile(atPath: path, contents: nil, attributes: [.posixPermissions: 0o600]) else {
                    throw PipelineError.io("cannot create the card registry \(path): \(String(cString: strerror(errno)))")
                }
            }
            var configuration = GRDB.Configuration()
            // A new registry gets 16 KiB pages, not SQLite's 4 KiB: the night that fills it (a
            // city's million cards) commits some 15% faster, and a night's few changes still
            // write few pages. An existing registry keeps the size it was made with.
            configuration.prepareDatabase { db in try db.execute(sql: "PRAGMA page_size = 16384") }
            configuration.journalMode = .wal
            configuration.busyMode = .timeout(10)
            if commitCache { configuration.prepareDatabase { db in
                // A night's commit touches every new card's pages: with SQLite's default 2 MB
                // cache they spill to the WAL again and again inside the transaction (hundreds of
                // thousands of writes for a million cards); with room for them, each page is
                // written once, at the commit. The cache only grows as far as it is used.
                try db.execute(sql: "PRAGMA cache_size = -524288")
            } }
            db = try DatabaseQueue(path: path, configuration: configuration)
            try Registry.migrator.migrate(db)
        } catch let e as PipelineError {
            throw e
        } catch {
            throw .io("cannot open the card registry \(path): \(error)")
        }
    }

    static var migrator: DatabaseMigrator {
        var m = DatabaseMigrator()
        // Shipped migrations are never edited; a change of schema is a new migration.
        m.registerMigration("v1") { db in
            try db.execute(sql: """
                CREATE TABLE cards (
                    number TEXT PRIMARY KEY,
                    id_number TEXT NOT NULL UNIQUE,
                    year INTEGER NOT NULL,
                    serial INTEGER NOT NULL,
                    issued_on TEXT NOT NULL,
                    issued_run TEXT NOT NULL,
                    colour TEXT NOT NULL,
                    reasons TEXT NOT NULL,
                    colour_since TEXT NOT NULL,
                    name TEXT NOT NULL,
                    birth_date TEXT NOT NULL,
                    district TEXT NOT NULL,
                    service_areas TEXT NOT NULL,
                    institution_id TEXT NOT NULL,
                    UNIQUE (year, serial)
                ) WITHOUT ROWID;
                CREATE TABLE colour_changes (
                    id INTEGER PRIMARY KEY,
                    number TEXT NOT NULL REFERENCES cards(number),
                    from_colour TEXT,
                    to_colour TEXT NOT NULL,
                    reasons TEXT NOT NULL,
                    as_of TEXT NOT NULL,
                    run_id TEXT NOT NULL
                );
                CREATE INDEX colour_changes_by_card ON colour_changes(number);
                CREATE TABLE serials (
                    year INTEGER PRIMARY KEY,
                    last INTEGER NOT NULL
                );
                CREATE TABLE runs (
                    as_of TEXT PRIMARY KEY,
                    run_id TEXT NOT NULL,
                    committed_at TEXT NOT NULL,
                    registrations INTEGER NOT NULL,
                    people INTEGER NOT NULL,
                    screened INTEGER NOT NULL,
                    review INTEGER NOT NULL,
                    pending INTEGER NOT NULL,
                    cards_green INTEGER NOT NULL,
                    cards_yellow INTEGER NOT NULL,
                    cards_red INTEGER NOT NULL,
                    cards_new INTEGER NOT NULL,
                    not_seen INTEGER NOT NULL
                );
                """)
        }
        return m
    }

    /// The registry's state, for the planner.
    public func state() throws(PipelineError) -> (RegistryState, snapshots: [String: String]) {
        do {
            return try db.read { db in
                var cards: [IDNumber: RegisteredCard] = [:]
                var snapshots: [String: String] = [:]
                // The public details come back as one string per card (SQLite joins them), to
                // compare with tonight's without building five strings a card.
                let rows = try Row.fetchCursor(db, sql: """
                    SELECT number, id_number, colour, reasons, year, serial,
                           name || char(31) || birth_date || char(31) || district || char(31) || service_areas
                               || char(31) || institution_id
                    FROM cards
                    """)
                while let row = try rows.next() {
                    let numberText: String = row[0]
                    let prefix = String(numberText.dropLast(11))
                    guard let number = CardNumber(prefix: prefix, year: row[4], serial: row[5]),
                          let colour = CodeColour(rawValue: row[2]) else {
                        throw PipelineError.dataset("the card registry holds a card \(numberText) it cannot read")
                    }
                    let id = IDNumber(trusted: row[1])
                    let reasons: String = row[3]
                    cards[id] = RegisteredCard(number: number, idNumber: id, colour: colour,
                                               reasons: reasons.isEmpty ? [] : reasons.components(separatedBy: ";"))
                    snapshots[numberText] = row[6]
                }
                var last: [Int: Int] = [:]
                for row in try Row.fetchAll(db, sql: "SELECT year, last FROM serials") { last[row[0]] = row[1] }
                return (RegistryState(cards: cards, lastSerial: last), snapshots)
            }
        } catch let e as PipelineError {
            throw e
        } catch {
            throw .io("cannot read the card registry \(path): \(error)")
        }
    }

    static func snapshot(name: String, birth: String, district: String, areas: String, institution: String) -> String {
        [name, birth, district, areas, institution].joined(separator: "\u{1F}")
    }

    /// The night's counts kept for the Trends sheet.
    public struct Night: Sendable, Codable, Equatable {
        public var asOf: String
        public var runID: String
        public var registrations, people, screened, review, pending: Int
        public var cardsGreen, cardsYellow, cardsRed, cardsNew, notSeen: Int
    }

    /// Commits a plan in one transaction: new cards, colours and reasons, the public details of
    /// every card holder seen tonight whose details changed, the colour history and the night's
    /// counts. Nothing is written unless everything is.
    public func commit(_ plan: IssuancePlan, people: [PersonResult], state: RegistryState,
                       snapshots: [String: String], night: Night) throws(PipelineError) {
        do {
            try db.write { db in
                // One prepared statement each, reused for every row.
                let insert = try db.makeStatement(sql: """
                    INSERT INTO cards (number, id_number, year, serial, issued_on, issued_run, colour, reasons,
                        colour_since, name, birth_date, district, service_areas, institution_id)
                    VALUES (?, ?, ?, ?, ?, ?, ?, '', ?, ?, ?, ?, ?, ?)
                    """)
                let details = try db.makeStatement(sql: """
                    UPDATE cards SET name = ?, birth_date = ?, district = ?, service_areas = ?, institution_id = ?
                    WHERE number = ?
                    """)
                let recolour = try db.makeStatement(sql: "UPDATE cards SET colour = ?, reasons = ?, colour_since = ? WHERE number = ?")
                let reasonsOnly = try db.makeStatement(sql: "UPDATE cards SET reasons = ? WHERE number = ?")
                let history = try db.makeStatement(sql: """
                    INSERT INTO colour_changes (number, from_colour, to_colour, reasons, as_of, run_id)
                    VALUES (?, ?, ?, ?, ?, ?)
                    """)
                // New cards, in number order, straight from the plan, their values laid out for
                // SQLite a batch at a time; each person's fields read in place (a copy of each of
                // a million people would retain all its text). (Laying them out on a second
                // thread made the commit no faster and the report after it a second slower.)
                let b = FastBind(insert, db)
                var rows = BoundRows()
                for card in plan.newCards {
                    let i = card.person
                    rows.text(card.number.description); rows.text(people[i].person.idNumber.value)
                    rows.int(card.number.year); rows.int(card.number.serial)
                    rows.text(night.asOf); rows.text(night.runID); rows.text(card.colour.rawValue); rows.text(night.asOf)
                    rows.text(people[i].person.name); rows.date(people[i].person.birthDate); rows.text(people[i].person.district)
                    rows.texts(people[i].qualifiedAreas, separator: UInt8(ascii: ";")); rows.text(people[i].person.institutionID ?? "")
                    rows.endRow()
                    if rows.count == BoundRows.batchRows {
                        try b.step(rows)
                        rows.removeAll()
                    }
                }
                if rows.count > 0 { try b.step(rows) }
                // Cards issued before: refresh what changed.
                if !state.cards.isEmpty {
                    for r in people {
                        let p = r.person
                        guard let card = state.cards[p.idNumber], let tonight = plan.colours[p.idNumber] else { continue }
                        let areas = r.qualifiedAreas.joined(separator: ";")
                        let institution = p.institutionID ?? ""
                        let number = card.number.description
                        let key = Registry.snapshot(name: p.name, birth: p.birthDate.description, district: p.district,
                                                    areas: areas, institution: institution)
                        if snapshots[number] != key {
                            try details.execute(arguments: [p.name, p.birthDate.description, p.district, areas, institution, number])
                        }
                        if tonight.colour != card.colour {
                            try recolour.execute(arguments: [tonight.colour.rawValue, tonight.reasons.joined(separator: ";"),
                                                             night.asOf, number])
                        } else if tonight.reasons != card.reasons {
                            // Reasons can change while the colour stays (yellow for another reason).
                            try reasonsOnly.execute(arguments: [tonight.reasons.joined(separator: ";"), number])
                        }
                    }
                }
                for c in plan.changes where c.from != nil {
                    try history.execute(arguments: [c.number.description, c.from?.rawValue, c.to.rawValue,
                                                    c.reasons.joined(separator: ";"), night.asOf, night.runID])
                }
                for (year, last) in plan.lastSerial {
                    try db.execute(sql: "INSERT INTO serials (year, last) VALUES (?, ?) ON CONFLICT(year) DO UPDATE SET last = excluded.last",
                                   arguments: [year, last])
                }
                try db.execute(sql: """
                    INSERT OR REPLACE INTO runs (as_of, run_id, committed_at, registrations, people, screened, review, pending,
                        cards_green, cards_yellow, cards_red, cards_new, not_seen)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                    """, arguments: [night.asOf, night.runID, ISO8601DateFormatter().string(from: Date()), night.registrations,
                                     night.people, night.screened, night.review, night.pending, night.cardsGreen,
                                     night.cardsYellow, night.cardsRed, night.cardsNew, night.notSeen])
            }
        } catch {
            throw .io("the card registry \(path) was left unchanged: \(error)")
        }
        // The night is in: what the connection reads from now on needs no more than SQLite's
        // default cache, and the pages the commit kept go back to the system.
        do {
            try db.writeWithoutTransaction { db in try db.execute(sql: "PRAGMA cache_size = -2000; PRAGMA shrink_memory") }
        } catch {
            throw .io("cannot read the card registry \(path): \(error)")
        }
    }

    /// One card as the registry holds it.
    public struct CardRow: Sendable, Equatable, Codable {
        public var number: String
        public var idNumber: String
        public var issuedOn: String
        public var colour: CodeColour
        public var reasons: [String]
        public var colourSince: String
        public var name: String
        public var birthDate: String
        public var district: String
        public var serviceAreas: [String]
        public var institutionID: String
    }

    /// A change of colour.
    public struct HistoryRow: Sendable, Equatable, Codable {
        public var from: CodeColour?
        public var to: CodeColour
        public var reasons: [String]
        public var asOf: String
        public var runID: String
    }

    /// The columns `card(_:)` reads, in its order.
    static let cardColumns = "number, id_number, issued_on, colour, reasons, colour_since, name, birth_date, district, service_areas, institution_id"

    static func card(_ row: Row) -> CardRow {
        func list(_ s: String) -> [String] { s.isEmpty ? [] : s.components(separatedBy: ";") }
        return CardRow(number: row[0], idNumber: row[1], issuedOn: row[2],
                       colour: CodeColour(rawValue: row[3]) ?? .yellow, reasons: list(row[4]),
                       colourSince: row[5], name: row[6], birthDate: row[7],
                       district: row[8], serviceAreas: list(row[9]), institutionID: row[10])
    }

    /// The card with this number, if any.
    public func card(_ number: String) throws(PipelineError) -> CardRow? {
        try read { db in try Row.fetchOne(db, sql: "SELECT \(Registry.cardColumns) FROM cards WHERE number = ?", arguments: [number]).map(Registry.card) }
    }

    /// Every card, in number order, one at a time.
    public func forEachCard(_ body: (CardRow) throws -> Void) throws(PipelineError) {
        try read { db in
            let rows = try Row.fetchCursor(db, sql: "SELECT \(Registry.cardColumns) FROM cards ORDER BY year, serial")
            while let row = try rows.next() { try body(Registry.card(row)) }
        }
    }

    /// Every card, in number order, as the bytes SQLite holds: for readers that meet every card
    /// of a city and want no `CardRow` made for each (the report's Cards sheet). The bytes are
    /// valid only during the call of `body`.
    public func forEachCardText(_ body: (CardText) throws -> Void) throws(PipelineError) {
        try read { db in
            let statement = try db.makeStatement(sql: "SELECT \(Registry.cardColumns) FROM cards ORDER BY year, serial")
            try Registry.forEachRow(statement, db) { st in try body(CardText(statement: st)) }
        }
    }

    /// Steps `statement` through SQLite's C API, calling `body` at each row: no GRDB `Row` is
    /// made, for readers that meet every card of a city.
    private static func forEachRow(_ statement: Statement, _ db: Database, _ body: (OpaquePointer) throws -> Void) throws {
        let st = statement.sqliteStatement
        defer { sqlite3_reset(st) }
        while true {
            let rc = sqlite3_step(st)
            if rc == SQLITE_DONE { break }
            guard rc == SQLITE_ROW else {
                throw DatabaseError(resultCode: ResultCode(rawValue: rc), message: String(cString: sqlite3_errmsg(db.sqliteConnection)))
            }
            try body(st)
        }
    }

    /// A card's colour history, oldest first: its issue (green, from the card's own row), then
    /// every change of colour (`colour_changes`). Issues are not copied into `colour_changes`:
    /// a night that issues a million cards writes a million rows, not two million.
    public func history(_ number: String) throws(PipelineError) -> [HistoryRow] {
        try read { db in
            var rows: [HistoryRow] = []
            if let card = try Row.fetchOne(db, sql: "SELECT issued_on, issued_run FROM cards WHERE number = ?", arguments: [number]) {
                rows.append(HistoryRow(from: nil, to: .green, reasons: [], asOf: card[0], runID: card[1]))
            }
            for row in try Row.fetchAll(db, sql: "SELECT * FROM colour_changes WHERE number = ? ORDER BY id", arguments: [number]) {
                let reasons: String = row["reasons"]
                rows.append(HistoryRow(from: (row["from_colour"] as String?).flatMap(CodeColour.init(rawValue:)),
                                       to: CodeColour(rawValue: row["to_colour"]) ?? .yellow,
                                       reasons: reasons.isEmpty ? [] : reasons.components(separatedBy: ";"),
                                       asOf: row["as_of"], runID: row["run_id"]))
            }
            return rows
        }
    }

    /// How many cards the registry holds.
    public func cardCount() throws(PipelineError) -> Int {
        try read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM cards") ?? 0 }
    }

    /// One row per night, oldest first.
    public func nights() throws(PipelineError) -> [Night] {
        try read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM runs ORDER BY as_of").map { r in
                Night(asOf: r["as_of"], runID: r["run_id"], registrations: r["registrations"], people: r["people"],
                      screened: r["screened"], review: r["review"], pending: r["pending"], cardsGreen: r["cards_green"],
                      cardsYellow: r["cards_yellow"], cardsRed: r["cards_red"], cardsNew: r["cards_new"], notSeen: r["not_seen"])
            }
        }
    }

    /// A change of colour on one night, as committed.
    public struct Change: Sendable, Equatable {
        public var number: String
        public var idNumber: String
        public var from: CodeColour?
        public var to: CodeColour
        public var reasons: String
    }

    /// Every change committed for the night `asOf`: the cards issued (in number order), then
    /// the changes of colour (in the order committed). A rerun of the night after a commit finds
    /// the same list, so outputs built from it are the same.
    public func changes(on asOf: String) throws(PipelineError) -> [Change] {
        var issued: [Change] = []
        try forEachCardIssued(on: asOf) { number, id in
            issued.append(Change(number: String(decoding: number, as: UTF8.self), idNumber: String(decoding: id, as: UTF8.self),
                                 from: nil, to: .green, reasons: ""))
        }
        return issued + (try colourChanges(on: asOf))
    }

    /// The number and ID number of every card issued on `asOf`, in number order, as the bytes
    /// SQLite holds (valid only during the call of `body`): the night a city's registry is
    /// filled issues a million cards. A text ends at its first NUL, as a `String` read from
    /// SQLite does.
    public func forEachCardIssued(on asOf: String,
                                  _ body: (_ number: UnsafeBufferPointer<UInt8>, _ idNumber: UnsafeBufferPointer<UInt8>) throws -> Void) throws(PipelineError) {
        try read { db in
            let statement = try db.makeStatement(sql: "SELECT number, id_number FROM cards WHERE issued_on = ? ORDER BY year, serial")
            try statement.setArguments([asOf])
            try Registry.forEachRow(statement, db) { st in
                func text(_ column: Int32) -> UnsafeBufferPointer<UInt8> {
                    guard let p = sqlite3_column_text(st, column) else { return UnsafeBufferPointer(start: nil, count: 0) }
                    return UnsafeBufferPointer(start: p, count: strlen(p))
                }
                try body(text(0), text(1))
            }
        }
    }

    /// The changes of colour committed for `asOf`, in the order committed.
    public func colourChanges(on asOf: String) throws(PipelineError) -> [Change] {
        try read { db in
            try Row.fetchAll(db, sql: """
                SELECT h.number, c.id_number, h.from_colour, h.to_colour, h.reasons
                FROM colour_changes h JOIN cards c ON c.number = h.number
                WHERE h.as_of = ? ORDER BY h.id
                """, arguments: [asOf]).map { r in
                Change(number: r[0], idNumber: r[1], from: (r[2] as String?).flatMap(CodeColour.init(rawValue:)),
                       to: CodeColour(rawValue: r[3]) ?? .yellow, reasons: r[4])
            }
        }
    }

    /// Numbers of the cards issued or recoloured on `asOf`.
    public func changed(on asOf: String) throws(PipelineError) -> Set<String> {
        Set(try changes(on: asOf).map(\.number))
    }

    private func read<T>(_ body: (Database) throws -> T) throws(PipelineError) -> T {
        do {
            return try db.read(body)
        } catch let e as PipelineError {
            throw e
        } catch {
            throw .io("cannot read the card registry \(path): \(error)")
        }
    }
}

/// One card's columns during `Registry.forEachCardText`, as UTF-8 bytes valid only during that
/// call. A text ends at its first NUL, as the `String` of a `CardRow` does.
public struct CardText {
    fileprivate let statement: OpaquePointer

    public var number: UnsafeBufferPointer<UInt8> { text(0) }
    public var idNumber: UnsafeBufferPointer<UInt8> { text(1) }
    public var issuedOn: UnsafeBufferPointer<UInt8> { text(2) }
    /// The colour's raw value (`CardRow.colour` reads anything else as yellow).
    public var colour: UnsafeBufferPointer<UInt8> { text(3) }
    /// The `;`-separated reason codes.
    public var reasons: UnsafeBufferPointer<UInt8> { text(4) }
    public var colourSince: UnsafeBufferPointer<UInt8> { text(5) }
    public var name: UnsafeBufferPointer<UInt8> { text(6) }
    public var birthDate: UnsafeBufferPointer<UInt8> { text(7) }
    public var district: UnsafeBufferPointer<UInt8> { text(8) }
    /// The `;`-separated service areas.
    public var serviceAreas: UnsafeBufferPointer<UInt8> { text(9) }
    public var institutionID: UnsafeBufferPointer<UInt8> { text(10) }

    /// Column `index` of `Registry.cardColumns`.
    private func text(_ index: Int32) -> UnsafeBufferPointer<UInt8> {
        guard let start = sqlite3_column_text(statement, index) else { return UnsafeBufferPointer(start: nil, count: 0) }
        let count = Int(sqlite3_column_bytes(statement, index))
        let end = memchr(start, 0, count).map { UnsafePointer<UInt8>($0.assumingMemoryBound(to: UInt8.self)) - start } ?? count
        return UnsafeBufferPointer(start: start, count: end)
    }
}

/// Rows of values laid out for `FastBind`: their texts in one buffer, each value a slot.
struct BoundRows: Sendable {
    /// Rows a batch holds before it is handed over.
    static let batchRows = 4_096

    fileprivate enum Slot: Sendable { case text(Int, Int), int(Int), null }
    private(set) var bytes: [UInt8] = []
    fileprivate var slots: [Slot] = []
    /// Where each row's slots end.
    fileprivate var rowEnds: [Int] = []

    /// The rows ended so far.
    var count: Int { rowEnds.count }

    init() {
        bytes.reserveCapacity(BoundRows.batchRows * 160)
        slots.reserveCapacity(BoundRows.batchRows * 14)
        rowEnds.reserveCapacity(BoundRows.batchRows)
    }

    mutating func text(_ s: String) {
        let start = bytes.count
        append(s)
        slots.append(.text(start, bytes.count - start))
    }

    /// The texts joined by `separator`, as one text.
    mutating func texts(_ list: [String], separator: UInt8) {
        let start = bytes.count
        for i in list.indices {
            if i > 0 { bytes.append(separator) }
            append(list[i])
        }
        slots.append(.text(start, bytes.count - start))
    }

    /// A date as `CivilDate.description` writes it (`2019-08-29`).
    mutating func date(_ d: CivilDate) {
        let (y, m, day) = (d.year, d.month, d.day)
        let start = bytes.count
        bytes.append(contentsOf: [UInt8(0x30 + y / 1000 % 10), UInt8(0x30 + y / 100 % 10), UInt8(0x30 + y / 10 % 10),
                                  UInt8(0x30 + y % 10), 0x2D, UInt8(0x30 + m / 10), UInt8(0x30 + m % 10), 0x2D,
                                  UInt8(0x30 + day / 10), UInt8(0x30 + day % 10)])
        slots.append(.text(start, 10))
    }

    mutating func int(_ n: Int) { slots.append(.int(n)) }

    mutating func null() { slots.append(.null) }

    /// Ends the row whose values were given since the last.
    mutating func endRow() { rowEnds.append(slots.count) }

    /// Forgets every row, keeping the room they took.
    mutating func removeAll() {
        bytes.removeAll(keepingCapacity: true)
        slots.removeAll(keepingCapacity: true)
        rowEnds.removeAll(keepingCapacity: true)
    }

    private mutating func append(_ s: String) {
        // Read in place (a copy to call `withUTF8` on would retain the text, for every field).
        if s.utf8.withContiguousStorageIfAvailable({ bytes.append(contentsOf: $0) }) != nil { return }
        bytes.append(contentsOf: s.utf8)
    }
}

/// Binds and steps a prepared statement through SQLite's C API, skipping the per-row
/// conversions of GRDB's `StatementArguments` (the bulk inserts of the cards stage: a million
/// new cards is the worst night). Texts are bound where `BoundRows` laid them out, without a
/// further copy.
final class FastBind {
    /// A text of no characters that never moves (a pointer to nothing would bind NULL).
    nonisolated(unsafe) private static let emptyText: UnsafePointer<CChar> = {
        let p = UnsafeMutablePointer<CChar>.allocate(capacity: 1)
        p.initialize(to: 0)
        return UnsafePointer(p)
    }()
    private let st: SQLiteStatement
    private let db: Database

    init(_ statement: Statement, _ db: Database) {
        st = statement.sqliteStatement
        self.db = db
    }

    /// Binds the values of each row of `rows` and runs the statement once per row.
    func step(_ rows: BoundRows) throws {
        try rows.bytes.withUnsafeBufferPointer { bytes in
            var start = 0
            for end in rows.rowEnds {
                try step(rows.slots[start..<end], bytes)
                start = end
            }
        }
    }

    private func step(_ slots: ArraySlice<BoundRows.Slot>, _ bytes: UnsafeBufferPointer<UInt8>) throws {
        sqlite3_reset(st)
        var rc = SQLITE_OK
        for (i, slot) in zip(1..., slots) where rc == SQLITE_OK {
            let index = Int32(i)
            switch slot {
            case let .text(offset, count):
                // SQLITE_STATIC: the bytes stay put until the statement has run. An empty text
                // is still a text (a pointer to nothing would bind NULL).
                if count == 0 {
                    rc = sqlite3_bind_text(st, index, FastBind.emptyText, 0, nil)
                } else {
                    rc = UnsafeRawPointer(bytes.baseAddress! + offset).withMemoryRebound(to: CChar.self, capacity: count) {
                        sqlite3_bind_text(st, index, $0, Int32(count), nil)
                    }
                }
            case .int(let n):
                rc = sqlite3_bind_int64(st, index, sqlite3_int64(n))
            case .null:
                rc = sqlite3_bind_null(st, index)
            }
        }
        if rc == SQLITE_OK { rc = sqlite3_step(st) }
        guard rc == SQLITE_DONE else {
            let message = String(cString: sqlite3_errmsg(db.sqliteConnection))
            sqlite3_reset(st)
            throw DatabaseError(resultCode: ResultCode(rawValue: rc), message: message)
        }
        // Unbind before the batch's bytes go.
        sqlite3_clear_bindings(st)
    }
}
