import AnxinCore
import Foundation
import QRCode

/// Measurements behind `make bench` for single steps of the later stages, on data a full run
/// has left in its work folder.
public enum StageBenchmark {
    /// Seconds of the join and screening of the people in `<work>/ingest` against the police
    /// records, after the datasets are in memory (as they are right after ingest).
    public static func screening(_ config: Configuration) throws(PipelineError) -> (seconds: Double, people: Int, records: Int) {
        let ingest = IngestStage.directory(config)
        let seekers = try Dataset.read(Seeker.self, at: ingest + "/seekers.csv")
        let police = try Dataset.read(PoliceRecord.self, at: ingest + "/police_records.csv")
        let training = try ScreenStage.readTrainingResults(ingest + "/training.csv")
        let start = DispatchTime.now()
        let files = PersonFiles(consume seekers)  // as the stage does: its registrations are moved into the people
        let keys = JoinKeys(files)
        let pieces = Parallel.pieces(of: police.indices)
        let kept = Parallel.map(parts: pieces.count) { police[pieces[$0]].filter(keys.concerns) }
        let index = PoliceIndex(kept.joined())
        let screening = screen(consume files, against: index, training: training, decisions: [], policy: config.screening,
                               eligibility: config.eligibility, asOf: config.asOf)
        let seconds = IngestBenchmark.elapsed(since: start)
        return (seconds, screening.results.count, police.count)
    }

    /// Seconds to plan and commit `count` new cards into an empty registry at `path` (one
    /// transaction, one prepared statement per kind of row).
    public static func commitCards(count: Int, registryPath: String, asOf: CivilDate) throws(PipelineError) -> (plan: Double, commit: Double) {
        var people: [PersonResult] = []
        people.reserveCapacity(count)
        for i in 0..<count {
            // Distinct IDs: region, a birth date and a sequence number spread over the count.
            let body = String(format: "3303%02d19%02d%02d%02d%03d", 2 + i / 336_000, 50 + (i / 12_000) % 28,
                              1 + (i / 1000) % 12, 1 + (i / 1000) / 12 % 28, i % 1000)
            let check = ISO7064.checkCharacter(body.map { Int(String($0))! })
            let s = Seeker(applicationID: "A\(i)", name: "王秀兰", idNumber: IDNumber(trusted: body + String(check)),
                           sex: .female, birthDate: CivilDate(year: 1980, month: 1, day: 1)!, phone: "13812345678",
                           district: "330302", serviceAreas: ["cleaning"], institutionID: "WZJZ0001",
                           healthCheck: .passed, healthCheckedOn: asOf, appliedOn: asOf)
            people.append(PersonResult(person: Person(s), status: .card, reasons: [], qualifiedAreas: ["cleaning"], age: 39))
        }
        let registry = try Registry(path: registryPath, commitCache: true)
        let start = DispatchTime.now()
        let (state, snapshots) = try registry.state()
        let plan: IssuancePlan
        do { plan = try planCards(people, registry: state, policy: .default, asOf: asOf) } catch { throw .dataset(error.description) }
        let planned = IngestBenchmark.elapsed(since: start)
        let committing = DispatchTime.now()
        try registry.commit(plan, people: people, state: state, snapshots: snapshots, night: Registry.Night(
            asOf: asOf.description, runID: "bench", registrations: count, people: count, screened: 0, review: 0,
            pending: 0, cardsGreen: count, cardsYellow: 0, cardsRed: 0, cardsNew: plan.newCards.count, notSeen: 0))
        return (planned, IngestBenchmark.elapsed(since: committing))
    }

    /// QR codes rendered per second (encode, PNG and SVG) for card payloads.
    public static func qrRate(count: Int) throws(PipelineError) -> Double {
        let start = DispatchTime.now()
        for i in 0..<count {
            let payload = "https://anxin.wzjz.example.org/c/WZ2019\(String(format: "%06d", i + 1))0.wMmg19oDodSZHOvyLe_e4ZQS8qj-8MS1Zs-SD82xEYk"
            do {
                let m = try QRMatrix.encode(payload)
                _ = m.png()
                _ = m.svg()
            } catch {
                throw .io("\(error)")
            }
        }
        return Double(count) / IngestBenchmark.elapsed(since: start)
    }
}
