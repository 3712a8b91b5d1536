import Foundation
import Testing

/// The lines of a run's output that say what each stage did.
func stageLines(_ out: String) -> [String: String] {
    var result: [String: String] = [:]
    for line in out.split(separator: "\n") {
        for stage in ["ingest", "screen", "cards", "evaluate", "report"] where line.contains(" info \(stage): ") {
            let text = line.components(separatedBy: " info \(stage): ")[1]
            if text.hasPrefix("running") || text.hasPrefix("up to date") { result[stage] = text }
        }
    }
    return result
}

func ran(_ out: String) -> Set<String> {
    Set(stageLines(out).filter { $0.value.hasPrefix("running") }.keys)
}

/// Reads every file under `dir` that an uninterrupted run and a resumed run must agree on.
func outputs(_ dir: URL) throws -> [String: Data] {
    var files: [String: Data] = [:]
    let root = dir.appendingPathComponent("var/work")
    for sub in ["ingest", "screen", "cards", "evaluate"] {
        let folder = root.appendingPathComponent(sub)
        for name in (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? [] {
            files["\(sub)/\(name)"] = try Data(contentsOf: folder.appendingPathComponent(name))
        }
    }
    return files
}

@Suite("The stage runner", .serialized)
struct RunnerTests {
    @Test("skip and rerun: nothing changed, a touched file, a changed file, a changed policy number")
    func staleness() throws {
        let dir = try EndToEnd.workspace()
        defer { try? FileManager.default.removeItem(at: dir) }
        let first = try anxin(["run"], in: dir)
        #expect(first.code == 0, "\(first.err)")
        #expect(ran(first.out) == ["ingest", "screen", "cards", "evaluate", "report"])

        let again = try anxin(["run"], in: dir)
        #expect(again.code == 0)
        #expect(ran(again.out).isEmpty)
        #expect(stageLines(again.out)["ingest"]?.hasPrefix("up to date") == true)

        // Touching an input without changing it: still up to date.
        let seekers = dir.appendingPathComponent("sample-data/seekers.csv")
        try FileManager.default.setAttributes([.modificationDate: Date()], ofItemAtPath: seekers.path)
        #expect(ran(try anxin(["run"], in: dir).out).isEmpty)

        // Changing an input: ingest reruns, and what its datasets feed.
        let training = dir.appendingPathComponent("sample-data/training.csv")
        var text = try String(contentsOf: training, encoding: .utf8)
        text = String(text.dropLast(text.count - text.dropLast().lastIndex(of: "\n")!.utf16Offset(in: text) - 1))
        try text.write(to: training, atomically: true, encoding: .utf8)
        let changed = try anxin(["run"], in: dir)
        #expect(stageLines(changed.out)["ingest"]?.contains("training.csv changed") == true)
        #expect(ran(changed.out).isSuperset(of: ["ingest", "screen"]))

        // Changing a policy number: screening reruns, ingest does not.
        let conf = dir.appendingPathComponent("pipeline.conf")
        let config = try String(contentsOf: conf, encoding: .utf8).replacingOccurrences(of: "theft = 5", with: "theft = 4")
        try config.write(to: conf, atomically: true, encoding: .utf8)
        let policy = try anxin(["run", "--dry-run"], in: dir)
        #expect(policy.out.contains("screen: would run: its configuration changed"))
        #expect(policy.out.contains("ingest: would skip: up to date"))
        let rerun = try anxin(["run"], in: dir)
        #expect(!ran(rerun.out).contains("ingest") && ran(rerun.out).contains("screen"))

        let status = try anxin(["status"], in: dir)
        #expect(status.code == 0)
        #expect(status.out.contains("ingest    up to date"))
    }

    @Test("--only and --force rerun one stage on the datasets before it")
    func selection() throws {
        let dir = try EndToEnd.workspace()
        defer { try? FileManager.default.removeItem(at: dir) }
        #expect(try anxin(["run", "--to", "screen"], in: dir).code == 0)
        let only = try anxin(["run", "--only", "screen", "--force"], in: dir)
        #expect(only.code == 0)
        #expect(ran(only.out) == ["screen"])
        #expect(try anxin(["run", "--only", "screen", "--from", "ingest"], in: dir).code == 2)
    }

    @Test("the evaluation runs beside the cards stage; when the cards stage fails, the evaluation's result is kept")
    func evaluationBesideCards() throws {
        let dir = try EndToEnd.workspace()
        defer { try? FileManager.default.removeItem(at: dir) }
        #expect(try anxin(["run", "--to", "screen"], in: dir).code == 0)
        // What each stage reads decides what runs side by side: only the evaluation reads no card.
        let plan = try anxin(["run", "--dry-run"], in: dir).out
        #expect(plan.contains("evaluate: would run: it has never run; beside cards"))
        #expect(plan.contains("cards: would run: it has never run\n") && plan.contains("report: would run: it has never run\n"))
        // Without its signing key the cards stage stops; the evaluation beside it reads no card.
        let key = dir.appendingPathComponent("var/qr-signing.key")
        let kept = dir.appendingPathComponent("qr-signing.key")
        try FileManager.default.moveItem(at: key, to: kept)
        let failed = try anxin(["run"], in: dir)
        #expect(failed.code == 2, "\(failed.err)")
        #expect(stageLines(failed.out)["evaluate"] == "running (it has never run; beside cards)")
        #expect(failed.out.contains(" info evaluate: done in "))
        #expect(!failed.out.contains(" info cards: done in ") && !ran(failed.out).contains("report"))
        // The report begun beside them was dropped with its temporary file.
        let out = dir.appendingPathComponent("var/out").path
        #expect(try FileManager.default.contentsOfDirectory(atPath: out).filter { $0.hasPrefix("anxin-report") }.isEmpty)
        let manifest = try JSONSerialization.jsonObject(
            with: Data(contentsOf: dir.appendingPathComponent("var/out/manifest.json"))) as? [String: Any]
        #expect(manifest?["status"] as? String == "failed")
        let entries = manifest?["stages"] as? [[String: Any]] ?? []
        #expect(entries.compactMap { $0["ran"] as? Bool == true ? $0["stage"] as? String : nil } == ["evaluate"])
        #expect((manifest?["seconds"] as? Double ?? 0) > 0)

        // With the key back, the cards stage runs; the evaluation is up to date.
        try FileManager.default.moveItem(at: kept, to: key)
        let resumed = try anxin(["run"], in: dir)
        #expect(resumed.code == 0, "\(resumed.err)")
        #expect(ran(resumed.out) == ["cards", "report"])
        #expect(stageLines(resumed.out)["report"]?.hasSuffix("; begun beside the stages before it)") == true)
        #expect(stageLines(resumed.out)["evaluate"]?.hasPrefix("up to date") == true)

        // The evaluation beside the cards stage wrote what it writes alone.
        let institutions = dir.appendingPathComponent("var/work").appendingPathComponent("evaluate/institutions.csv")
        let beside = try Data(contentsOf: institutions)
        #expect(try anxin(["run", "--only", "evaluate", "--force"], in: dir).code == 0)
        #expect(try Data(contentsOf: institutions) == beside)
    }

    @Test("a second run while the lock is held exits at once with 75")
    func lock() throws {
        let dir = try EndToEnd.workspace()
        defer { try? FileManager.default.removeItem(at: dir) }
        let work = dir.appendingPathComponent("var/work")
        try FileManager.default.createDirectory(at: work, withIntermediateDirectories: true)
        // This test process holds the lock, as a running night job would.
        let fd = open(work.appendingPathComponent("anxin.lock").path, O_RDWR | O_CREAT, 0o600)
        #expect(flock(fd, LOCK_EX | LOCK_NB) == 0)
        let blocked = try anxin(["run"], in: dir)
        #expect(blocked.code == 75)
        #expect(blocked.err.contains("another run holds the lock"))
        flock(fd, LOCK_UN)
        close(fd)
        #expect(try anxin(["run"], in: dir).code == 0)
    }

    @Test("gates: a large drop in police records stops before the cards stage with 3; an official can accept it")
    func gates() throws {
        let dir = try EndToEnd.workspace()
        defer { try? FileManager.default.removeItem(at: dir) }
        #expect(try anxin(["run"], in: dir).code == 0)
        let police = dir.appendingPathComponent("sample-data/police_records.csv")
        let lines = try String(contentsOf: police, encoding: .utf8).split(separator: "\n", omittingEmptySubsequences: false)
        try (lines.prefix(lines.count / 3).joined(separator: "\n") + "\n").write(to: police, atomically: true, encoding: .utf8)
        let stopped = try anxin(["run"], in: dir)
        #expect(stopped.code == 3)
        #expect(stopped.err.contains("gate max_police_drop"))
        #expect(!ran(stopped.out).contains("cards"))
        let accepted = try anxin(["run", "--accept-input-change"], in: dir)
        #expect(accepted.code == 0, "\(accepted.err)")
        #expect(ran(accepted.out).contains("cards"))

        try (String(lines[0]) + "\n").write(to: police, atomically: true, encoding: .utf8)
        let empty = try anxin(["run", "--accept-input-change"], in: dir)
        #expect(empty.code == 3)
        #expect(empty.err.contains("no rows"))
    }

    @Test("a run killed at any point and then rerun ends with the same outputs as an uninterrupted run")
    func killAndResume() throws {
        let reference = try EndToEnd.workspace()
        defer { try? FileManager.default.removeItem(at: reference) }
        #expect(try anxin(["run"], in: reference).code == 0)
        let expected = try outputs(reference)
        #expect(expected.count >= 12)

        for delay in [0.05, 0.2, 0.5, 1.0] {
            let dir = try EndToEnd.workspace()
            defer { try? FileManager.default.removeItem(at: dir) }
            let process = Process()
            process.executableURL = EndToEnd.binary
            process.arguments = ["run"]
            process.currentDirectoryURL = dir
            process.standardOutput = FileHandle.nullDevice
            process.standardError = FileHandle.nullDevice
            try process.run()
            Thread.sleep(forTimeInterval: delay)
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
            let resumed = try anxin(["run"], in: dir)
            #expect(resumed.code == 0, "after a kill at \(delay) s: \(resumed.err)")
            let got = try outputs(dir)
            #expect(Set(got.keys) == Set(expected.keys), "after a kill at \(delay) s")
            for (name, data) in expected {
                #expect(got[name] == data, "\(name) differs after a kill at \(delay) s")
            }
            let leftovers = try FileManager.default.subpathsOfDirectory(atPath: dir.appendingPathComponent("var").path)
                .filter { $0.contains(".tmp-") }
            #expect(leftovers.isEmpty)
        }
    }
}
