import Foundation

/// Values made on a second thread and taken in order on this one, at most `capacity` waiting in
/// between, so memory stays small whatever the size of the city: for work that makes what a
/// consumer bound to one thread takes (libxlsxwriter writing a sheet).
final class Handoff<Value: Sendable, Summary: Sendable>: @unchecked Sendable {
    // Everything below is guarded by `condition`.
    private let condition = NSCondition()
    private var ready: [Value] = []
    private var finished = false
    private var cancelled = false
    private var failure: (any Error)?
    private var summary: Summary?
    private let capacity: Int

    /// Starts `produce` on a thread named `name`; it hands its values over through `hand` and
    /// returns a summary (counts made on the way), available as `result` once it is done.
    init(name: String, capacity: Int = 4,
         _ produce: @escaping @Sendable (_ hand: @escaping (Value) throws -> Void) throws -> Summary) {
        self.capacity = capacity
        let thread = Thread { [self] in
            do {
                let made = try produce { value in try self.hand(value) }
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
        thread.name = name
        thread.start()
    }

    /// The next value, or nil when there are no more; rethrows the producer's error.
    func next() throws -> Value? {
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
    /// outlives the work it was making values for.
    func cancel() {
        condition.lock()
        defer { condition.unlock() }
        cancelled = true
        condition.broadcast()
        while !finished { condition.wait() }
    }

    private func hand(_ value: Value) throws {
        condition.lock()
        defer { condition.unlock() }
        while ready.count >= capacity && !cancelled { condition.wait() }
        if cancelled { throw CancellationError() }
        ready.append(value)
        condition.broadcast()
    }
}

/// One value computed on a second thread while this one does other work: a dataset read, or a
/// sheet written beside the others.
///
/// The work may use values that are not `Sendable` (a sheet, its workbook): it must touch
/// nothing another thread changes meanwhile. It is let go on its thread (with what it holds)
/// before its value is given. `value()` waits for the value or rethrows the work's error;
/// `cancel()` makes the work end early through `stop` and waits until it has, so nothing it
/// writes outlives what it writes to.
final class BackgroundWork<Value>: @unchecked Sendable {
    // Guarded by `condition`.
    private let condition = NSCondition()
    private var outcome: Result<Value, any Error>?
    /// The work, run once on its thread.
    private var work: (() throws -> Value)?
    /// Makes the work end early (it then throws or returns what it has).
    private let stop: () -> Void

    /// Starts `work` on a thread named `name`; `stop` makes it end early. With `spareTime`, the
    /// thread (and the threads it starts) run at a low priority (nice 10, which a process cannot
    /// undo without privilege): the work takes the time the process's other threads leave to a
    /// core and mostly gives way to them, without being starved by whatever else the machine runs.
    init(name: String, spareTime: Bool = false, stop: @escaping () -> Void = {}, _ work: @escaping () throws -> Value) {
        self.work = work
        self.stop = stop
        let thread = Thread { [self] in
            if spareTime { lowerThreadPriority() }
            let result = Result { try self.work!() }
            self.work = nil
            condition.lock()
            outcome = result
            condition.broadcast()
            condition.unlock()
        }
        thread.name = name
        thread.start()
    }

    /// The value, waiting for it if need be; rethrows the work's error.
    func value() throws -> Value {
        condition.lock()
        defer { condition.unlock() }
        while outcome == nil { condition.wait() }
        return try outcome!.get()
    }

    /// Makes the work end early, and waits until it has.
    func cancel() {
        stop()
        _ = try? value()
    }
}

/// A thread started now, with the priority of the thread that starts it, for one piece of work
/// handed to it later, perhaps by a thread of lower priority: the work, and the threads it
/// starts, do not inherit that lower priority. `finish()` must be called in any case (again
/// is harmless): it waits for the work handed over, or lets the thread go when none was.
public final class Errand: @unchecked Sendable {
    /// The work handed over, or nil: the thread is let go.
    private let job = Signal<Job?>()
    private let thread: BackgroundWork<Void>

    /// Work handed from one thread to another.
    private final class Job: @unchecked Sendable {
        let run: () throws -> Void
        init(_ run: @escaping () throws -> Void) { self.run = run }
    }

    /// Starts the thread, named `name`; it waits for its work.
    public init(name: String) {
        let job = job
        thread = BackgroundWork(name: name) { try job.wait()?.run() }
    }

    /// Hands `work` to the thread; false (and the work not run) when work was handed over
    /// before or the thread was let go.
    func start(_ work: @escaping () throws -> Void) -> Bool {
        job.send(Job(work))
    }

    /// Waits for the work handed over and rethrows its error; lets the thread go when no work
    /// was handed over (none can be from then on).
    public func finish() throws {
        job.send(nil)
        try thread.value()
    }
}

/// A value sent once from one thread and waited for on others: the first `send` counts.
public final class Signal<Value: Sendable>: @unchecked Sendable {
    // Guarded by `condition`.
    private let condition = NSCondition()
    private var value: Value?

    public init() {}

    /// Sends `value`, unless a value was sent before; says whether it was sent.
    @discardableResult
    public func send(_ value: Value) -> Bool {
        condition.lock()
        defer { condition.unlock() }
        guard self.value == nil else { return false }
        self.value = value
        condition.broadcast()
        return true
    }

    /// Waits for the value sent.
    public func wait() -> Value {
        condition.lock()
        defer { condition.unlock() }
        while value == nil { condition.wait() }
        return value!
    }
}

/// Gives the calling thread a low priority (nice 10): on Linux a thread's nice value is its own
/// (`who` 0 names the calling thread), and the threads it starts inherit it. Where that cannot
/// be done, the thread goes on as it was.
private func lowerThreadPriority() {
    #if canImport(Glibc)
    _ = setpriority(__priority_which_t(PRIO_PROCESS.rawValue), 0, 10)
    #endif
}
