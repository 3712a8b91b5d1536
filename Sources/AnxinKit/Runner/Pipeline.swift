import AnxinCore
import Foundation
import Logging

/// How a run was asked for: which stages, and what may be overridden.
public struct RunOptions: Sendable {
    /// First stage to consider (nil: the first).
    public var from: StageName?
    /// Last stage to consider (nil: the last).
    public var to: StageName?
    /// Run only this stage.
    public var only: StageName?
    /// Rerun selected stages even when up to date.
    public var force = false
    /// Say what would run and why; change nothing.
    public var dryRun = false
    /// Let the run past the gates on input changes (not past an empty police extract).
    public var acceptInputChange = false

    /// Options with every stage selected.
    public init(from: StageName? = nil, to: StageName? = nil, only: StageName? = nil, force: Bool = false,
                dryRun: Bool = false, acceptInputChange: Bool = false) {
        self.from = from
        self.to = to
        self.only = only
        self.force = force
        self.dryRun = dryRun
        self.acceptInputChange = acceptInputChange
    }

    /// Whether `stage` is among those selected.
    public func selects(_ stage: StageName) -> Bool {
        if let only { return stage == only }
        if let from, stage < from { return false }
        if let to, to < stage { return false }
        return true
    }
}

/// Whether a stage must run, and why.
public struct StageState: Sendable, Equatable {
    public var stage: StageName
    /// Nil when up to date; otherwise why it is stale.
    public var staleBecause: String?
    /// Its last record, if it ever ran.
    public var record: StageRecord?
}

/// The stage runner: the one place that knows the order of the stages, decides what is stale,
/// holds the lock, checks the gates and writes the run manifest.
public final class Pipeline {
    public let config: Configuration
    let log: Logger
    private var fingerprints: FileFingerprints
    /// Reports progress of long stages.
    public var progress: ProgressSink?
    private let cache = StageCache()
    /// The report begun beside the cards stage and the evaluation, and when it began.
    private var reportDraft: (work: BackgroundWork<ReportStage.Draft>, since: Date)?

    /// A runner for one configuration.
    public init(config: Configuration, log: Logger) {
        self.config = config
        self.log = log
        fingerprints = FileFingerprints(cachePath: config.paths.work + "/stages/fingerprints.json")
    }

    // MARK: What each stage reads and writes

    /// Files from outside the pipeline a stage reads.
    func inputFiles(_ stage: StageName) -> [String] {
        switch stage {
        case .ingest:
            return [config.paths.districts, config.paths.services]
                + InputKind.allCases.compactMap { config.inputs[$0]?.path }
        case .screen:
            return []
        case .cards:
            return [config.paths.districts, config.paths.services]
        case .evaluate:
            return []
        case .report:
            return [config.paths.districts, config.paths.services]
        }
    }

    /// Datasets of earlier stages a stage reads.
    func upstreamFiles(_ stage: StageName) -> [String] {
        switch stage {
        case .ingest:
            return []
        case .screen:
            return [InputKind.seekers, InputKind.policeRecords, InputKind.training, InputKind.reviewDecisions]
                .filter { config.inputs[$0] != nil }.map { IngestStage.datasetPath(config, $0) }
        case .cards:
            return [ScreenStage.directory(config) + "/persons.csv", IngestStage.datasetPath(config, .institutions),
                    IngestStage.datasetPath(config, .evaluations)]
        case .evaluate:
            // Card holders are the people screening found eligible tonight (`persons.csv`), the
            // green cards the cards stage issues or keeps: the evaluation reads no card, and
            // runs beside the cards stage.
            return [IngestStage.datasetPath(config, .institutions), IngestStage.datasetPath(config, .evaluations),
                    IngestStage.datasetPath(config, .training), ScreenStage.directory(config) + "/persons.csv"]
        case .report:
            let screen = ScreenStage.directory(config)
            return [IngestStage.directory(config) + "/rejects.csv", screen + "/persons.csv", screen + "/screening_hits.csv",
                    screen + "/findings.csv", CardsStage.directory(config) + "/cards.csv",
                    CardsStage.directory(config) + "/changes.csv", EvaluateStage.directory(config) + "/institutions.csv"]
        }
    }

    /// Where a stage writes: its folder of datasets, and for the cards stage the registry.
    func writes(_ stage: StageName) -> [String] {
        switch stage {
        case .ingest: [IngestStage.directory(config) + "/"]
        case .screen: [ScreenStage.directory(config) + "/"]
        case .cards: [CardsStage.directory(config) + "/", config.paths.registry]
        case .evaluate: [EvaluateStage.directory(config) + "/"]
        case .report: [config.paths.output + "/"]
        }
    }

    /// Whether `stage` reads anything `earlier` writes, by the datasets it declares and the
    /// registry its configuration names. When it does not (the evaluation reads no card), a
    /// run has it beside `earlier`.
    func reads(_ stage: StageName, from earlier: StageName) -> Bool {
        let written = writes(earlier)
        let files = upstreamFiles(stage) + inputFiles(stage)
        if files.contains(where: { file in written.contains { file == $0 || file.hasPrefix($0) } }) { return true }
        return earlier == .cards && config.section(for: stage).contains { $0.hasPrefix("paths.registry =") }
    }

    /// The stage before `stage` when `stage` reads nothing that one writes: when both run, they
    /// run side by side.
    func runsBeside(_ stage: StageName) -> StageName? {
        guard let i = StageName.allCases.firstIndex(of: stage), i > 0 else { return nil }
        let previous = StageName.allCases[i - 1]
        return reads(stage, from: previous) ? nil : previous
    }

    /// Runs one stage.
    func execute(_ stage: StageName, runID: String) async throws(PipelineError) -> StageWork {
        cache.release(before: stage)
        if stage == .report, let draft = reportDraft?.work {
            reportDraft = nil
            let begun: ReportStage.Draft?
            do {
                begun = try draft.value()
            } catch {
                // The part begun beside the stages before failed (it left nothing behind): the
                // report is written whole now, and its own error, if any, is the stage's.
                log.warning("report: the sheets begun beside the stages before it failed (\(error)); written whole now")
                begun = nil
            }
            if let begun { return Pipeline.work(try ReportStage.finish(begun)) }
        }
        guard stage == .ingest else { return try Pipeline.execute(stage, config: config, cache: cache, runID: runID) }
        let reference = try ReferenceLoader.load(config.paths)
        let report = try await IngestStage.run(config, reference: reference, progress: progress)
        var counts: [String: Int] = ["rejected_rows": report.inputs.reduce(0) { $0 + $1.rejected }]
        for r in report.inputs {
            counts["\(r.input)_read"] = r.rowsRead
            counts["\(r.input)_accepted"] = r.accepted
            counts["\(r.input)_rejected"] = r.rejected
        }
        counts["seekers_rows"] = report.input(.seekers)?.rowsRead ?? 0
        let outputs = InputKind.allCases.filter { config.inputs[$0] != nil }.map { IngestStage.datasetPath(config, $0) }
            + [report.rejectsPath]
        return StageWork(outputs: outputs, counts: counts, summary: IngestSummary.lines(report), ingest: report)
    }

    /// Runs one stage after ingest: a function of what it is given, so two can run side by side.
    static func execute(_ stage: StageName, config: Configuration, cache: StageCache,
                        runID: String) throws(PipelineError) -> StageWork {
        switch stage {
        case .ingest:
            preconditionFailure("ingest reports progress and runs through the instance's execute")
        case .screen:
            let (_, report) = try ScreenStage.run(config, cache: cache)
            let f = report.funnel
            var counts = ["registrations": f.registrations, "people": f.people, "screened": f.screened,
                          "review": f.review, "pending": f.pending, "eligible": f.eligible,
                          "name_conflicts": report.nameConflicts, "unused_decisions": report.unusedDecisions]
            for (reason, n) in f.pendingByReason { counts["pending_\(reason)"] = n }
            return StageWork(outputs: [report.peoplePath, ScreenStage.directory(config) + "/persons.csv",
                                       report.hitsPath, report.findingsPath],
                             counts: counts, summary: ScreenSummary.lines(report, asOf: config.asOf))
        case .cards:
            let report = try CardsStage.run(config, reference: try ReferenceLoader.load(config.paths), runID: runID, cache: cache)
            let counts = ["cards_green": report.byColour[.green] ?? 0, "cards_yellow": report.byColour[.yellow] ?? 0,
                          "cards_red": report.byColour[.red] ?? 0, "cards_new": report.issued,
                          "cards_changed": report.changed, "cards_not_seen": report.notSeen,
                          "card_files_rendered": report.rendered]
            return StageWork(outputs: [report.cardsPath, report.changesPath], counts: counts,
                             summary: CardsStage.summary(report))
        case .evaluate:
            let report = try EvaluateStage.run(config, cache: cache)
            return StageWork(outputs: [report.path],
                             counts: ["institutions_evaluated": report.evaluated, "institutions_passed_round1": report.passedRound1,
                                      "institutions_selected": report.selected.count],
                             summary: EvaluateStage.summary(report))
        case .report:
            // The report reads its own datasets; the people the earlier stages shared were
            // released before it (and are freed with the cache, or with the process).
            return work(try ReportStage.run(config, runID: runID, options: .init()))
        }
    }

    /// The record of a report written.
    static func work(_ report: ReportStage.Report) -> StageWork {
        var counts: [String: Int] = [:]
        for (sheet, rows) in report.sheets { counts["rows_\(sheet)"] = rows }
        return StageWork(outputs: [report.path], counts: counts, summary: report.summary)
    }

    /// Begins the report beside the stages between screening and it, when it is selected and
    /// they run: its sheets about people read only what ingest and screening wrote (see
    /// `ReportStage.Draft`). The report itself decides, once they are done, whether it runs.
    private func beginReport(_ options: RunOptions, runID: String, cardsRun: Bool) {
        guard reportDraft == nil, options.selects(.report) else { return }
        let config = config
        let stop = ReportStage.Stop()
        // When the cards stage runs, the Cards sheet follows as soon as its cards are committed.
        let committed = cardsRun ? Signal<Bool>() : nil
        cache.cardsCommitted = committed
        // Started here, so with this thread's priority rather than the draft's.
        let cardsThread = cardsRun ? ReportStage.cardsErrand() : nil
        log.debug("report: its sheets about people are begun beside the cards stage and the evaluation")
        reportDraft = (BackgroundWork(name: "anxin-report", spareTime: true, stop: { stop.request(); committed?.send(false) }) {
            () throws(PipelineError) -> ReportStage.Draft in
            try ReportStage.begin(config, runID: runID, stop: stop, cardsCommitted: committed, cardsThread: cardsThread)
        }, Date())
    }

    /// Drops a report begun but not finished (the run stopped, or the report was up to date):
    /// stops it, waits for its thread, and removes its temporary file.
    private func dropReportDraft() {
        cache.cardsCommitted?.send(false)
        guard let work = reportDraft?.work else { return }
        reportDraft = nil
        work.cancel()
        (try? work.value())?.discard()
    }

    // MARK: Staleness

    /// Each stage's state as things stand.
    public func states() throws(PipelineError) -> [StageState] {
        try StageName.allCases.map { stage throws(PipelineError) in
            StageState(stage: stage, staleBecause: try staleness(stage), record: StageRecord.load(config, stage))
        }
    }

    /// Why `stage` must rerun, or nil when it is up to date.
    func staleness(_ stage: StageName) throws(PipelineError) -> String? {
        guard let record = StageRecord.load(config, stage) else { return "it has never run" }
        if record.toolVersion != AnxinVersion.current {
            return "the tool version changed (\(record.toolVersion) → \(AnxinVersion.current))"
        }
        if record.configHash != configHash(stage) { return "its configuration changed" }
        let inputs = inputFiles(stage)
        try fingerprints.prefetch(inputs + upstreamFiles(stage) + Array(record.outputs.keys))
        if Set(inputs) != Set(record.inputs.keys) { return "its list of input files changed" }
        for path in inputs {
            guard let f = try fingerprints.fingerprint(path) else { return "input \(path) is missing" }
            if f.sha256 != record.inputs[path] { return "input \(path) changed" }
        }
        let upstream = upstreamFiles(stage)
        if Set(upstream) != Set(record.upstream.keys) { return "its list of upstream datasets changed" }
        for path in upstream {
            guard let f = try fingerprints.fingerprint(path) else { return "upstream dataset \(path) is missing" }
            if f.sha256 != record.upstream[path] { return "upstream dataset \(path) changed" }
        }
        for (path, sha) in record.outputs.sorted(by: { $0.key < $1.key }) {
            guard let f = try fingerprints.fingerprint(path) else { return "output \(path) is missing" }
            if f.sha256 != sha { return "output \(path) was changed after it was written" }
        }
        return nil
    }

    func configHash(_ stage: StageName) -> String {
        FileFingerprints.sha256(text: config.section(for: stage).joined(separator: "\n"))
    }

    // MARK: Running

    /// Runs what the options select and is stale; returns the run's manifest.
    public func run(_ options: RunOptions) async throws(PipelineError) -> Manifest {
        let started = Date()
        let runID = Pipeline.newRunID()
        var manifest = Manifest(runID: runID, asOf: config.asOf.description, toolVersion: AnxinVersion.current,
                                configHash: FileFingerprints.sha256(text: StageName.allCases.flatMap(config.section(for:)).joined(separator: "\n")),
                                status: "running")
        if options.dryRun {
            var previousRuns = false
            for stage in StageName.allCases {
                let why = try staleness(stage)
                var plan: String
                let runs = options.selects(stage) && (options.force || why != nil)
                if !options.selects(stage) {
                    plan = "not selected" + (why.map { " (stale: \($0))" } ?? "")
                } else if options.force {
                    plan = "would run: forced" + (why.map { "; also stale: \($0)" } ?? "")
                } else if let why {
                    plan = "would run: \(why)"
                } else {
                    plan = "would skip: up to date"
                }
                if runs && previousRuns, let previous = runsBeside(stage) { plan += "; beside \(previous.rawValue)" }
                previousRuns = runs
                manifest.stages.append(StageEntry(stage: stage, ran: false, why: plan, started: nil, seconds: 0, counts: [:]))
                log.info("\(stage.rawValue): \(plan)")
            }
            manifest.status = "dry_run"
            return manifest
        }

        try Dataset.makeDirectory(config.paths.work)
        try Dataset.makeDirectory(config.paths.work + "/stages")
        let lock = try RunLock(path: config.paths.work + "/anxin.lock")
        defer { withExtendedLifetime(lock) {} }
        if options.selects(.cards) { try CardsStage.checkNightOrder(config) }
        removeLeftovers()

        do {
            var besideDone: StageName?
            for stage in StageName.allCases where stage != besideDone {
                guard options.selects(stage) else {
                    if let why = try staleness(stage), stage < (options.only ?? options.from ?? stage) {
                        log.warning("\(stage.rawValue): not selected, though stale: \(why); later stages use its last datasets")
                    }
                    manifest.stages.append(StageEntry(stage: stage, ran: false, why: "not selected", started: nil, seconds: 0,
                                                      counts: StageRecord.load(config, stage)?.counts ?? [:]))
                    continue
                }
                let why = options.force ? "forced" : try staleness(stage)
                // The gates stand between screening and anything that changes cards.
                if stage == .cards && why != nil { try checkGates(options) }
                if why != nil && (stage == .cards || stage == .evaluate) {
                    beginReport(options, runID: runID, cardsRun: stage == .cards)
                }
                // A report begun beside the cards stage waits for its cards no longer than the stage.
                defer { if stage == .cards { cache.cardsCommitted?.send(false) } }
                if let why, let next = stage.next, runsBeside(next) == stage, options.selects(next),
                   let nextWhy = options.force ? "forced" : try staleness(next) {
                    // The next stage reads nothing this one writes: both run at once, each on
                    // what the stages before them left.
                    try runBeside((stage, why), (next, nextWhy), runID: runID, into: &manifest)
                    besideDone = next
                } else if let why {
                    manifest.stages.append(try await runStage(stage, why: why, runID: runID))
                } else {
                    if stage == .report { dropReportDraft() }
                    let record = StageRecord.load(config, stage)
                    log.info("\(stage.rawValue): up to date (inputs, upstream datasets, configuration and tool unchanged), skipped")
                    for line in record?.summary ?? [] { log.debug("\(line)") }
                    manifest.stages.append(StageEntry(stage: stage, ran: false, why: "up to date", started: nil, seconds: 0,
                                                      counts: record?.counts ?? [:]))
                }

            }
            dropReportDraft()  // begun, but the report was not reached
            manifest.status = "done"
            try recordSuccess()
        } catch {
            dropReportDraft()
            manifest.status = error.exitCode == 3 ? "stopped_by_gate" : "failed"
            manifest.error = error.description
            manifest.seconds = Date().timeIntervalSince(started)
            try? finish(&manifest)
            throw error
        }
        manifest.seconds = Date().timeIntervalSince(started)
        try finish(&manifest)
        return manifest
    }

    private func runStage(_ stage: StageName, why: String, runID: String) async throws(PipelineError) -> StageEntry {
        let start = try begin(stage, why: why, since: stage == .report ? reportDraft?.since : nil)
        let work: StageWork
        do {
            work = try await execute(stage, runID: runID)
        } catch {
            // Nothing hashed beside a failed stage outlives it (the manifest uses its hashes).
            if let beside = start.inputsBeside { _ = fingerprints.adopt(beside) }
            throw error
        }
        return try finish(stage, why: why, start: start, seconds: Date().timeIntervalSince(start.date), work: work, runID: runID)
    }

    /// Runs `first` and `second` at the same time, each on a core of its own when the work
    /// allows; appends the entry of each that succeeds, in stage order, and throws the error of
    /// the first that failed (both are logged).
    private func runBeside(_ first: (stage: StageName, why: String), _ second: (stage: StageName, why: String),
                           runID: String, into manifest: inout Manifest) throws(PipelineError) {
        let starts = [try begin(first.stage, why: first.why),
                      try begin(second.stage, why: second.why + "; beside \(first.stage.rawValue)")]
        cache.release(before: first.stage)
        cache.release(before: second.stage)
        let (config, cache) = (config, cache)
        let timed = { @Sendable (stage: StageName) -> (Result<StageWork, PipelineError>, Date) in
            let result = Result { () throws(PipelineError) in try Pipeline.execute(stage, config: config, cache: cache, runID: runID) }
            return (result, Date())
        }
        let (a, b) = Parallel.both({ timed(first.stage) }, { timed(second.stage) })
        var failure: PipelineError?
        for (i, run) in [first, second].enumerated() {
            let (result, ended) = [a, b][i]
            let start = starts[i]
            switch result {
            case .success(let work):
                let seconds = ended.timeIntervalSince(start.date)
                manifest.stages.append(try finish(run.stage, why: run.why, start: start, seconds: seconds, work: work, runID: runID))
            case .failure(let error):
                if failure != nil { log.error("\(run.stage.rawValue): \(error.description)") }
                failure = failure ?? error
            }
        }
        if let failure { throw failure }
    }

    /// When a stage started, and the checksums of what it reads, taken before it runs (the
    /// extracts' not known then, beside the ingest stage as it reads them).
    private struct Start {
        var date: Date
        var inputs: [String: String]
        var upstream: [String: String]
        var inputsBeside: HashesBeside?
        /// The extracts' size, time and inode when the ingest stage began.
        var identities: [String: FileFingerprints.FileIdentity] = [:]
    }

    /// `since`: when the stage began beside the stages before it, if it did.
    private func begin(_ stage: StageName, why: String, since: Date? = nil) throws(PipelineError) -> Start {
        log.info("\(stage.rawValue): running (\(why)\(since == nil ? "" : "; begun beside the stages before it"))")
        let date = since ?? Date()
        let inputs = inputFiles(stage)
        // The extracts (half a gigabyte for a city) are hashed on a thread of low priority
        // while ingest reads them, in the time its work on both cores leaves; a missing one
        // stops the run here, as before.
        let identities = stage == .ingest ? inputs.reduce(into: [:]) { $0[$1] = FileFingerprints.identity(of: $1) } : [:]
        if stage == .ingest, let missing = inputs.first(where: { identities[$0] == nil }) { throw .io("\(missing) is missing") }
        let beside = stage == .ingest ? fingerprints.hashBeside(identities) : nil
        try fingerprints.prefetch((beside == nil ? inputs : []) + upstreamFiles(stage))
        return Start(date: date, inputs: beside == nil ? try fingerprintAll(inputs) : [:],
                     upstream: try fingerprintAll(upstreamFiles(stage)), inputsBeside: beside, identities: identities)
    }

    /// The checksums of `stage`'s inputs as it read them: taken before it ran, or hashed
    /// beside it. An extract that changed while the ingest stage ran (its size, time or inode
    /// are not those it had when the stage began) is recorded as such, so the next run reads it
    /// again.
    private func inputChecksums(_ stage: StageName, _ start: Start) throws(PipelineError) -> [String: String] {
        guard stage == .ingest else { return start.inputs }
        let unhashed = Set(start.inputsBeside.map { fingerprints.adopt($0) } ?? [])
        var checksums: [String: String] = [:]
        for path in inputFiles(stage) {
            let unchanged = !unhashed.contains(path) && start.identities[path] != nil
                && FileFingerprints.identity(of: path) == start.identities[path]
            var sha256 = start.inputs[path]
            if unchanged && sha256 == nil { sha256 = try fingerprints.fingerprint(path)?.sha256 }
            if unchanged, let sha256 {
                checksums[path] = sha256
            } else {
                log.warning("\(stage.rawValue): input \(path) changed (or could not be read) while the stage read it; the next run reads it again")
                checksums[path] = Pipeline.changedWhileRead
            }
        }
        return checksums
    }

    /// What a stage's record holds for an input that changed while the stage read it: no
    /// file's checksum.
    static let changedWhileRead = "changed while read"

    /// Records a stage that succeeded and logs what it did.
    private func finish(_ stage: StageName, why: String, start: Start, seconds: Double, work: StageWork,
                        runID: String) throws(PipelineError) -> StageEntry {
        let (started, upstream) = (start.date, start.upstream)
        let inputs = try inputChecksums(stage, start)
        try fingerprints.prefetch(work.outputs)
        let outputs = try fingerprintAll(work.outputs)
        let record = StageRecord(stage: stage, runID: runID, toolVersion: AnxinVersion.current, asOf: config.asOf.description,
                                 configHash: configHash(stage), inputs: inputs, upstream: upstream, outputs: outputs,
                                 counts: work.counts, summary: work.summary,
                                 started: ISO8601DateFormatter().string(from: started), seconds: seconds)
        try record.save(config)
        fingerprints.save()
        for line in work.summary { log.notice("\(line)") }
        log.info("\(stage.rawValue): done in \(String(format: "%.2f", seconds)) s")
        return StageEntry(stage: stage, ran: true, why: why, started: record.started, seconds: seconds, counts: work.counts)
    }

    private func fingerprintAll(_ paths: [String]) throws(PipelineError) -> [String: String] {
        var out: [String: String] = [:]
        for p in paths {
            guard let f = try fingerprints.fingerprint(p) else { throw .io("\(p) is missing") }
            out[p] = f.sha256
        }
        return out
    }

    /// Temporary files of a run that was killed: never renamed into place, so never used.
    private func removeLeftovers() {
        let fm = FileManager.default
        for folder in [config.paths.work, config.paths.output] {
            guard let items = fm.enumerator(atPath: folder) else { continue }
            for case let item as String in items where item.contains(".tmp-") {
                try? fm.removeItem(atPath: folder + "/" + item)
            }
        }
    }

    // MARK: Gates

    struct LastSuccess: Codable {
        var runID: String
        var seekersRows: Int
        var policeRows: Int
    }

    private var lastSuccessPath: String { config.paths.work + "/stages/last_success.json" }

    func checkGates(_ options: RunOptions) throws(PipelineError) {
        guard let ingest = StageRecord.load(config, .ingest) else { return }
        let seekers = ingest.counts["seekers_read"] ?? 0
        let rejected = ingest.counts["seekers_rejected"] ?? 0
        let police = ingest.counts["police_records_read"] ?? 0
        if police == 0 {
            throw .gate("gate police_records: the police extract has no rows; an empty extract always stops the run before the cards stage (fix the extract and run again)")
        }
        let share = seekers == 0 ? 0 : Double(rejected) / Double(seekers)
        if share > config.gates.maxRejectedSeekerShare && !options.acceptInputChange {
            throw .gate(String(format: "gate max_rejected_seeker_share: %d of %d seeker rows rejected (%.1f%%, the limit is %.1f%%); see the rejects ledger, fix the extract, or run with --accept-input-change", rejected, seekers, share * 100, config.gates.maxRejectedSeekerShare * 100))
        }
        if let data = FileManager.default.contents(atPath: lastSuccessPath),
           let last = try? JSONDecoder().decode(LastSuccess.self, from: data), last.policeRows > 0 {
            let drop = Double(last.policeRows - police) / Double(last.policeRows)
            if drop > config.gates.maxPoliceDrop && !options.acceptInputChange {
                throw .gate(String(format: "gate max_police_drop: the police extract has %d rows, %.1f%% fewer than the %d of the last successful run (the limit is %.1f%%); check the extract, or run with --accept-input-change to accept it", police, drop * 100, last.policeRows, config.gates.maxPoliceDrop * 100))
            }
        }
    }

    private func recordSuccess() throws(PipelineError) {
        guard let ingest = StageRecord.load(config, .ingest) else { return }
        try JSONFile.write(LastSuccess(runID: ingest.runID, seekersRows: ingest.counts["seekers_read"] ?? 0,
                                       policeRows: ingest.counts["police_records_read"] ?? 0), to: lastSuccessPath)
    }

    // MARK: Manifest

    private func finish(_ manifest: inout Manifest) throws(PipelineError) {
        if let ingest = StageRecord.load(config, .ingest) {
            for kind in InputKind.allCases {
                guard let source = config.inputs[kind] else { continue }
                let f = try fingerprints.fingerprint(source.path)
                // The checksum of what the ingest stage read, as its record has it.
                manifest.inputs.append(ManifestInput(
                    input: kind.rawValue, path: source.configuredPath, sha256: ingest.inputs[source.path] ?? f?.sha256 ?? "",
                    bytes: f?.bytes ?? 0,
                    rowsRead: ingest.counts["\(kind.rawValue)_read"] ?? 0,
                    accepted: ingest.counts["\(kind.rawValue)_accepted"] ?? 0,
                    rejected: ingest.counts["\(kind.rawValue)_rejected"] ?? 0))
            }
        }
        var counts: [String: Int] = [:]
        for stage in StageName.allCases {
            for (k, v) in StageRecord.load(config, stage)?.counts ?? [:] { counts[k] = v }
        }
        manifest.counts = Manifest.Counts(counts)
        for stage in StageName.allCases {
            for (path, sha) in (StageRecord.load(config, stage)?.outputs ?? [:]).sorted(by: { $0.key < $1.key }) {
                manifest.outputs.append(ManifestOutput(stage: stage, path: path, sha256: sha))
            }
        }
        try manifest.save(config)
        fingerprints.save()
    }

    static func newRunID() -> String {
        let f = DateFormatter()
        f.locale = Locale(identifier: "en_US_POSIX")
        f.timeZone = TimeZone(identifier: "UTC")
        f.dateFormat = "yyyyMMdd'T'HHmmss'Z'"
        return f.string(from: Date()) + "-\(getpid())"
    }
}

/// What one stage produced, for its record.
struct StageWork: Sendable {
    var outputs: [String]
    var counts: [String: Int]
    var summary: [String]
    var ingest: IngestReport?
}
