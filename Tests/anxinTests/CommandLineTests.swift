import Foundation
import Testing

/// Runs the built `anxin` binary in `directory` and returns its exit code and output; with
/// `tunables`, the binary starts with that `GLIBC_TUNABLES`, else without one.
func anxin(_ arguments: [String], in directory: URL, tunables: String? = nil) throws -> (code: Int32, out: String, err: String) {
    let process = Process()
    process.executableURL = EndToEnd.binary
    process.arguments = arguments
    process.currentDirectoryURL = directory
    var environment = ProcessInfo.processInfo.environment
    environment["GLIBC_TUNABLES"] = tunables
    process.environment = environment
    let out = Pipe(), err = Pipe()
    process.standardOutput = out
    process.standardError = err
    try process.run()
    let outData = out.fileHandleForReading.readDataToEndOfFile()
    let errData = err.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    return (process.terminationStatus, String(decoding: outData, as: UTF8.self), String(decoding: errData, as: UTF8.self))
}

enum EndToEnd {
    /// The repository's root, found from this file's path.
    static let repo = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent()

    /// The `anxin` executable built beside the test bundle.
    static let binary: URL = {
        var dir = Bundle.main.bundleURL
        for _ in 0..<4 {
            let candidate = dir.appendingPathComponent("anxin")
            if FileManager.default.isExecutableFile(atPath: candidate.path) { return candidate }
            dir.deleteLastPathComponent()
        }
        return repo.appendingPathComponent(".build/debug/anxin")
    }()

    /// A fresh folder holding a copy of the repository's configuration, reference lists and
    /// sample data.
    static func workspace() throws -> URL {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("anxin-e2e-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        for item in ["pipeline.conf", "reference", "sample-data"] {
            try FileManager.default.copyItem(at: repo.appendingPathComponent(item), to: dir.appendingPathComponent(item))
        }
        // A real signing key, owner-only, where pipeline.conf looks for it.
        try FileManager.default.createDirectory(at: dir.appendingPathComponent("var"), withIntermediateDirectories: true)
        var generator = SystemRandomNumberGenerator()
        let key = Data((0..<32).map { _ in UInt8.random(in: 0...255, using: &generator) })
        #expect(FileManager.default.createFile(atPath: dir.appendingPathComponent("var/qr-signing.key").path, contents: key,
                                       attributes: [.posixPermissions: 0o600]))
        return dir
    }
}

@Suite("anxin on the command line")
struct CommandLineTests {
    @Test func theSampleRunsAndEveryRowIsAccountedFor() throws {
        let dir = try EndToEnd.workspace()
        defer { try? FileManager.default.removeItem(at: dir) }
        let r = try anxin(["run", "--config", "pipeline.conf"], in: dir)
        #expect(r.code == 0, "\(r.err)")
        #expect(r.out.contains("Rejects ledger: var/") && r.out.contains("ingest/rejects.csv ("))
        for input in ["seekers", "police_records", "training", "institutions", "evaluations", "review_decisions"] {
            let line = try #require(r.out.split(separator: "\n").first { $0.contains(" notice   \(input) ") }, "\(input)")
            let numbers = line.split(separator: " ").dropFirst(2).compactMap { Int($0.replacingOccurrences(of: ",", with: "")) }
            #expect(numbers.count == 3 && numbers[0] == numbers[1] + numbers[2], "\(line)")
            #expect(numbers[0] > 0, "\(line)")
        }
        #expect(r.err.isEmpty)
        #expect(r.out.contains(" info Run ") && r.out.contains(" done."))
    }

    @Test func jsonLogsAreOneObjectPerLine() throws {
        let dir = try EndToEnd.workspace()
        defer { try? FileManager.default.removeItem(at: dir) }
        let r = try anxin(["run", "--config", "pipeline.conf", "--dry-run", "--log-format", "json"], in: dir)
        #expect(r.code == 0, "\(r.err)")
        let lines = r.out.split(separator: "\n")
        #expect(lines.count >= 5)
        for line in lines {
            let object = try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: String]
            #expect(object?["level"] != nil && object?["message"] != nil && object?["time"] != nil, "\(line)")
        }
        #expect(r.out.contains("would run: it has never run"))
    }

    @Test func aConfigurationErrorExitsWith2AndChangesNothing() throws {
        let dir = try EndToEnd.workspace()
        defer { try? FileManager.default.removeItem(at: dir) }
        let conf = dir.appendingPathComponent("pipeline.conf")
        var text = try String(contentsOf: conf, encoding: .utf8)
        text = text.replacingOccurrences(of: "min_age = 18", with: "min_age = 18\nmin_agee = 19")
        try text.write(to: conf, atomically: true, encoding: .utf8)
        let r = try anxin(["run"], in: dir)
        #expect(r.code == 2)
        #expect(r.err.contains("[eligibility] unknown key \"min_agee\""))
        #expect(!r.err.contains("Fatal error"))
        #expect(!FileManager.default.fileExists(atPath: dir.appendingPathComponent("var/work").path))
    }

    @Test func aMissingInputFileNamesItAndExitsWith2() throws {
        let dir = try EndToEnd.workspace()
        defer { try? FileManager.default.removeItem(at: dir) }
        try FileManager.default.removeItem(at: dir.appendingPathComponent("sample-data/training.csv"))
        let r = try anxin(["run", "--config", "pipeline.conf"], in: dir)
        #expect(r.code == 2)
        #expect(r.err.contains("[inputs.training] path: no such file"))
        #expect(r.err.contains("training.csv"))
    }

    @Test func aBadAsOfIsAUsageError() throws {
        let dir = try EndToEnd.workspace()
        defer { try? FileManager.default.removeItem(at: dir) }
        let r = try anxin(["run", "--as-of", "2019-02-30"], in: dir)
        #expect(r.code == 2)
        #expect(r.err.contains("--as-of 2019-02-30 is not a date"))
    }

    @Test func aMissingConfigurationFileSaysWhatToDo() throws {
        let dir = try EndToEnd.workspace()
        defer { try? FileManager.default.removeItem(at: dir) }
        let r = try anxin(["run", "--config", "other.conf"], in: dir)
        #expect(r.code == 2)
        #expect(r.err.contains("other.conf"))
        #expect(r.err.contains("--config"))
    }
}
