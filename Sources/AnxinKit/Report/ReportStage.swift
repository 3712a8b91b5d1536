import AnxinCore
import Foundation
import XLSX

/// The report stage: the oversight workbook officials read, one per run, written to
/// `<output>/anxin-report-<as-of>.xlsx` from the datasets of the earlier stages.
///
/// Sheets: Summary, Screening, Review (the one sheet with full ID numbers, laid out as the next
/// night's `review_decisions`), Cards, Pending, Institutions, Districts and areas, Data quality,
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
        guard options.rowsPerSheet >= 1, options.rowsPerSheet < Worksheet.rowLimit else {
            throw .config("report rows per sheet must be 1...\(Worksheet.rowLimit - 1), not \(options.rowsPerSheet)")
        }
        let labels = ReportLabels.of(config.language)
        // persons.csv, the biggest dataset, is read on a second thread while the rest is loaded.
        let people = BackgroundWork(name: "anxin-report-read") { () throws(PipelineError) -> ReportPeople in try ReportPeople.read(config) }
        let inputs = try ReportInputs.load(config, labels: labels)
        try Dataset.makeDirectory(config.paths.output)
        let path = path(config)
        do {
            let book = try ReportBook(path: path, labels: labels, rowsPerSheet: options.rowsPerSheet,
                                      temporaryDirectory: config.paths.work)
            let writer = ReportWriter(config: config, runID: runID, book: book, inputs: inputs, people: try people.value())
            try writer.write()
            try book.close()
            var sheets: [String: Int] = [:]
            for (sheet, rows) in book.rows { sheets[sheet] = rows }
            return Report(path: path, sheets: sheets, summary: writer.summaryLines(path: path))
        } catch let e as PipelineError {
            throw e
        } catch let e as XLSXError {
            throw .io("cannot write the report: \(e)")
        } catch {
            throw .io("cannot write the report \(path): \(error)")
        }
    }
}
