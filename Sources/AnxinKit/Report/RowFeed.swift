import Foundation
import XLSX

/// Rows of a big sheet made on a second thread while this one writes them.
///
/// Reading the registry or a dataset and building each row's text takes about as long as
/// libxlsxwriter takes to write the row, and libxlsxwriter works on one thread: making the
/// rows beside it nearly halves a big sheet's time. The rows arrive as `CellRows`, their text
/// already checked and laid out for libxlsxwriter, so the writing thread does no string work.
/// At most `capacity` batches wait in between, so memory stays small whatever the size of the
/// city.
final class RowFeed<Summary: Sendable>: @unchecked Sendable {
    /// Where the producer puts its rows: the cells of a row go into `rows`, then `endRow` ends it.
    final class Sink {
        /// The batch being filled.
        var rows: CellRows
        fileprivate let batchSize: Int
        fileprivate let hand: (CellRows) throws -> Void

        fileprivate init(batchSize: Int, hand: @escaping (CellRows) throws -> Void) {
            self.batchSize = batchSize
            self.hand = hand
            rows = CellRows(reservingRows: batchSize)
        }

        /// Ends the row whose cells were appended to `rows`.
        func endRow(_ style: RowStyle = .normal) throws {
            rows.endRow(tag: UInt8(style.rawValue))
            if rows.count == batchSize {
                try hand(rows)
                rows = CellRows(reservingRows: batchSize)
            }
        }

        /// Adds a row of `cells`.
        func emit(_ cells: [ReportCell], style: RowStyle = .normal) throws {
            for cell in cells { rows.append(cell) }
            try endRow(style)
        }

        /// Adds a row whose cells `fill` appends.
        func row(_ style: RowStyle = .normal, _ fill: (inout CellRows) -> Void) throws {
            fill(&rows)
            try endRow(style)
        }

        fileprivate func flush() throws {
            if rows.count > 0 { try hand(rows) }
        }
    }

    private let handoff: Handoff<CellRows, Summary>

    /// Starts `produce` on its own thread; it hands over rows through the sink and returns a
    /// summary (counts made on the way), available as `result` once the rows are consumed.
    init(batchSize: Int = 1_024, _ produce: @escaping @Sendable (_ sink: Sink) throws -> Summary) {
        handoff = Handoff(name: "anxin-report-rows", capacity: 8) { hand in
            let sink = Sink(batchSize: batchSize, hand: hand)
            let made = try produce(sink)
            try sink.flush()
            return made
        }
    }

    /// The next batch of rows, or nil when there are no more; rethrows the producer's error.
    func next() throws -> CellRows? { try handoff.next() }

    /// What the producer returned; nil before it finished, or when it failed.
    var result: Summary? { handoff.result }

    /// Stops the producer if it still runs (this side failed) and waits until it has: no thread
    /// outlives the sheet it was making rows for.
    func cancel() { handoff.cancel() }
}
