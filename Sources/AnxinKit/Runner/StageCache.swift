import AnxinCore

/// What a stage leaves in memory for the stages after it in the same run, so a full run does
/// not read back what it has just written. A stage that finds nothing here (it runs alone, or
/// the stage before was skipped) reads the datasets instead; both give the same result.
public final class StageCache {
    /// Screening's results, one per person, in ID order.
    public var persons: [PersonResult]?
    /// Training results by person.
    public var training: [IDNumber: [TrainingResult]]?

    /// An empty cache.
    public init() {}

    /// Lets go of what no stage from `stage` on reads (the report reads its own datasets), so
    /// a full run does not carry a million people into the stages that do not need them.
    public func release(before stage: StageName) {
        if stage > .evaluate {
            persons = nil
            training = nil
        }
    }
}
