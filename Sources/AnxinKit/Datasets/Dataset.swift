import AnxinCore
import CSV
import Foundation

/// Reading and writing the named datasets stages hand to each other (CSV in the work folder).
public enum Dataset {
    /// Streams the rows of a dataset this pipeline wrote, checking its header.
    public static func forEach<Row: DatasetRow>(_ type: Row.Type, at path: String,
                                                _ body: (Row) throws -> Void) throws(PipelineError) {
        try forEachRow(at: path, columns: Row.datasetColumns) { row in
            try body(try Row(fields: row.datasetFields))
        }
    }

    /// Reads every row of a dataset.
    public static func read<Row: DatasetRow>(_ type: Row.Type, at path: String) throws(PipelineError) -> [Row] {
        var rows: [Row] = []
        try forEach(type, at: path) { rows.append($0) }
        return rows
    }

    /// Streams the raw records of a dataset whose header must be `columns`, each a copy that
    /// outlives the call.
    public static func forEachRecord(at path: String, columns: [String],
                                     _ body: (CSVRecord) throws -> Void) throws(PipelineError) {
        try forEachRow(at: path, columns: columns) { try body($0.record) }
    }

    /// Streams the rows of a dataset whose header must be `columns`, each lent by the reader:
    /// its bytes are valid only during the call of `body` (no copy is made of a row).
    public static func forEachRow(at path: String, columns: [String],
                                  _ body: (CSVRow) throws -> Void) throws(PipelineError) {
        guard FileManager.default.fileExists(atPath: path) else {
            throw .dataset("\(path) is missing: run the stage that writes it first")
        }
        do {
            let reader = try CSVReader(path: path)
            var first = true
            while let item = try reader.nextRow() {
                let r: CSVRow
                switch item {
                case .record(let row):
                    r = row
                case .problem(let p):
                    throw PipelineError.dataset("\(path): line \(p.line) is malformed; the file was changed after it was written, rerun the stage that writes it")
                }
                if first {
                    first = false
                    let header = r.record.lossyFields
                    guard header == columns else {
                        throw PipelineError.dataset("\(path) has the columns \(header.joined(separator: ",")), expected \(columns.joined(separator: ",")); rerun the stage that writes it")
                    }
                    continue
                }
                do {
                    try body(r)
                } catch let e as DatasetError {
                    throw PipelineError.dataset("\(path): line \(r.line): \(e.message); rerun the stage that writes it")
                }
            }
        } catch let e as PipelineError {
            throw e
        } catch {
            throw .io("\(error)")
        }
    }

    /// Writes rows to `path` (staged; owner-only).
    public static func write(_ header: [String], _ rows: some Sequence<[String]>, to path: String) throws(PipelineError) -> StagedFile {
        do {
            let w = try CSVWriter(path: path)
            try w.write(header)
            for r in rows { try w.write(r) }
            return try w.stage()
        } catch {
            throw .io("\(error)")
        }
    }

    /// Creates a folder (owner-only) if needed.
    public static func makeDirectory(_ path: String) throws(PipelineError) {
        do {
            try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true,
                                                    attributes: [.posixPermissions: 0o700])
        } catch {
            throw .io("cannot create \(path): \(error.localizedDescription)")
        }
    }

    /// Renames every staged file into place, or removes them all if one fails.
    public static func commit(_ files: [StagedFile]) throws(PipelineError) {
        do {
            for f in files { try f.commit() }
        } catch {
            for f in files { f.discard() }
            throw .io("\(error)")
        }
    }
}
