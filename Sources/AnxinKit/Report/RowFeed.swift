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

    // Everything below is guarded by `condition`.
    private let condition = NSCondition()
    private var ready: [CellRows] = []
    private var finished = false
    private var cancelled = false
    private var failure: (any Error)?
    private var summary: Summary?

    private let capacity = 8
    private let batchSize: Int

    /// Starts `produce` on its own thread; it hands over rows through the sink and returns a
    /// summary (counts made on the way), available as `result` once the rows are consumed.
    init(batchSize: Int = 1_024, _ produce: @escaping @Sendable (_ sink: Sink) throws -> Summary) {
        self.batchSize = batchSize
        let thread = Thread { [self] in self.run(produce) }
        thread.name = "anxin-report-rows"
        thread.start()
    }

    /// The next batch of rows, or nil when there are no more; rethrows the producer's error.
    func next() throws -> CellRows? {
        condition.lock()
        defer { condition.unlock() }
        while ready.isEmpty && !finished { condition.wait() }
        if !ready.isEmpty {
            condition.broadcast()
            return ready.removeFirst()
        }
        if let failure { throw failure }
        return nil
    }

    /// What the producer returned; nil before it finished, or when it failed.
    var result: Summary? {
        condition.lock()
        defer { condition.unlock() }
        return summary
    }

    /// Stops the producer if it still runs (this side failed) and waits until it has: no thread
    /// outlives the sheet it was making rows for.
    func cancel() {
        condition.lock()
        defer { condition.unlock() }
        cancelled = true
        condition.broadcast()
        while !finished { condition.wait() }
    }

    private func run(_ produce: (_ sink: Sink) throws -> Summary) {
        let sink = Sink(batchSize: batchSize) { [self] batch in try hand(batch) }
        do {
            let made = try produce(sink)
            try sink.flush()
            condition.lock()
            summary = made
        } catch {
            condition.lock()
            failure = error
        }
        finished = true
        condition.broadcast()
        condition.unlock()
    }

    private func hand(_ batch: CellRows) throws {
        condition.lock()
        defer { condition.unlock() }
        while ready.count >= capacity && !cancelled { condition.wait() }
        if cancelled { throw CancellationError() }
        ready.append(batch)
        condition.broadcast()
    }
}

/// One value computed on a second thread while this one does other work.
final class BackgroundWork<Value: Sendable>: @unchecked Sendable {
    // Guarded by `condition`.
    private let condition = NSCondition()
    private var outcome: Result<Value, any Error>?

    /// Starts `work` on its own thread.
    init(_ work: @escaping @Sendable () throws -> Value) {
        let thread = Thread { [self] in
            let result = Result { try work() }
            condition.lock()
            outcome = result
            condition.broadcast()
            condition.unlock()
        }
        thread.name = "anxin-report-read"
        thread.start()
    }

    /// The value, waiting for it if need be; rethrows the work's error.
    func value() throws -> Value {
        condition.lock()
        defer { condition.unlock() }
        while outcome == nil { condition.wait() }
        return try outcome!.get()
    }
}

/// A sheet written on a thread of its own while this one writes the sheets after it.
///
/// libxlsxwriter writes different worksheets from different threads safely once the formats
/// they use are in the workbook (see `XLSX.Workbook`): the lane's sheets are added, and its
/// formats looked up, before it starts, and it touches no other sheet. Its value (or error)
/// is taken with `value()`; `cancel()` stops it early, and either waits until the thread is
/// done, so nothing it writes outlives the workbook.
final class SheetLane<Value>: @unchecked Sendable {
    // Guarded by `condition`.
    private let condition = NSCondition()
    private var outcome: Result<Value, any Error>?
    /// The lane's work, run once on its thread and let go there (with the sheet and book it
    /// holds) before its value is given.
    private var work: (() throws -> Value)?
    /// Makes the work end early (it then throws or returns what it has).
    private let stop: () -> Void

    /// Starts `work` on its own thread; `stop` makes it end early.
    init(stop: @escaping () -> Void = {}, _ work: @escaping () throws -> Value) {
        self.work = work
        self.stop = stop
        let thread = Thread { [self] in
            let result = Result { try self.work!() }
            self.work = nil
            condition.lock()
            outcome = result
            condition.broadcast()
            condition.unlock()
        }
        thread.name = "anxin-report-sheet"
        thread.start()
    }

    /// The lane's value, waiting for it if need be; rethrows its error.
    func value() throws -> Value {
        condition.lock()
        defer { condition.unlock() }
        while outcome == nil { condition.wait() }
        return try outcome!.get()
    }

    /// Makes the lane end early, and waits until it has.
    func cancel() {
        stop()
        _ = try? value()
    }
}
