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
    ///
    /// The pieces make their rows in place, in one array, each in a stretch of its own, and the
    /// stretches are then closed up: the rows are not made in arrays of each piece's own, grown
    /// by doubling, and copied into one afterwards. (Each such copy writes the rows to memory
    /// never touched before, which the kernel must first clear, and a copy of a row retains all
    /// its text.) A stretch has room for as many rows as the piece has lines, which every piece
    /// but the last knows from the cut; the last is given as many per byte as the others had,
    /// an eighth more. Rows past a stretch (the last piece's, when its lines are shorter; any
    /// piece's when a record ends at a bare carriage return) are kept aside, and the array is
    /// then made again, the stretches moved into it and the rows kept aside copied.
    public static func read<Row: DatasetRow>(_ type: Row.Type, at path: String,
                                             minimumPieceBytes: Int = pieceBytes) throws(PipelineError) -> [Row] {
        let pieces = try cut(path, columns: Row.datasetColumns, minimumPieceBytes: minimumPieceBytes)
        guard pieces.count > 1, let last = pieces.last else { return try readOnePiece(pieces[0]) }
        let lines = zip(pieces, pieces.dropFirst()).map { $1.piece.firstLine - $0.piece.firstLine }
        let bytesPerLine = max(1, last.piece.bytes.lowerBound / max(1, lines.reduce(0, +)))
        let rooms = lines + [last.piece.bytes.count / bytesPerLine * 9 / 8 + 1024]
        let starts = rooms.indices.map { k in rooms[..<k].reduce(0, +) }

        var failure: PipelineError?
        var remade: [Row]?
        let rows = [Row](unsafeUninitializedCapacity: rooms.reduce(0, +)) { buffer, initialized in
            let array = RowSlots(base: buffer.baseAddress!)
            let made = Parallel.map(parts: pieces.count) { k -> (count: Int, over: [Row], error: PipelineError?) in
                var count = 0
                var over: [Row] = []  // rows past the stretch (rare: copied, not moved, later)
                do throws(PipelineError) {
                    try pieces[k].forEach { row in
                        let decoded = try Row(row: LentFields(row: row))
                        if count < rooms[k] {
                            array.set(starts[k] + count, decoded)
                            count += 1
                        } else {
                            over.append(decoded)
                        }
                    }
                    return (count, over, nil)
                } catch {
                    return (count, over, error)
                }
            }
            if let error = made.lazy.compactMap(\.error).first {
                // The error one pass over the file would have met first; nothing is kept.
                for k in made.indices { array.deinitialize(from: starts[k], count: made[k].count) }
                failure = error
                return
            }
            let total = made.reduce(0) { $0 + $1.count + $1.over.count }
            if made.allSatisfy({ $0.over.isEmpty }) {
                for k in made.indices { array.move(from: starts[k], count: made[k].count, to: initialized); initialized += made[k].count }
                return
            }
            // A piece had more rows than its stretch: the array is made again, each piece's
            // stretch moved into it, followed by the rows past it.
            remade = [Row](unsafeUninitializedCapacity: total) { target, moved in
                for k in made.indices {
                    array.move(from: starts[k], count: made[k].count, to: target.baseAddress! + moved)
                    moved += made[k].count
                    let over = made[k].over
                    _ = UnsafeMutableBufferPointer(start: target.baseAddress! + moved, count: over.count).initialize(from: over)
                    moved += over.count
                }
            }
        }
        if let failure { throw failure }
        return remade ?? rows
    }

    /// The rows of a dataset of one piece (one too small to be worth a second thread).
    private static func readOnePiece<Row: DatasetRow>(_ piece: Piece) throws(PipelineError) -> [Row] {
        var rows: [Row] = []
        try piece.forEach { row in rows.append(try Row(row: LentFields(row: row))) }
        return rows
    }

    /// The array `read` makes its rows in, shared by the threads of its pieces: each sets only
    /// the slots of its own stretch.
    private struct RowSlots<Row>: @unchecked Sendable {
        let base: UnsafeMutablePointer<Row>

        func set(_ index: Int, _ row: consuming Row) { (base + index).initialize(to: row) }

        func deinitialize(from start: Int, count: Int) { (base + start).deinitialize(count: count) }

        /// Moves `count` rows from `start` down to `target` (the two stretches may overlap).
        func move(from start: Int, count: Int, to target: Int) {
            if start != target { (base + target).moveInitialize(from: base + start, count: count) }
        }

        /// Moves `count` rows from `start` into another array's memory.
        func move(from start: Int, count: Int, to target: UnsafeMutablePointer<Row>) {
            target.moveInitialize(from: base + start, count: count)
        }
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
        let pieces = try cut(path, columns: columns, minimumPieceBytes: minimumPieceBytes)
        if pieces.count == 1 { return [try body(pieces[0])] }
        let results = Parallel.map(parts: pieces.count) { i in
            Result { () throws(PipelineError) -> Part in try body(pieces[i]) }
        }
        return try results.map { result throws(PipelineError) in try result.get() }
    }

    /// The pieces of a dataset whose header must be `columns`, one per core (see `mapPieces`).
    private static func cut(_ path: String, columns: [String], minimumPieceBytes: Int) throws(PipelineError) -> [Piece] {
        try checkExists(path)
        let cut: [CSVPiece]
        do {
            cut = try CSVPiece.cut(path, count: Parallel.cores, minimumBytes: minimumPieceBytes)
        } catch {
            throw .io("\(error)")
        }
        return cut.enumerated().map { Piece(path: path, piece: $1, header: $0 == 0 ? columns : nil) }
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
