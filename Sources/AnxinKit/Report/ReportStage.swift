import AnxinCore
import Foundation
import Synchronization
import XLSX

/// The report stage: the oversight workbook officials read, one per run, written to
/// `<output>/anxin-report-<as-of>.xlsx` from the datasets of the earlier stages.
///
/// Sheets: Summary, Screening, Review (the one sheet with full ID numbers, laid out as the next
/// night's `review_decisions`), Pending, Cards, Institutions, Districts and areas, Data quality,
/// Rejected rows and Trends. The file is written under a temporary name and renamed into place
/// only when complete, owner-only. The same datasets, configuration and run id give the same
/// bytes: the creation time is the as-of date at 00:00 UTC.
public enum ReportStage {
    /// How the workbook is laid out.
    public struct Options: Sendable {
        /// Data rows a sheet holds before its table continues on `Name (2)`; Excel's limit,
        /// 1,048,575 below the header, unless a test asks for less.
        public var rowsPerSheet: Int

        /// Options; the default fills each sheet to Excel's limit.
        public init(rowsPerSheet: Int = Worksheet.rowLimit - 1) {
            self.rowsPerSheet = rowsPerSheet
        }
    }

    /// What the stage wrote.
    public struct Report: Sendable, Equatable {
        /// The workbook.
        public var path: String
        /// Data rows per sheet, by sheet name: rows below the header of a table (for the Summary,
        /// the rows it fills; for Data quality, its entries; for Districts and areas, the longer
        /// of its two tables).
        public var sheets: [String: Int]
        /// The lines `anxin run` prints about the report.
        public var summary: [String]
    }

    /// Where the workbook of `config`'s as-of date goes.
    public static func path(_ config: Configuration) -> String {
        config.paths.output + "/anxin-report-\(config.asOf).xlsx"
    }

    /// Writes the workbook with the default layout.
    public static func run(_ config: Configuration, runID: String) throws(PipelineError) -> Report {
        try run(config, runID: runID, options: Options())
    }

    /// Writes the workbook.
    public static func run(_ config: Configuration, runID: String, options: Options) throws(PipelineError) -> Report {
        let (book, writer) = try open(config, runID: runID, options: options)
        return try writing(path(config)) { () throws -> Report in
            try writer.write()
            return try close(book, writer)
        }
    }

    /// A workbook begun before the cards stage and the evaluation are done: the sheets about
    /// people (Screening, Review, Pending), which read only what ingest and screening wrote, are
    /// written; `finish(_:)` writes the rest. Dropped unfinished, it leaves no file behind.
    public final class Draft: @unchecked Sendable {
        fileprivate let book: ReportBook
        fileprivate let writer: ReportWriter

        fileprivate init(book: ReportBook, writer: ReportWriter) {
            self.book = book
            self.writer = writer
        }

        /// Drops the workbook unfinished: nothing is written, and its temporary files go now.
        public func discard() {
            book.stop?.request()
            writer.cancelCards()
            book.workbook.discard()
        }
    }

    /// Asks a workbook being begun to stop early: its tables then stop taking rows, and
    /// `begin` throws.
    public final class Stop: Sendable {
        private let requested = Atomic<Bool>(false)

        public init() {}

        /// Asks the workbook to stop.
        public func request() { requested.store(true, ordering: .relaxed) }

        var isRequested: Bool { requested.load(ordering: .relaxed) }
    }

    /// The thread a draft's Cards sheet is written on, once tonight's cards are committed.
    static func cardsErrand() -> Errand { Errand(name: "anxin-report-cards") }

    /// Begins the workbook: a full run calls this on a thread of low priority while the
    /// cards stage and the evaluation run, so the sheets about people are written in the time
    /// they leave to a core. persons.csv is read in one piece, on a thread the calling one starts
    /// (which shares its priority), not in pieces on libdispatch's threads (which would not).
    /// When `cardsCommitted` says true, the Cards sheet is started too, from the registry the
    /// cards stage has committed, while that stage writes its exports and this thread writes
    /// the sheets about people. It is started on `cardsThread`, which the caller starts with its
    /// own priority (the Cards sheet is the workbook's longest path: it must not get the low
    /// priority of the sheets about people); `begin` calls its `finish()` in any case.
    public static func begin(_ config: Configuration, runID: String, options: Options = Options(),
                             stop: Stop? = nil, cardsCommitted: Signal<Bool>? = nil,
                             cardsThread: Errand? = nil) throws(PipelineError) -> Draft {
        let starter = cardsCommitted == nil ? cardsThread : cardsThread ?? cardsErrand()
        defer { try? starter?.finish() }  // lets the thread go if no work was handed to it
        let (book, writer) = try open(config, runID: runID, options: options, readPieceBytes: .max)
        let stop = stop ?? Stop()  // set before any sheet's thread starts, which reads it
        book.stop = stop
        let draft = Draft(book: book, writer: writer)
        do {
            try writing(path(config)) { () throws in
                try writer.addBeforeCards()
                if let cardsCommitted, let starter {
                    _ = starter.start {
                        if cardsCommitted.wait() == true && !stop.isRequested { try writer.startCardsEarly() }
                    }
                }
                do {
                    try writer.writeBeforeCards()
                } catch {
                    // Stopped, or failed: the Cards sheet does not wait for the cards any longer,
                    // and, if started, is stopped with the draft.
                    stop.request()
                    cardsCommitted?.send(false)
                    try? starter?.finish()
                    throw error
                }
                try starter?.finish()
            }
        } catch {
            draft.discard()
            throw error
        }
        return draft
    }

    /// Writes the rest of a workbook begun by `begin(_:runID:options:)`, once the cards stage
    /// and the evaluation are done, and closes it.
    public static func finish(_ draft: Draft) throws(PipelineError) -> Report {
        do {
            return try writing(path(draft.writer.config)) { () throws -> Report in
                try draft.writer.writeAfterPeople()
                return try close(draft.book, draft.writer)
            }
        } catch {
            draft.discard()
            throw error
        }
    }

    /// Reads what ingest and screening wrote and opens the workbook under its temporary name.
    private static func open(_ config: Configuration, runID: String, options: Options,
                             readPieceBytes: Int = Dataset.pieceBytes) throws(PipelineError) -> (ReportBook, ReportWriter) {
        guard options.rowsPerSheet >= 1, options.rowsPerSheet < Worksheet.rowLimit else {
            throw .config("report rows per sheet must be 1...\(Worksheet.rowLimit - 1), not \(options.rowsPerSheet)")
        }
        let labels = ReportLabels.of(config.language)
        // persons.csv, the biggest dataset, is read on a second thread while the rest is loaded.
        let people = BackgroundWork(name: "anxin-report-read") { () throws(PipelineError) -> ReportPeople in try ReportPeople.read(config, minimumPieceBytes: readPieceBytes) }
        let inputs: ReportInputs
        do {
            inputs = try ReportInputs.load(config, labels: labels)
        } catch {
            people.cancel()
            throw error
        }
        try Dataset.makeDirectory(config.paths.output)
        return try writing(path(config)) { () throws -> (ReportBook, ReportWriter) in
            let book = try ReportBook(path: path(config), labels: labels, rowsPerSheet: options.rowsPerSheet,
                                      temporaryDirectory: config.paths.work)
            return (book, ReportWriter(config: config, runID: runID, book: book, inputs: inputs, people: try people.value()))
        }
    }

    /// Closes the workbook, renaming it into place, and says what it holds.
    private static func close(_ book: ReportBook, _ writer: ReportWriter) throws -> Report {
        try book.close()
        var sheets: [String: Int] = [:]
        for (sheet, rows) in book.rows { sheets[sheet] = rows }
        let path = path(writer.config)
        return Report(path: path, sheets: sheets, summary: writer.summaryLines(path: path))
    }

    /// Runs `body`, which writes the workbook at `path`, with its errors said as the stage's.
    private static func writing<T>(_ path: String, _ body: () throws -> T) throws(PipelineError) -> T {
        do {
            return try body()
        } catch let e as PipelineError {
            throw e
        } catch let e as XLSXError {
            throw .io("cannot write the report: \(e)")
        } catch {
            throw .io("cannot write the report \(path): \(error)")
        }
    }
}
