import Foundation

/// What a stage did when it last ran: what it read, what it wrote, with their checksums. The
/// runner compares it with the present to decide whether the stage is stale.
public struct StageRecord: Codable, Sendable, Equatable {
    public var stage: StageName
    public var runID: String
    public var toolVersion: String
    public var asOf: String
    /// SHA-256 of the stage's configuration lines.
    public var configHash: String
    /// Files from outside the pipeline (extracts, reference lists): path → SHA-256.
    public var inputs: [String: String]
    /// Datasets of earlier stages it read: path → SHA-256.
    public var upstream: [String: String]
    /// Files it wrote: path → SHA-256.
    public var outputs: [String: String]
    /// Its counts (rows, people, cards ...).
    public var counts: [String: Int]
    /// The lines it printed, shown again when it is skipped.
    public var summary: [String]
    /// When it started (ISO 8601) and how long it took.
    public var started: String
    public var seconds: Double

    static func path(_ config: Configuration, _ stage: StageName) -> String {
        config.paths.work + "/stages/\(stage.rawValue).json"
    }

    /// The record of a stage's last successful run, if any.
    public static func load(_ config: Configuration, _ stage: StageName) -> StageRecord? {
        guard let data = FileManager.default.contents(atPath: path(config, stage)) else { return nil }
        return try? JSONDecoder().decode(StageRecord.self, from: data)
    }

    /// Writes the record atomically.
    func save(_ config: Configuration) throws(PipelineError) {
        try JSONFile.write(self, to: StageRecord.path(config, stage))
    }
}

/// JSON files written atomically, owner-only.
enum JSONFile {
    static func write(_ value: some Encodable, to path: String) throws(PipelineError) {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        do {
            let data = try encoder.encode(value)
            let dir = (path as NSString).deletingLastPathComponent
            try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true,
                                                    attributes: [.posixPermissions: 0o700])
            let tmp = path + ".tmp-\(getpid())"
            guard FileManager.default.createFile(atPath: tmp, contents: data, attributes: [.posixPermissions: 0o600]) else {
                throw PipelineError.io("cannot write \(tmp): \(String(cString: strerror(errno)))")
            }
            guard rename(tmp, path) == 0 else { throw PipelineError.io("cannot write \(path): \(String(cString: strerror(errno)))") }
        } catch let e as PipelineError {
            throw e
        } catch {
            throw .io("cannot write \(path): \(error.localizedDescription)")
        }
    }
}
