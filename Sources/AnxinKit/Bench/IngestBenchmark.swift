import AnxinCore
import CSV
import Foundation

/// Measurements behind `make bench`: one extract through the reader alone, through ingest
/// without writing the dataset (parse, normalize, validate: every dataset line is made, none is
/// written), or through the whole of ingest (the same, and the dataset written), on one core.
public enum IngestBenchmark {
    /// One measurement.
    public struct Result: Sendable {
        /// Bytes of the file.
        public var bytes: Int
        /// Records or rows handled.
        public var rows: Int
        /// Wall-clock seconds.
        public var seconds: Double
        /// Rows accepted (ingest only).
        public var accepted: Int
        /// MB/s (10^6 bytes per second).
        public var megabytesPerSecond: Double { Double(bytes) / 1e6 / seconds }
        /// Rows per second.
        public var rowsPerSecond: Double { Double(rows) / seconds }
    }

    /// Streams a file through the CSV reader and nothing else.
    public static func readOnly(path: String, encoding: TextEncoding) throws(PipelineError) -> Result {
        let start = DispatchTime.now()
        do {
            let reader = try CSVReader(path: path, encoding: encoding)
            var rows = 0
            while try reader.next() != nil { rows += 1 }
            return Result(bytes: reader.bytesRead, rows: rows, seconds: elapsed(since: start), accepted: 0)
        } catch {
            throw .io("\(error)")
        }
    }

    /// Ingests one extract of `kind` on the calling thread, writing its dataset to `output`
    /// (nil: the dataset is made but not written).
    public static func ingest(kind: InputKind, path: String, encoding: TextEncoding, reference: ReferenceData,
                              asOf: CivilDate, output: String?) throws(PipelineError) -> Result {
        let source = InputSource(kind: kind, configuredPath: path, path: path, encoding: encoding, headerAliases: [:])
        let start = DispatchTime.now()
        let map: HeaderMap
        do { map = try IngestStage.readHeader(source) } catch let e as PipelineError { throw e } catch { throw .io("\(error)") }
        let rules = IngestRules(asOf: asOf, districts: reference.districtCodes, services: reference.serviceCodes)
        let result: IngestStage.InputResult
        let out = output ?? "", writes = output != nil
        switch kind {
        case .seekers: result = try IngestStage.ingest(Seeker.self, source: source, map: map, rules: rules, output: out, writes: writes)
        case .policeRecords: result = try IngestStage.ingest(PoliceRecord.self, source: source, map: map, rules: rules, output: out, writes: writes)
        case .training: result = try IngestStage.ingest(TrainingResult.self, source: source, map: map, rules: rules, output: out, writes: writes)
        case .institutions: result = try IngestStage.ingest(Institution.self, source: source, map: map, rules: rules, output: out, writes: writes)
        case .evaluations: result = try IngestStage.ingest(Evaluation.self, source: source, map: map, rules: rules, output: out, writes: writes)
        case .reviewDecisions: result = try IngestStage.ingest(ReviewDecision.self, source: source, map: map, rules: rules, output: out, writes: writes)
        }
        if writes {
            do { try result.dataset.commit() } catch { throw .io("\(error)") }
        }
        return Result(bytes: result.report.bytes, rows: result.report.rowsRead, seconds: elapsed(since: start),
                      accepted: result.report.accepted)
    }

    /// Peak resident memory of this process so far, in bytes.
    public static func peakMemory() -> Int {
        var usage = rusage()
        getrusage(__rusage_who_t(RUSAGE_SELF.rawValue), &usage)
        return usage.ru_maxrss * 1024
    }

    static func elapsed(since start: DispatchTime) -> Double {
        Double(DispatchTime.now().uptimeNanoseconds - start.uptimeNanoseconds) / 1e9
    }
}
