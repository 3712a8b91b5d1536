import AnxinCore
import CSV
import Foundation

/// The ingest stage: every extract becomes a dataset of typed, normalized rows
/// (`<work>/ingest/<input>.csv`) or entries of the rejects ledger (`rejects.csv`).
/// Nothing is renamed into place until every input has been read.
public enum IngestStage {
    /// The folder of the stage's datasets.
    public static func directory(_ config: Configuration) -> String { config.paths.work + "/ingest" }

    /// The dataset path of an input.
    public static func datasetPath(_ config: Configuration, _ kind: InputKind) -> String {
        directory(config) + "/\(kind.rawValue).csv"
    }

    /// Checks every input's header before anything is written: a missing required column,
    /// an empty file or an unreadable header stops the run with every such problem listed.
    public static func preflight(_ config: Configuration) throws(PipelineError) -> [InputKind: HeaderMap] {
        var maps: [InputKind: HeaderMap] = [:]
        var problems: [String] = []
        for kind in InputKind.allCases {
            guard let source = config.inputs[kind] else { continue }
            do {
                maps[kind] = try readHeader(source)
            } catch let e as PipelineError {
                problems.append(e.description)
            } catch {
                problems.append("\(source.configuredPath): \(error)")
            }
        }
        if !problems.isEmpty { throw .input(problems.joined(separator: "\n")) }
        return maps
    }

    static func readHeader(_ source: InputSource) throws -> HeaderMap {
        let reader = try CSVReader(path: source.path, encoding: source.encoding)
        guard let first = try reader.next() else {
            throw PipelineError.input("\(source.configuredPath): the file is empty; expected a header line with \(source.kind.columns.joined(separator: ","))")
        }
        guard case .record(let r) = first else {
            throw PipelineError.input("\(source.configuredPath): line 1: the header line cannot be parsed")
        }
        let header = (0..<r.count).map { r.string($0) ?? "\u{FFFD}" }
        switch HeaderMap.make(header: header, kind: source.kind, aliases: source.headerAliases) {
        case .success(let map):
            return map
        case .failure(.missing(let columns)):
            throw PipelineError.input("\(source.configuredPath): missing required column\(columns.count > 1 ? "s" : "") \(columns.joined(separator: ", ")) (header: \(header.joined(separator: ","))); add the file's header text under [inputs.\(source.kind.rawValue).headers] in the configuration")
        case .failure(.ambiguous(let column, let headers)):
            throw PipelineError.input("\(source.configuredPath): the headers \(headers.joined(separator: " and ")) both map to \(column)")
        }
    }

    /// Runs the stage: reads institutions first (other extracts refer to them), then the
    /// other extracts side by side.
    public static func run(_ config: Configuration, reference: ReferenceData,
                           progress: ProgressSink? = nil) async throws(PipelineError) -> IngestReport {
        let maps = try preflight(config)
        let totalBytes = config.inputs.values.reduce(0) {
            $0 + ((try? FileManager.default.attributesOfItem(atPath: $1.path)[.size] as? Int) ?? 0)
        }
        progress?.start("ingest", totalBytes: totalBytes)
        defer { progress?.finish() }
        let dir = directory(config)
        do {
            try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true,
                                                    attributes: [.posixPermissions: 0o700])
        } catch {
            throw .io("cannot create \(dir): \(error.localizedDescription)")
        }
        var rules = IngestRules(asOf: config.asOf, districts: reference.districtCodes, services: reference.serviceCodes)

        var results: [InputKind: InputResult] = [:]
        var staged: [StagedFile] = []
        defer { if !staged.isEmpty { for f in staged { f.discard() } } }

        let institutions = try ingest(Institution.self, config, maps, rules, progress: progress) { known, row in known.insert(row.institutionID) }
        results[.institutions] = institutions
        staged.append(institutions.dataset)
        rules.institutions = institutions.keys

        // The other extracts side by side; evaluations follow seekers, whose ID numbers tell
        // which evaluated workers are known.
        let fixedRules = rules
        let outcomes: [Result<InputResult, PipelineError>] = await withTaskGroup(of: [Result<InputResult, PipelineError>].self) { group in
            for kind in [InputKind.seekers, .policeRecords, .training, .reviewDecisions] where config.inputs[kind] != nil {
                group.addTask {
                    do throws(PipelineError) {
                        switch kind {
                        case .seekers:
                            let seekers = try ingest(Seeker.self, config, maps, fixedRules, progress: progress)
                            guard config.inputs[.evaluations] != nil else { return [.success(seekers)] }
                            var withWorkers = fixedRules
                            withWorkers.workers = seekers.workers
                            do throws(PipelineError) {
                                return [.success(seekers), .success(try ingest(Evaluation.self, config, maps, withWorkers, progress: progress))]
                            } catch {
                                return [.success(seekers), .failure(error)]
                            }
                        case .policeRecords: return [.success(try ingest(PoliceRecord.self, config, maps, fixedRules, progress: progress))]
                        case .training: return [.success(try ingest(TrainingResult.self, config, maps, fixedRules, progress: progress))]
                        case .reviewDecisions: return [.success(try ingest(ReviewDecision.self, config, maps, fixedRules, progress: progress))]
                        default: return []
                        }
                    } catch {
                        return [.failure(error)]
                    }
                }
            }
            var out: [Result<InputResult, PipelineError>] = []
            for await r in group { out.append(contentsOf: r) }
            return out
        }
        for outcome in outcomes {
            let r: InputResult
            switch outcome {
            case .success(let v): r = v
            case .failure(let e):
                for o in outcomes { if case .success(let v) = o { v.dataset.discard() } }
                throw e
            }
            results[r.kind] = r
            staged.append(r.dataset)
        }

        // The ledger, in the contract's order of inputs, then by line.
        let ledgerPath = dir + "/rejects.csv"
        var entries = 0
        do {
            let ledger = try CSVWriter(path: ledgerPath)
            try ledger.write(["input", "file", "line", "column", "header", "reason", "detail", "value"])
            for kind in InputKind.allCases {
                for reject in results[kind]?.rejects ?? [] {
                    try ledger.write([reject.input, reject.file, String(reject.line), reject.problem.column,
                                      reject.header, reject.problem.reason.rawValue, reject.problem.detail,
                                      reject.problem.value])
                    entries += 1
                }
            }
            staged.append(try ledger.stage())
        } catch {
            throw .io("\(error)")
        }

        let report = IngestReport(
            asOf: config.asOf.description,
            inputs: InputKind.allCases.compactMap { results[$0]?.report },
            rejectsPath: ledgerPath, rejectEntries: entries)
        do {
            for f in staged { try f.commit() }
            staged = []
        } catch {
            throw .io("\(error)")
        }
        return report
    }

    /// Field `n` of a dataset line the fast lane wrote (its fields hold no commas or quotes).
    static func field(_ n: Int, of line: UnsafeBufferPointer<UInt8>) -> UnsafeBufferPointer<UInt8> {
        var start = 0
        var index = 0
        for i in 0..<line.count where line[i] == 0x2C || line[i] == 0x0A {
            if index == n { return UnsafeBufferPointer(rebasing: line[start..<i]) }
            index += 1
            start = i + 1
        }
        return UnsafeBufferPointer(rebasing: line[start...])
    }

    /// What reading one extract produced.
    struct InputResult: Sendable {
        var kind: InputKind
        var report: InputReport
        var rejects: [Reject]
        var dataset: StagedFile
        var keys: Set<String>
        /// ID numbers of the accepted rows (seekers only).
        var workers: KeySet?
    }

    static func ingest<Row: IngestibleRow>(
        _ type: Row.Type, _ config: Configuration, _ maps: [InputKind: HeaderMap], _ rules: IngestRules,
        progress: ProgressSink?, collect: (inout Set<String>, Row) -> Void = { _, _ in }
    ) throws(PipelineError) -> InputResult {
        try ingest(type, source: config.inputs[Row.kind]!, map: maps[Row.kind]!, rules: rules,
                   output: datasetPath(config, Row.kind), progress: progress, collect: collect)
    }

    /// Reads one extract into a staged dataset, collecting its rejects. With `writes` false
    /// (benchmarks only) every dataset line is still made but none is written, and nothing is
    /// staged at `output`.
    static func ingest<Row: IngestibleRow>(
        _ type: Row.Type, source: InputSource, map: HeaderMap, rules: IngestRules, output: String,
        writes: Bool = true, progress: ProgressSink? = nil, collect: (inout Set<String>, Row) -> Void = { _, _ in }
    ) throws(PipelineError) -> InputResult {
        let kind = Row.kind
        // Rows are 60-150 bytes: size the set of unique keys from the file's size.
        let size = (try? FileManager.default.attributesOfItem(atPath: source.path)[.size] as? Int) ?? 0
        var ingester = RowIngester<Row>(rules: rules, headerMap: map, expectedRows: size / 80)
        var rejects: [Reject] = []
        var read = 0
        var accepted = 0
        var rejectedRows = 0
        var byReason: [String: Int] = [:]
        var keys: Set<String> = []
        // ID numbers of accepted seekers, collected as they come and made a set at the end
        // (built in table order: inserting each as it came missed the cache every time).
        let collectsWorkers = kind == .seekers
        var workerBytes: [UInt8] = []
        var workerEnds: [Int] = []
        if collectsWorkers {
            workerBytes.reserveCapacity(size / 6)
            workerEnds.reserveCapacity(size / 100)
        }
        let file = source.configuredPath
        func header(_ column: String) -> String {
            guard let i = Row.columns.firstIndex(of: column) else { return column }
            return map.headers[i]
        }
        func reject(_ line: Int, _ problems: [FieldProblem]) {
            rejectedRows += 1
            for p in problems {
                rejects.append(Reject(input: kind.rawValue, file: file, line: line, problem: p, header: header(p.column)))
                byReason[p.reason.rawValue, default: 0] += 1
            }
        }
        do {
            let reader = try CSVReader(path: source.path, encoding: source.encoding)
            let writer = writes ? try CSVWriter(path: output) : nil
            try writer?.write(Row.datasetColumns)
            var sawHeader = false
            var line: [UInt8] = []
            line.reserveCapacity(1024)
            var reported = (bytes: 0, rows: 0)
            while let item = try reader.nextRow() {
                if let progress, read - reported.rows >= 65_536 {
                    progress.advance(bytes: reader.bytesRead - reported.bytes, rows: read - reported.rows)
                    reported = (reader.bytesRead, read)
                }
                switch item {
                case .problem(let p):
                    read += 1
                    let reason: RejectReason = p.kind == .badQuote ? .badQuote : .unterminatedQuote
                    let detail = p.lastLine > p.line ? "\(reason.explanation) (lines \(p.line)-\(p.lastLine))" : reason.explanation
                    reject(p.line, [FieldProblem(column: FieldProblem.wholeRow, reason: reason, detail: detail, value: p.raw)])
                case .record(let r):
                    if !sawHeader { sawHeader = true; continue }
                    read += 1
                    line.removeAll(keepingCapacity: true)
                    switch ingester.ingest(storage: r.storage, ends: r.ends, line: &line) {
                    case .line:
                        accepted += 1
                        if collectsWorkers {
                            line.withUnsafeBufferPointer { workerBytes.append(contentsOf: Self.field(2, of: $0)) }
                            workerEnds.append(workerBytes.count)
                        }
                        try writer?.writeLines(line)
                    case .row(let row):
                        accepted += 1
                        collect(&keys, row)
                        if collectsWorkers, let seeker = row as? Seeker {
                            workerBytes.append(contentsOf: seeker.idNumber.value.utf8)
                            workerEnds.append(workerBytes.count)
                        }
                        let fields = row.fields
                        try writer?.write(fields)
                    case .rejected(let problems):
                        reject(r.line, problems)
                    }
                }
            }
            progress?.advance(bytes: reader.bytesRead - reported.bytes, rows: read - reported.rows)
            let report = InputReport(
                input: kind.rawValue, path: file, encoding: source.encoding.rawValue, bytes: reader.bytesRead,
                rowsRead: read, accepted: accepted, rejected: rejectedRows, extraColumns: map.extra,
                rejectsByReason: byReason)
            return InputResult(kind: kind, report: report, rejects: rejects, dataset: try writer?.stage() ?? StagedFile(temporaryPath: output, path: output), keys: keys,
                               workers: collectsWorkers ? KeySet(bytes: workerBytes, ends: workerEnds) : nil)
        } catch {
            throw .io("\(error)")
        }
    }
}
