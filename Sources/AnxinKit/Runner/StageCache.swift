import AnxinCore
import Foundation

/// What a stage leaves in memory for the stages after it in the same run, so a full run does
/// not read back what it has just written. A stage that finds nothing here (it runs alone, or
/// the stage before was skipped) reads the datasets instead; both give the same result.
///
/// One stage at a time sets or releases its values (the screening sets them, the report
/// releases them); the cards stage and the evaluation, which run side by side, only read them.
public final class StageCache: @unchecked Sendable {
    /// Screening's results, one per person, in ID order.
    public var persons: [PersonResult]?
    /// Training results by person.
    public var training: [IDNumber: [TrainingResult]]?
    /// What `release(before:)` took away, until `freeReleased()` lets it go.
    private var released: Released?

    /// An empty cache.
    public init() {}

    /// Takes away what no stage from `stage` on reads (the report reads its own datasets), so
    /// a full run does not hand a million people to the stages that do not need them. The
    /// values are freed by `freeReleased()`, or with the cache.
    public func release(before stage: StageName) {
        guard stage > .evaluate, persons != nil || training != nil else { return }
        released = Released(persons: persons, training: training)
        persons = nil
        training = nil
    }

    /// Frees what `release(before:)` took away, on a thread of its own: a million people's
    /// values take most of a second to free, which a stage can spend while this thread waits
    /// on one core (the report, while libxlsxwriter compresses the workbook on the other).
    public func freeReleased() {
        guard let released else { return }
        self.released = nil
        Thread.detachNewThread { released.free() }
    }

    /// Values handed to the thread that frees them; nothing else refers to them by then.
    private final class Released: @unchecked Sendable {
        private var persons: [PersonResult]?
        private var training: [IDNumber: [TrainingResult]]?

        init(persons: [PersonResult]?, training: [IDNumber: [TrainingResult]]?) {
            self.persons = persons
            self.training = training
        }

        func free() {
            persons = nil
            training = nil
        }
    }
}
