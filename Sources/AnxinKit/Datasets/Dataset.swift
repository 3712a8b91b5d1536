import AnxinCore
import CSV
import Foundation

/// Reading and writing the named datasets stages hand to each other (CSV in the work folder).
public enum Dataset {
    /// Streams the rows of a dataset this pipeline wrote, checking its header.
    public static func forEach<Row: DatasetRow>(_ type: Row.Type, at path: String,
                                                _ body: (Row) throws -> Void) throws(PipelineError) {
        try forEachRow(at: path, columns: Row.datasetColumns) { row in
            try body(try Row(row: LentFields(row: row)))
        }
    }

    /// Reads every row of a dataset, in file order; a big dataset is read in pieces on every core.
    public static func read<Row: DatasetRow>(_ type: Row.Type, at path: String,
                                             minimumPieceBytes: Int = pieceBytes) throws(PipelineError) -> [Row] {
        var parts = try mapPieces(at: path, columns: Row.datasetColumns, minimumPieceBytes: minimumPieceBytes) {
            (piece) throws(PipelineError) -> [Row] in
            var rows: [Row] = []
            try piece.forEach { row in rows.append(try Row(row: LentFields(row: row))) }
            return rows
        }
        if parts.count == 1 { return parts[0] }
        var rows: [Row] = []
        rows.reserveCapacity(parts.reduce(0) { $0 + $1.count })
        for i in parts.indices {
            rows.append(contentsOf: parts[i])
            parts[i] = []  // one piece's copy at a time
        }
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
        try checkExists(path)
        try stream(path, columns: columns, body) { () throws(CSVError) in try CSVReader(path: path) }
    }

    /// The smallest piece of a dataset worth a thread of its own (below it, starting the
    /// thread costs more than the reading it saves).
    public static let pieceBytes = 4 << 20

    /// The rows of one piece of a dataset (see `mapPieces`).
    public struct Piece: Sendable {
        let path: String
        let piece: CSVPiece
        /// The header the piece starts with: the first piece's.
        let header: [String]?

        /// Streams the piece's rows in file order, each lent by the reader as by `forEachRow`.
        public func forEach(_ body: (CSVRow) throws -> Void) throws(PipelineError) {
            let (path, piece) = (path, piece)
            try Dataset.stream(path, columns: header, body) { () throws(CSVError) in try CSVReader(path: path, piece: piece) }
        }
    }

    /// Cuts a dataset whose header must be `columns` into pieces, one per core, and runs
    /// `body` on each piece on its own thread. Returns the results in file order, so that
    /// joining them gives what one pass over the file would, and throws the error a single pass
    /// would have met first. A dataset smaller than two pieces of `minimumPieceBytes` is one
    /// piece, read on this thread.
    public static func mapPieces<Part: Sendable>(
        at path: String, columns: [String], minimumPieceBytes: Int = pieceBytes,
        _ body: @Sendable (Piece) throws(PipelineError) -> Part
    ) throws(PipelineError) -> [Part] {
        try checkExists(path)
        let cut: [CSVPiece]
        do {
            cut = try CSVPiece.cut(path, count: Parallel.cores, minimumBytes: minimumPieceBytes)
        } catch {
            throw .io("\(error)")
        }
        let pieces = cut.enumerated().map { Piece(path: path, piece: $1, header: $0 == 0 ? columns : nil) }
        if pieces.count == 1 { return [try body(pieces[0])] }
        let results = Parallel.map(parts: pieces.count) { i in
            Result { () throws(PipelineError) -> Part in try body(pieces[i]) }
        }
        return try results.map { result throws(PipelineError) in try result.get() }
    }

    private static func checkExists(_ path: String) throws(PipelineError) {
        guard FileManager.default.fileExists(atPath: path) else {
            throw .dataset("\(path) is missing: run the stage that writes it first")
        }
    }

    /// The rows of the reader `open` makes, after the header `columns` (nil: no header).
    private static func stream(_ path: String, columns: [String]?, _ body: (CSVRow) throws -> Void,
                               open: () throws(CSVError) -> CSVReader) throws(PipelineError) {
        do {
            let reader = try open()
            var header = columns != nil
            while let item = try reader.nextRow() {
                let r: CSVRow
                switch item {
                case .record(let row):
                    r = row
                case .problem(let p):
                    throw PipelineError.dataset("\(path): line \(p.line) is malformed; the file was changed after it was written, rerun the stage that writes it")
                }
                if header, let columns {
                    header = false
                    let found = r.record.lossyFields
                    guard found == columns else {
                        throw PipelineError.dataset("\(path) has the columns \(found.joined(separator: ",")), expected \(columns.joined(separator: ",")); rerun the stage that writes it")
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

    /// Writes `rows` to `path` (staged; owner-only), each row's fields given by `fields`: the
    /// same file as `write(_:_:to:)`, the lines made in blocks on every core.
    public static func write<Rows: RandomAccessCollection & Sendable>(
        _ header: [String], _ rows: Rows, to path: String, fields: @Sendable (Rows.Element) -> [String]
    ) throws(PipelineError) -> StagedFile where Rows.Index == Int {
        try write(header, rows, to: path) { (row, line: inout CSVLines) in
            for field in fields(row) { line.field(field) }
        }
    }

    /// Writes `rows` to `path` (staged; owner-only), each row's fields appended by `line`
    /// straight into bytes (it must not end the line): for the biggest datasets, with no
    /// string made for each field. The lines are made in blocks on every core.
    public static func write<Rows: RandomAccessCollection & Sendable>(
        _ header: [String], _ rows: Rows, to path: String, line: @Sendable (Rows.Element, inout CSVLines) -> Void
    ) throws(PipelineError) -> StagedFile where Rows.Index == Int {
        do {
            let w = try CSVWriter(path: path)
            try w.write(header)
            let block = 65_536
            for start in stride(from: rows.startIndex, to: rows.endIndex, by: block) {
                let pieces = Parallel.pieces(of: start..<min(start + block, rows.endIndex), Parallel.Plan(parts: Parallel.cores, minimum: 4_096))
                let lines = Parallel.map(parts: pieces.count) { i -> [UInt8] in
                    var lines = CSVLines()
                    for index in pieces[i] {
                        line(rows[index], &lines)
                        lines.endLine()
                    }
                    return lines.bytes
                }
                for (piece, bytes) in zip(pieces, lines) { try w.writeLines(bytes, count: piece.count) }
            }
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

/// A dataset line as the reader lends it, read in place by `DatasetRow.init(row:)`.
struct LentFields: DatasetFields {
    let row: CSVRow

    var count: Int { row.count }

    func bytes(_ i: Int) -> UnsafeBufferPointer<UInt8> { row.field(i) }

    func text(_ i: Int) -> String { row.datasetField(i) }
}
