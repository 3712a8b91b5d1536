import AnxinCore
import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import Testing
@testable import AnxinKit

/// The oversight workbook, written from datasets made by the real stages on a small fixture
/// and read back from its XML.
@Suite("Report stage")
struct ReportTests {
    // MARK: - The fixture

    /// An ID number with its check character, for region, birth date and sequence.
    static func id(_ region: String, _ birth: String, _ sequence: String) -> String {
        let digits = region + birth + sequence
        return digits + String(ISO7064.checkCharacter(digits.map { Int(String($0))! }))
    }

    static let card = id("330302", "19800101", "001")  // eligible: a green card
    static let screened = id("330303", "19850505", "002")  // a criminal robbery record
    static let review = id("330304", "19900303", "004")  // a possible match on a homicide record
    static let pending = id("330302", "19750707", "003")  // health check expired, no training
    static let twoNames = id("330305", "19880808", "005")  // registered as 李四 and as 李思
    static let injected = id("330302", "19700101", "007")  // named =HYPERLINK(...): rejected
    static let badCheck: String = {
        let good = id("330302", "19800202", "009")
        return String(good.dropLast()) + (good.last == "1" ? "2" : "1")
    }()

    static let injection = #"=HYPERLINK("http://x","y")"#

    /// Every ID number of the extracts: none may appear in full outside the review sheet.
    static let allIDs = [card, screened, review, pending, twoNames, injected, badCheck]

    static let header = "application_id,name,id_number,sex,birth_date,phone,district,service_areas,institution_id,health_check,health_checked_on,applied_on"

    static var seekers: String {
        """
        \(header)
        A1,张伟,\(card),M,1980-01-01,13812345678,330302,cleaning;nursing,WZJZ0001,passed,2019-01-01,2019-02-01
        A2,李娜,\(screened),F,1985-05-05,13812345679,330303,cleaning,WZJZ0001,passed,2019-01-01,2019-02-01
        A3,王芳,\(review),F,1990-03-03,13812345670,330304,nursing,,passed,2019-01-01,2019-02-01
        A4,刘洋,\(pending),M,1975-07-07,13812345671,330302,cleaning,,passed,2018-01-01,2019-02-01
        A5,李四,\(twoNames),M,1988-08-08,13812345672,330305,nursing,WZJZ0001,passed,2019-01-01,2019-02-01
        A6,李思,\(twoNames),M,1988-08-08,13812345672,330305,nursing,WZJZ0001,passed,2019-01-01,2019-03-01
        A7,"=HYPERLINK(""http://x"",""y"")",\(injected),M,1970-01-01,13812345673,330302,cleaning,,passed,2019-01-01,2019-02-01
        A8,赵敏,\(badCheck),F,1980-02-02,13812345674,330302,cleaning,,passed,2019-01-01,2019-02-01
        A9,孙丽,\(id("330302", "19820202", "006")),F,1982-02-02,1381234567,330302,cleaning,,passed,2019-01-01,2019-02-01

        """
    }

    static var police: String {
        """
        record_id,id_number,name,birth_date,offense_code,offense_category,record_kind,record_date,sentence_end
        R1,\(screened),李娜,1985-05-05,X1,robbery,criminal,2015-01-01,
        R2,,王芳,1990-03-03,X2,homicide,criminal,2010-01-01,
        R3,\(card),张伟,1980-01-01,X3,traffic,administrative,2018-01-01,

        """
    }

    static var training: String {
        """
        id_number,course_code,service_area,hours,passed,completed_on
        \(card),C1,cleaning,40,true,2019-03-01
        \(twoNames),C2,nursing,40,true,2019-03-01

        """
    }

    static let institutions = """
        institution_id,name,district,license_no,license_valid_until,registered_on
        WZJZ0001,温州好家政,330302,L001,2020-12-31,2018-05-01
        WZJZ0002,瓯海家政,330304,L002,2018-12-31,2017-05-01

        """

    static var evaluations: String {
        """
        evaluation_id,institution_id,worker_id_number,rating,complaint,evaluated_on
        E1,WZJZ0001,\(card),5,false,2019-05-01

        """
    }

    static let evaluated = """
        institution_id,name,district,license_valid_until,registered_staff,card_holders,evaluations,mean_rating,complaints,R,C,K,T,score,rank,round_reached,selected,stopped_because
        WZJZ0001,温州好家政,330302,2020-12-31,12,8,40,4.500000,1,0.800000,0.900000,0.666667,1.000000,81.2000,1,3,true,
        WZJZ0002,瓯海家政,330304,2018-12-31,3,1,2,4.000000,0,,,,,,,1,false,licence_expired;too_few_card_holders:1<5;too_few_evaluations:2<10

        """

    /// A project folder whose work folder holds the datasets of ingest, screening and cards.
    static func prepared(language: String = "en", evaluation: Bool = true) async throws -> (Fixture, Configuration) {
        let f = try Fixture()
        try f.write("seekers.csv", seekers)
        try f.write("police_records.csv", police)
        try f.write("training.csv", training)
        try f.write("institutions.csv", institutions)
        try f.write("evaluations.csv", evaluations)
        let config = try Configuration.load(path: try f.config("""

            [report]
            language = "\(language)"
            market_name = "Test market"

            [cards]
            render_files = false

            """))
        let reference = try ReferenceLoader.load(config.paths)
        _ = try await IngestStage.run(config, reference: reference)
        _ = try ScreenStage.run(config)
        _ = try CardsStage.run(config, reference: reference, runID: "run-1")
        if evaluation {
            try Dataset.makeDirectory(EvaluateStage.directory(config))
            try Data(evaluated.utf8).write(to: URL(fileURLWithPath: EvaluateStage.directory(config) + "/institutions.csv"))
        }
        return (f, config)
    }

    // MARK: - The tests

    @Test func theSheetsAreThereWithTheRunsCounts() async throws {
        let (f, config) = try await Self.prepared()
        defer { try? FileManager.default.removeItem(at: f.root) }
        let report = try ReportStage.run(config, runID: "run-1")
        #expect(report.path == config.paths.output + "/anxin-report-2019-08-29.xlsx")
        let book = try ReportWorkbook(report.path)
        #expect(book.sheetNames == ["Summary", "Screening", "Review (confidential)", "Pending", "Cards", "Institutions",
                                    "Districts and areas", "Data quality", "Rejected rows", "Trends"])
        #expect(try book.malformedEntries().isEmpty)

        // Every person of the run is where their status puts them.
        let screening = try ScreenStage.run(config).0.funnel
        #expect(screening.screened == 1 && screening.review == 1 && screening.pending == 1 && screening.eligible == 2)
        #expect(report.sheets["Screening"] == 1)  // one reason for the one screened person
        #expect(report.sheets["Review (confidential)"] == screening.review)
        #expect(report.sheets["Pending"] == screening.pending)
        var cards = 0
        try Registry(path: config.paths.registry).forEachCard { _ in cards += 1 }
        #expect(cards == 2)
        #expect(report.sheets["Cards"] == cards)
        let ledger = try ReportInputs.countRecords(IngestStage.directory(config) + "/rejects.csv")
        #expect(ledger == 3)
        #expect(report.sheets["Rejected rows"] == ledger)
        #expect(report.sheets["Trends"] == 1)
        #expect(report.sheets["Institutions"] == 2)

        // The rows on each sheet are the rows the report says it wrote.
        for (name, rows) in report.sheets where name != "Summary" && name != "Data quality" && name != "Districts and areas" {
            #expect(try book.rows(of: name).count == rows + 1, "\(name)")  // plus the header
        }
        let summary = try book.text(of: "Summary")
        #expect(summary.contains("run-1") && summary.contains("Test market"))
        // The funnel's numbers, as numbers, beside their labels.
        let funnel = try book.rows(of: "Summary").first { $0.first?.text == "Screened out" }
        #expect(funnel?[1].number == 1)
        #expect(try book.text(of: "Institutions").contains("licence expired; 1 card holders on staff, 5 needed"))
        #expect(report.summary.first == "Report: \(report.path)")
    }

    @Test func idNumbersAreMaskedEverywhereButTheReviewDecisionColumn() async throws {
        let (f, config) = try await Self.prepared()
        defer { try? FileManager.default.removeItem(at: f.root) }
        let report = try ReportStage.run(config, runID: "run-1")
        let book = try ReportWorkbook(report.path)
        for entry in try book.entries() {
            let text = try book.entry(entry)
            for id in Self.allIDs where entry != book.path(of: "Review (confidential)") {
                #expect(!text.contains(id), "\(entry) holds \(id) in full")
                #expect(!text.contains(id.dropLast(4)), "\(entry) holds most of \(id)")
            }
        }
        // The review sheet: the full number in column A, nowhere else.
        let review = try book.rows(of: "Review (confidential)")
        #expect(review[0].map(\.text).prefix(5) == ["id_number", "decision", "decided_by", "decided_on", "note"])
        #expect(review[1][0].text == Self.review && review[1][0].reference == "A2")
        for cell in review.dropFirst().flatMap({ $0.dropFirst() }) {
            #expect(!Self.allIDs.contains { cell.text.contains($0) })
        }
        // The other sheets show the masked form.
        #expect(try book.text(of: "Screening").contains(IDNumber(trusted: Self.screened).masked))
        #expect(try book.text(of: "Pending").contains(IDNumber(trusted: Self.pending).masked))
        #expect(try book.text(of: "Cards").contains(IDNumber(trusted: Self.card).masked))
        let masked = IDNumber(trusted: Self.badCheck).masked
        #expect(try book.text(of: "Rejected rows").contains(masked))
        // The phone of a rejected row is masked too; names are masked in rejected values.
        #expect(try book.text(of: "Rejected rows").contains("13******67"))
        #expect(try book.text(of: "Data quality").contains(IDNumber(trusted: Self.twoNames).masked))
        // Police details stay on Screening and Review.
        for sheet in book.sheetNames where sheet != "Screening" && sheet != "Review (confidential)" {
            #expect(!(try book.text(of: sheet)).contains("robbery"), "\(sheet)")
        }
    }

    @Test func theReviewSheetOffersClearOrScreen() async throws {
        let (f, config) = try await Self.prepared()
        defer { try? FileManager.default.removeItem(at: f.root) }
        let report = try ReportStage.run(config, runID: "run-1")
        let xml = try ReportWorkbook(report.path).sheetXML("Review (confidential)")
        #expect(xml.contains(#"<dataValidation type="list""#))
        #expect(xml.contains("<formula1>\"clear,screen\"</formula1>"))
        #expect(xml.contains(#"sqref="B2""#))
        #expect(xml.contains("autoFilter"))
        #expect(xml.contains(#"state="frozen""#))
    }

    @Test func theReviewSheetSavedAsCSVIsTheNextNightsReviewDecisions() async throws {
        let (f, config) = try await Self.prepared()
        defer { try? FileManager.default.removeItem(at: f.root) }
        let report = try ReportStage.run(config, runID: "run-1")
        let rows = try ReportWorkbook(report.path).rows(of: "Review (confidential)")
        // What Excel's "Save as CSV" writes once an official has chosen clear and filled in who and when.
        func csv(_ fields: [String]) -> String {
            fields.map { $0.contains(where: { ",\"\n".contains($0) }) ? "\"" + $0.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : $0 }
                .joined(separator: ",")
        }
        var lines = [csv(rows[0].map(\.text))]
        for row in rows.dropFirst() {
            var fields = row.map(\.text)
            while fields.count < rows[0].count { fields.append("") }
            fields.replaceSubrange(1...4, with: ["clear", "林海燕", "2019-08-29", "not the same person"])
            lines.append(csv(fields))
        }
        try f.write("review_decisions.csv", lines.joined(separator: "\n") + "\n")
        let next = try Configuration.load(path: try f.config("""

            [report]
            language = "en"

            [cards]
            render_files = false

            [inputs.review_decisions]
            path = "review_decisions.csv"

            """))
        let ingest = try await IngestStage.run(next, reference: try ReferenceLoader.load(next.paths))
        let decisions = try #require(ingest.input(.reviewDecisions))
        #expect(decisions.rowsRead == 1 && decisions.accepted == 1)
        let funnel = try ScreenStage.run(next).1.funnel
        #expect(funnel.review == 0)
    }

    @Test func theReportStageReleasesWhatTheEarlierStagesShared() {
        // The report reads its own datasets: the people the earlier stages shared are taken
        // away before it, not before the evaluation.
        let cache = StageCache()
        cache.persons = []
        cache.training = TrainingIndex([])
        cache.release(before: .evaluate)
        #expect(cache.persons != nil && cache.training != nil)
        cache.release(before: .report)
        #expect(cache.persons == nil && cache.training == nil)
        cache.release(before: .report)  // nothing left: nothing happens
        #expect(cache.persons == nil && cache.training == nil)
    }

    @Test func peopleReadInPiecesAddUpToOnePass() async throws {
        let (f, config) = try await Self.prepared()
        defer { try? FileManager.default.removeItem(at: f.root) }
        let one = try ReportPeople.read(config, minimumPieceBytes: Int.max)
        let pieces = try ReportPeople.read(config, minimumPieceBytes: 1)
        func listed(_ p: [ReportPeople.Person]) -> [String] {
            p.map { "\($0.idNumber) \($0.name) \($0.district) \($0.institutionID) \($0.reasons) \(String(describing: $0.healthCheckedOn))" }
        }
        func tally(_ t: ReportPeople.Tally) -> [Int] { [t.people, t.screened, t.review, t.pending, t.card] }
        #expect(pieces.registrations == one.registrations)
        #expect(tally(pieces.tally) == tally(one.tally))
        #expect(pieces.byDistrict.mapValues(tally) == one.byDistrict.mapValues(tally))
        #expect(pieces.byArea.mapValues { [$0.registered, $0.screened, $0.qualified] }
                == one.byArea.mapValues { [$0.registered, $0.screened, $0.qualified] })
        #expect(listed(pieces.screened) == listed(one.screened) && !one.screened.isEmpty)
        #expect(listed(pieces.review) == listed(one.review) && !one.review.isEmpty)
        #expect(listed(pieces.pending) == listed(one.pending) && !one.pending.isEmpty)
        #expect(one.byDistrict.count > 1)
    }

    @Test func aFormulaInARejectedRowIsShownAsTypedAsText() async throws {
        let (f, config) = try await Self.prepared()
        defer { try? FileManager.default.removeItem(at: f.root) }
        let report = try ReportStage.run(config, runID: "run-1")
        let book = try ReportWorkbook(report.path)
        let cells = try book.rows(of: "Rejected rows").flatMap { $0 }
        let injected = cells.filter { $0.text == Self.injection }
        #expect(injected.count == 1)
        #expect(injected.allSatisfy { $0.type == "inlineStr" || $0.type == "s" || $0.type == "str" })
        for sheet in book.sheetNames {
            #expect(try book.rows(of: sheet).flatMap { $0 }.allSatisfy { !$0.hasFormula }, "\(sheet)")
        }
    }

    @Test func numbersAreNumbersAndDatesAreDates() async throws {
        let (f, config) = try await Self.prepared()
        defer { try? FileManager.default.removeItem(at: f.root) }
        let report = try ReportStage.run(config, runID: "run-1")
        let book = try ReportWorkbook(report.path)
        let cards = try book.rows(of: "Cards")
        let firstIssued = cards[1][6]
        // 2019-08-29 is Excel serial 43706, in a yyyy-mm-dd style.
        #expect(firstIssued.type == nil && firstIssued.number == 43706)
        #expect(try book.dateStyles().contains(firstIssued.style ?? -1))
        let inputs = try book.rows(of: "Summary").first { $0.first?.text == "Job seekers' registrations" }
        #expect(inputs?[2].number == 9 && inputs?[3].number == 6 && inputs?[4].number == 3)
        #expect(inputs?[5].text.count == 64)  // the file's SHA-256
        let institutions = try book.rows(of: "Institutions")
        #expect(institutions[1][14].number == 81.2)
        #expect(institutions[1][0].number == 1)
        #expect(institutions[2][14].text.isEmpty && institutions[2][14].number == nil)  // not computed: blank
    }

    @Test("a report begun before the cards stage and finished after it is the file a report written at once is")
    func aReportBegunEarlyIsTheSameFile() async throws {
        let (f, config) = try await Self.prepared()
        defer { try? FileManager.default.removeItem(at: f.root) }
        let whole = try ReportStage.run(config, runID: "run-1")
        let bytes = try Data(contentsOf: URL(fileURLWithPath: whole.path))
        // Begun, then finished; and begun with its Cards sheet started once the cards are committed.
        let committed = Signal<Bool>()
        committed.send(true)
        for cardsCommitted in [nil, committed] {
            let finished = try ReportStage.finish(try ReportStage.begin(config, runID: "run-1", cardsCommitted: cardsCommitted))
            #expect(finished.path == whole.path && finished.sheets == whole.sheets && finished.summary == whole.summary)
            #expect(try Data(contentsOf: URL(fileURLWithPath: finished.path)) == bytes)
        }
        // The cards committed while the sheets about people are being written: the Cards sheet
        // is started beside them, on the thread the caller gave.
        let later = Signal<Bool>()
        let sender = Thread { Thread.sleep(forTimeInterval: 0.005); later.send(true) }
        sender.start()
        let beside = try ReportStage.finish(try ReportStage.begin(config, runID: "run-1", cardsCommitted: later,
                                                                  cardsThread: Errand(name: "test-cards")))
        #expect(try Data(contentsOf: URL(fileURLWithPath: beside.path)) == bytes)

        // A report begun and dropped (the run stopped), or asked to stop while it is begun,
        // leaves the last one as it was, and no temporary file.
        try ReportStage.begin(config, runID: "run-2").discard()
        try ReportStage.begin(config, runID: "run-2", cardsCommitted: committed).discard()  // its Cards sheet stopped first
        let stop = ReportStage.Stop()
        stop.request()
        #expect(throws: PipelineError.self) { try ReportStage.begin(config, runID: "run-3", stop: stop) }
        // Even while it waits for cards that never come.
        #expect(throws: PipelineError.self) {
            try ReportStage.begin(config, runID: "run-3", stop: stop, cardsCommitted: Signal<Bool>(), cardsThread: Errand(name: "test-cards"))
        }
        #expect(try Data(contentsOf: URL(fileURLWithPath: whole.path)) == bytes)
        #expect(try FileManager.default.contentsOfDirectory(atPath: config.paths.output).filter { $0.contains(".tmp-") }.isEmpty)
    }

    @Test func aRerunOfTheSameInputsIsByteIdentical() async throws {
        let (f, config) = try await Self.prepared()
        defer { try? FileManager.default.removeItem(at: f.root) }
        let first = try ReportStage.run(config, runID: "run-1")
        let bytes = try Data(contentsOf: URL(fileURLWithPath: first.path))
        try await Task.sleep(nanoseconds: 1_100_000_000)  // a clock that leaked in would now differ
        let second = try ReportStage.run(config, runID: "run-1")
        #expect(try Data(contentsOf: URL(fileURLWithPath: second.path)) == bytes)

        let core = try ReportWorkbook(first.path).entry("docProps/core.xml")
        #expect(core.contains("<dc:creator>Test market</dc:creator>"))
        #expect(core.contains(">2019-08-29T00:00:00Z<"))
        #expect(core.contains("<dc:title>Anxin oversight report 2019-08-29</dc:title>"))

        // Owner-only, and no temporary file left beside it.
        let mode = try FileManager.default.attributesOfItem(atPath: first.path)[.posixPermissions] as? Int
        #expect(mode == 0o600)
        #expect(try FileManager.default.contentsOfDirectory(atPath: config.paths.output)
            .filter { $0.contains(".tmp-") }.isEmpty)
    }

    @Test func aDatasetLineWithTooFewFieldsIsAnErrorWithItsLineNotACrash() async throws {
        for file in ["/cards/changes.csv", "/screen/screening_hits.csv"] {
            let (f, config) = try await Self.prepared()
            defer { try? FileManager.default.removeItem(at: f.root) }
            let path = config.paths.work + file
            let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: path))
            try handle.seekToEnd()
            try handle.write(contentsOf: Data("WZ2019000001X,330302\n".utf8))
            try handle.close()
            let lines = try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n").count
            #expect {
                try ReportStage.run(config, runID: "run-1")
            } throws: { error in
                "\(error)".contains("\(file.split(separator: "/").last!): line \(lines): expected")
            }
        }
    }

    @Test func aLongTableContinuesOnTheNextSheet() async throws {
        let (f, config) = try await Self.prepared()
        defer { try? FileManager.default.removeItem(at: f.root) }
        let report = try ReportStage.run(config, runID: "run-1", options: .init(rowsPerSheet: 1))
        let book = try ReportWorkbook(report.path)
        let names = book.sheetNames
        // Each continuation sits right after its sheet.
        let cards = try #require(names.firstIndex(of: "Cards"))
        #expect(names[cards + 1] == "Cards (2)")
        #expect(report.sheets["Cards"] == 1 && report.sheets["Cards (2)"] == 1)
        #expect(try book.rows(of: "Cards (2)")[0].map(\.text) == book.rows(of: "Cards")[0].map(\.text))
        let rejected = names.filter { $0.hasPrefix("Rejected rows") }
        let ledger = try ReportInputs.countRecords(IngestStage.directory(config) + "/rejects.csv")
        #expect(rejected.count == ledger)
        #expect(rejected.reduce(0) { $0 + (report.sheets[$1] ?? 0) } == ledger)
        #expect(try book.malformedEntries().isEmpty)
        #expect(throws: PipelineError.self) { try ReportStage.run(config, runID: "run-1", options: .init(rowsPerSheet: 0)) }
    }

    @Test func withoutTheEvaluationTheInstitutionsSheetSaysSo() async throws {
        let (f, config) = try await Self.prepared(evaluation: false)
        defer { try? FileManager.default.removeItem(at: f.root) }
        let report = try ReportStage.run(config, runID: "run-1")
        let rows = try ReportWorkbook(report.path).rows(of: "Institutions")
        #expect(rows.count == 1)
        #expect(rows[0][0].text.contains("has not run yet"))
        #expect(report.sheets["Institutions"] == 0)
    }

    @Test func inChineseTheSheetsHaveChineseNames() async throws {
        let (f, config) = try await Self.prepared(language: "zh")
        defer { try? FileManager.default.removeItem(at: f.root) }
        let report = try ReportStage.run(config, runID: "run-1")
        let book = try ReportWorkbook(report.path)
        #expect(book.sheetNames.first == "概览")
        #expect(book.sheetNames.contains("待复核（内部保密）"))
        #expect(try book.malformedEntries().isEmpty)
        // The drop-down values stay ASCII in every language.
        #expect(try book.sheetXML("待复核（内部保密）").contains("<formula1>\"clear,screen\"</formula1>"))
        #expect(try book.text(of: "待办").contains("体检已超过 365 天"))
        #expect(try book.text(of: "审查结果").contains("抢劫（robbery）"))
    }

    // MARK: - Rows made on a second thread

    @Test func rowsMadeOnAnotherThreadArriveInOrderAndTheirErrorsComeThrough() throws {
        let feed = RowFeed<Int>(batchSize: 3) { sink in
            for i in 0..<10 { try sink.emit([.int(i)]) }
            return 10
        }
        var seen: [Int] = []
        while let batch = try feed.next() {
            for row in 0..<batch.count where batch.tag(row: row, column: 0) == CellTag.int {
                seen.append(Int(batch.number(row: row, column: 0)))
            }
        }
        #expect(seen == Array(0..<10))
        #expect(feed.result == 10)

        struct Broken: Error {}
        let failing = RowFeed<Int>(batchSize: 2) { sink in
            try sink.emit([.int(1)])
            throw Broken()
        }
        #expect(throws: Broken.self) { while try failing.next() != nil {} }

        // A sheet that fails stops its producer, which would otherwise wait forever for room.
        let endless = RowFeed<Int>(batchSize: 1) { sink in
            while true { try sink.emit([.int(0)]) }
        }
        _ = try endless.next()
        endless.cancel()
        #expect(endless.result == nil)
    }

    @Test func aTableCountedFirstHasItsPartsBeforeTheNextSheetAndTakesNoMoreRows() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("anxin-table-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let book = try ReportBook(path: dir + "/t.xlsx", labels: ReportLabels.of(.en), rowsPerSheet: 2, temporaryDirectory: dir)
        let cards = try SheetTable(book: book, name: "Cards", expectedRows: 5, columns: [.init(title: "n")])
        let few = try SheetTable(book: book, name: "Few", expectedRows: 3, columns: [.init(title: "n")])
        // Every part is there before the next table's sheets, whichever is written first.
        #expect(book.workbook.worksheetNames == ["Cards", "Cards (2)", "Cards (3)", "Few", "Few (2)"])
        try few.add([.int(1)])
        try few.finish()  // fewer rows than counted: the part no row reached stays, with its header
        for i in 0..<5 { try cards.add([.int(i)]) }
        #expect(throws: PipelineError.self) { try cards.add([.int(5)]) }
        try cards.finish()
        #expect(book.rows.map(\.sheet) == ["Cards", "Cards (2)", "Cards (3)", "Few", "Few (2)"])
        #expect(book.rows.map(\.rows) == [2, 2, 1, 1, 0])
        try book.close()
        let written = try ReportWorkbook(dir + "/t.xlsx")
        #expect(try written.rows(of: "Cards (3)").count == 2)
        #expect(try written.rows(of: "Few (2)").map { $0.map(\.text) } == [["n"]])
    }

    @Test func backgroundWorkGivesItsValueOrErrorAndCanBeStopped() throws {
        #expect(try BackgroundWork(name: "test") { 42 }.value() == 42)
        struct Broken: Error {}
        #expect(throws: Broken.self) { try BackgroundWork<Int>(name: "test") { throw Broken() }.value() }
        // Stopped early: its rows end, and cancel() returns once the lane is done.
        let endless = RowFeed<Int>(batchSize: 1) { sink in
            while true { try sink.emit([.int(0)]) }
        }
        let lane = BackgroundWork(name: "test", stop: { endless.cancel() }) { () -> Int in
            var rows = 0
            while let batch = try endless.next() { rows += batch.count }
            return rows
        }
        lane.cancel()
        #expect(endless.result == nil)
    }

    // MARK: - Masking

    @Test func maskingOfValuesAsTheyArrived() {
        #expect(ReportMask.digits("330302198001010012") == "330302********0012")
        #expect(ReportMask.digits("id 3303 0219 8001 0100 1X!") == "id 330302********001X!")
        #expect(ReportMask.digits("１３８１２３４５６７８") == "138****5678")
        #expect(ReportMask.digits("1381234567") == "13******67")
        #expect(ReportMask.digits("2019-08-29 and 20190829") == "2019-08-29 and 20190829")
        #expect(ReportMask.value("王秀兰", column: "name", nameIndex: nil) == "王*兰")
        #expect(ReportMask.value(Self.injection, column: "name", nameIndex: nil) == Self.injection)
        #expect(ReportMask.value("林?银翠", column: "name", nameIndex: nil) == "林?银*")
        #expect(ReportMask.value("33O326197109131265", column: "id_number", nameIndex: nil) == "33O326********1265")
        #expect(ReportMask.value("A5,Zhang San,330302198001010012,F", column: "(row)", nameIndex: 1)
                == "A5,Z*******n,330302********0012,F")
        #expect(ReportMask.value("A5,赵六,330302198001010012,F", column: "(row)", nameIndex: nil) == "A5,赵*,330302********0012,F")
    }
}

// MARK: - Reading a workbook back

/// A finished .xlsx read back with the system's `unzip`.
struct ReportWorkbook {
    /// One cell as stored.
    struct Cell {
        var reference: String
        /// `t`: nil for a number, `inlineStr`/`s`/`str` for text, `b` for a boolean.
        var type: String?
        var style: Int?
        var text: String
        var hasFormula: Bool
        /// The value, when stored as a number.
        var number: Double? { type == nil && !text.isEmpty ? Double(text) : nil }
    }

    let file: String
    let sheetNames: [String]

    init(_ file: String) throws {
        self.file = file
        let workbook = try ReportWorkbook.unzip(["-p", file, "xl/workbook.xml"])
        sheetNames = ReportWorkbook.attributes("sheet", "name", in: workbook)
    }

    /// The zip entry of a sheet (libxlsxwriter numbers them in order).
    func path(of sheet: String) -> String {
        "xl/worksheets/sheet\((sheetNames.firstIndex(of: sheet) ?? -1) + 1).xml"
    }

    func entries() throws -> [String] {
        try ReportWorkbook.unzip(["-Z1", file]).split(separator: "\n").map(String.init)
    }

    func entry(_ name: String) throws -> String {
        let pattern = name.replacingOccurrences(of: "[", with: "\\[").replacingOccurrences(of: "]", with: "\\]")
        return try ReportWorkbook.unzip(["-p", file, pattern])
    }

    func sheetXML(_ sheet: String) throws -> String { try entry(path(of: sheet)) }

    /// Every cell's text of a sheet, joined (for "contains" checks).
    func text(of sheet: String) throws -> String {
        try rows(of: sheet).flatMap { $0 }.map(\.text).joined(separator: "\n")
    }

    /// The sheet's rows of cells, in order.
    func rows(of sheet: String) throws -> [[Cell]] {
        let parser = XMLParser(data: Data(try sheetXML(sheet).utf8))
        let reader = SheetReader()
        parser.delegate = reader
        guard parser.parse() else { throw ReadError(description: "\(sheet): \(parser.parserError.map { "\($0)" } ?? "?")") }
        return reader.rows
    }

    /// The cell styles (xf indices) whose number format is a date.
    func dateStyles() throws -> Set<Int> {
        let styles = try entry("xl/styles.xml")
        var dateFormats: Set<String> = ["14"]
        let formats = styles.components(separatedBy: "<numFmt ").dropFirst()
        for f in formats where f.contains("yyyy") {
            if let id = ReportWorkbook.attributes("x", "numFmtId", in: "<x " + f).first { dateFormats.insert(id) }
        }
        guard let cellXfs = styles.components(separatedBy: "<cellXfs").last else { return [] }
        let xfs = cellXfs.components(separatedBy: "<xf ").dropFirst()
        var out: Set<Int> = []
        for (i, xf) in xfs.enumerated() {
            if let id = ReportWorkbook.attributes("x", "numFmtId", in: "<x " + xf).first, dateFormats.contains(id) { out.insert(i) }
        }
        return out
    }

    /// Every XML entry that does not parse.
    func malformedEntries() throws -> [String] {
        try entries().filter { $0.hasSuffix(".xml") || $0.hasSuffix(".rels") }.filter { name in
            !XMLParser(data: Data(try entry(name).utf8)).parse()
        }
    }

    struct ReadError: Error, CustomStringConvertible { var description: String }

    static func attributes(_ element: String, _ attribute: String, in xml: String) -> [String] {
        var out: [String] = []
        for part in xml.components(separatedBy: "<\(element) ").dropFirst() {
            guard let start = part.range(of: "\(attribute)=\"") else { continue }
            let rest = part[start.upperBound...]
            guard let end = rest.firstIndex(of: "\"") else { continue }
            out.append(String(rest[..<end]).replacingOccurrences(of: "&amp;", with: "&"))
        }
        return out
    }

    static func unzip(_ arguments: [String]) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/unzip")
        process.arguments = arguments
        let output = Pipe()
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        try process.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw ReadError(description: "unzip \(arguments.joined(separator: " ")) exited \(process.terminationStatus)")
        }
        return String(decoding: data, as: UTF8.self)
    }
}

/// Collects the cells of a worksheet's XML.
private final class SheetReader: NSObject, XMLParserDelegate {
    var rows: [[ReportWorkbook.Cell]] = []
    private var cell: ReportWorkbook.Cell?
    private var inValue = false

    func parser(_ parser: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?,
                attributes: [String: String] = [:]) {
        switch name {
        case "row": rows.append([])
        case "c": cell = .init(reference: attributes["r"] ?? "", type: attributes["t"], style: attributes["s"].flatMap { Int($0) },
                               text: "", hasFormula: false)
        case "v", "t": inValue = true
        case "f": cell?.hasFormula = true
        default: break
        }
    }

    func parser(_ parser: XMLParser, foundCharacters string: String) {
        if inValue { cell?.text += string }
    }

    func parser(_ parser: XMLParser, didEndElement name: String, namespaceURI: String?, qualifiedName: String?) {
        switch name {
        case "v", "t": inValue = false
        case "c":
            // Cells by column: the ones never written are empty.
            if let cell {
                let column = cell.reference.unicodeScalars.prefix { $0.properties.isAlphabetic }
                    .reduce(0) { $0 * 26 + Int($1.value) - 64 } - 1
                while rows[rows.count - 1].count < column {
                    rows[rows.count - 1].append(.init(reference: "", type: nil, style: nil, text: "", hasFormula: false))
                }
                rows[rows.count - 1].append(cell)
            }
            cell = nil
        default: break
        }
    }
}
