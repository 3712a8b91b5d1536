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
    public var training: TrainingIndex?
    /// Sent by the cards stage once tonight's cards are committed to the registry (true), or
    /// by the runner when the stage ended without committing (false): a report begun beside the
    /// cards stage then starts its Cards sheet.
    public var cardsCommitted: Signal<Bool>?
    /// What `release(before:)` took away. It is freed with the cache, not when taken: a million
    /// people's values take over a second of CPU to free, which the report would lose to it,
    /// and a process that ends after its run (`anxin run`) need not free them at all.
    private var released: [Any] = []

    /// An empty cache.
    public init() {}

    /// Takes away what no stage from `stage` on reads (the report reads its own datasets), so
    /// a full run does not hand a million people to the stages that do not need them.
    public func release(before stage: StageName) {
        guard stage > .evaluate, persons != nil || training != nil else { return }
        released.append((persons as Any, training as Any))
        persons = nil
        training = nil
    }
}
