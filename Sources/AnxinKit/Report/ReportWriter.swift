import AnxinCore
import CSV
import Foundation
import XLSX

/// Writes the sheets of one workbook, in order, each top to bottom, and a table that continues
/// on `Name (2)` right after its first sheet. The sheets about people (Screening, Review,
/// Pending) come first and need nothing from the cards stage or the evaluation: a full run
/// writes them while those stages run (see `ReportStage.Draft`). The Cards sheet, the biggest,
/// is written on a thread of its own while this one writes the other sheets: it and the sheets
/// before it are added first, with the parts their rows need, counted first. The Summary,
/// added first, is written last, once everything it sums up is known.
final class ReportWriter {
    let config: Configuration
    let runID: String
    let book: ReportBook
    let labels: ReportLabels
    var inputs: ReportInputs
    /// Words for codes, shared with the threads that make rows.
    let names: ReportNames
    /// From persons.csv.
    let people: ReportPeople

    // Gathered from the ledger and the registry.
    /// Problems by input, file and reason.
    var rejectsByFileAndReason: [RejectKey: Int] = [:]
    var rejectEntries = 0
    /// Cards by colour, counted while the Cards sheet is written; nil without a registry.
    var cardsByColour: [CodeColour: Int]?
    /// The Summary sheet and the tables about people, once added.
    private var added: (summary: Worksheet, screening: SheetTable, review: SheetTable, pending: SheetTable)?
    /// The Cards sheet, when started before the rest (see `startCardsEarly()`).
    private var cards: BackgroundWork<[CodeColour: Int]?>?

    struct RejectKey: Hashable, Comparable {
        var input: String
        var file: String
        var reason: String

        static func < (a: RejectKey, b: RejectKey) -> Bool {
            let order = { (s: String) in InputKind(rawValue: s).flatMap { InputKind.allCases.firstIndex(of: $0) } ?? 99 }
            return (order(a.input), a.file, a.reason) < (order(b.input), b.file, b.reason)
        }
    }

    init(config: Configuration, runID: String, book: ReportBook, inputs: ReportInputs, people: ReportPeople) {
        self.config = config
        self.runID = runID
        self.book = book
        self.labels = book.labels
        self.inputs = inputs
        self.people = people
        names = ReportNames(labels: book.labels, inputs: inputs)
    }

    /// Writes every sheet at once: the Cards sheet on its thread while this one writes the
    /// sheets about people and those after Cards.
    func write() throws {
        try addPeopleSheets()
        try writeWithCards {
            try writePeopleSheets()
            try writeAfterCards()
        }
    }

    /// Adds the Summary and the sheets about people, which read only what ingest and
    /// screening wrote, with the parts their rows need: the first step of `write()` when the
    /// cards stage and the evaluation have yet to finish. The Cards sheet may then be started
    /// (`startCardsEarly()`) while `writeBeforeCards()` writes those sheets.
    func addBeforeCards() throws {
        try addPeopleSheets()
        // The Cards sheet's formats are made here, on this thread: the sheet may be started on
        // another while the people sheets are written, and formats made there and here at once
        // could take their places in the style table in either order.
        for tag in ReportWriter.cardsCellTags { _ = try book.format(tag: tag, style: .normal, top: false) }
    }

    /// Writes the sheets about people, after `addBeforeCards()`.
    func writeBeforeCards() throws {
        try writePeopleSheets()
    }

    /// Starts the Cards sheet after `addBeforeCards()`, once tonight's cards are committed to
    /// the registry, while the cards stage writes its exports. Its threads take the priority
    /// of the calling thread.
    func startCardsEarly() throws {
        cards = try startCards()
    }

    /// Stops a Cards sheet started early and waits for its thread.
    func cancelCards() {
        cards?.cancel()
        cards = nil
    }

    /// Writes the rest after `writeBeforeCards()`, once the cards stage and the evaluation are done.
    func writeAfterPeople() throws {
        try writeWithCards(writeAfterCards)
    }

    /// Reads what the cards stage and the evaluation wrote and runs `others` while the Cards
    /// sheet is written on its thread (started now, unless started early), then ends the
    /// workbook's sheets with the Summary.
    private func writeWithCards(_ others: () throws -> Void) throws {
        let cards = try self.cards ?? startCards()
        self.cards = nil
        do {
            try inputs.loadCardsAndEvaluation(config)
            try others()
        } catch {
            cards.cancel()
            throw error
        }
        try end(cards)
    }

    /// Reads the ledger's counts and adds the Summary (written last) and the sheets about
    /// people, with the parts their rows need.
    private func addPeopleSheets() throws {
        try countRejects()
        let summary = try book.addSheet(labels.summarySheet)
        added = (summary, try screeningTable(), try reviewTable(), try pendingTable())
    }

    private func writePeopleSheets() throws {
        guard let added else { preconditionFailure("the sheets about people are added first") }
        try writeScreening(added.screening)
        try writeReview(added.review)
        try writePending(added.pending)
    }

    /// The sheets after Cards, written on this thread while the Cards sheet is written on its own.
    private func writeAfterCards() throws {
        try writeInstitutions()
        try writeDistricts()
        try writeDataQuality()
        try writeRejectedRows()
        try writeTrends()
    }

    /// Waits for the Cards sheet, then writes the Summary and the workbook's properties.
    private func end(_ cards: BackgroundWork<[CodeColour: Int]?>) throws {
        guard let added else { preconditionFailure("the Summary is added first") }
        cardsByColour = try cards.value()
        try writeSummary(added.summary)
        try book.workbook.setProperties(.init(
            title: "\(labels.title) \(config.asOf)", subject: labels.title, author: config.marketName,
            company: config.marketName, created: ReportWriter.midnightUTC(config.asOf)))
    }

    /// The as-of date at 00:00 UTC: the workbook's creation time, so reruns give the same bytes.
    static func midnightUTC(_ date: AnxinCore.CivilDate) -> Date? {
        let seconds = Double(date.daysSinceEpoch) * 86_400
        return seconds >= 1 ? Date(timeIntervalSince1970: seconds) : nil
    }

    /// The lines `anxin run` prints.
    func summaryLines(path: String) -> [String] {
        let g = IngestSummary.grouped
        var lines = ["Report: \(path)"]
        lines.append("  " + book.rows.map { "\($0.sheet) \(g($0.rows))" }.joined(separator: ", "))
        if inputs.evaluated == nil {
            lines.append("  institutions: the evaluation has not run (no \(ReportInputs.evaluationPath(config)))")
        }
        return lines
    }

    // MARK: - Shared by the sheets

    /// An ID number as every sheet but the review sheet shows it.
    func masked(_ id: String) -> String { ReportNames.masked(id) }

    func institutionName(_ id: String) -> String { names.institution(id) }

    func districtName(_ code: String) -> String { names.district(code) }

    /// The four columns that name a person.
    var personColumns: [SheetTable.Column] {
        [.init(title: labels.maskedID, minWidth: 20), .init(title: labels.name, minWidth: 8, maxWidth: 24),
         .init(title: labels.institution, maxWidth: 36), .init(title: labels.district, maxWidth: 20)]
    }

    func personCells(_ p: ReportPeople.Person) -> [ReportCell] { names.personCells(p) }

    // MARK: - Reading

    /// First pass over the rejects ledger: problems by file and reason, rows rejected per input.
    func countRejects() throws {
        var lines: [String: Set<Int>] = [:]
        try Dataset.forEachRecord(at: IngestStage.directory(config) + "/rejects.csv", columns: ReportInputs.rejectColumns) { r in
            // Only the fields counted by are made.
            let field = { (i: Int) in CSVWriter.restore(r.lossyString(i)) }
            let input = field(0)
            rejectsByFileAndReason[RejectKey(input: input, file: field(1), reason: field(5)), default: 0] += 1
            rejectEntries += 1
            if let line = Int(field(2)) { lines[input, default: []].insert(line) }
        }
        try inputs.loadInputLines(config, rejectedRows: lines.mapValues(\.count))
    }
}

/// The words a row needs for its codes, as a value: rows of big sheets are made on another thread.
struct ReportNames: Sendable {
    let labels: ReportLabels
    let institutions: [String: String]
    let districts: [String: String]
    let areas: [String: String]

    init(labels: ReportLabels, inputs: ReportInputs) {
        self.labels = labels
        institutions = inputs.institutionNames
        districts = inputs.districtNames
        areas = inputs.areaNames
    }

    func institution(_ id: String) -> String { id.isEmpty ? labels.withoutInstitution : institutions[id] ?? id }

    func district(_ code: String) -> String { districts[code] ?? code }

    func areaList(_ codes: [String]) -> String {
        codes.map { areas[$0] ?? $0 }.joined(separator: labels.language == .zh ? "、" : ", ")
    }

    /// The first four cells of a row about a person.
    func personCells(_ p: ReportPeople.Person) -> [ReportCell] {
        [.text(ReportNames.masked(p.idNumber)), .text(p.name), .text(institution(p.institutionID)), .text(district(p.district))]
    }

    /// Appends the cells of `personCells(_:)`.
    func appendPerson(_ p: ReportPeople.Person, to rows: inout CellRows) {
        var id = p.idNumber
        id.withUTF8 { ReportNames.appendMasked($0, to: &rows) }
        rows.append(p.name, tag: CellTag.text)
        rows.append(institution(p.institutionID), tag: CellTag.text)
        rows.append(district(p.district), tag: CellTag.text)
    }

    /// Appends the masked ID number whose UTF-8 bytes are `id` as a text cell: the cell of
    /// `masked(_:)`, without making a `String` for it.
    static func appendMasked(_ id: UnsafeBufferPointer<UInt8>, to rows: inout CellRows) {
        guard id.count == 18, id.allSatisfy({ $0 < 0x80 }) else {
            return rows.append(masked(String(decoding: id, as: UTF8.self)), tag: CellTag.text)
        }
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 18) { out in
            for i in 0..<18 { out[i] = (6..<14).contains(i) ? UInt8(ascii: "*") : id[i] }
            rows.append(utf8: UnsafeBufferPointer(out), tag: CellTag.text)
        }
    }

    /// `IDNumber.masked` (`330302********123X`), built from bytes: it runs for every card.
    static func masked(_ id: String) -> String {
        var id = id
        return id.withUTF8 { b -> String in
            guard b.count == 18 else { return IDNumber(trusted: String(decoding: b, as: UTF8.self)).masked }
            return String(unsafeUninitializedCapacity: 18) { out in
                for i in 0..<18 { out[i] = (6..<14).contains(i) ? UInt8(ascii: "*") : b[i] }
                return 18
            }
        }
    }
}
