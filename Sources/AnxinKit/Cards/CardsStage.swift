import AnxinCore
import CSV
import Foundation

/// The cards stage: plans tonight's cards from the registry's state, commits the plan in one
/// transaction, exports the registry for analysts and renders the new and recoloured cards'
/// QR codes and public pages.
public enum CardsStage {
    /// The folder of the stage's datasets.
    public static func directory(_ config: Configuration) -> String { config.paths.work + "/cards" }

    /// What the stage did.
    public struct Report: Sendable {
        public var byColour: [CodeColour: Int]
        public var issued: Int
        public var changed: Int
        public var notSeen: Int
        public var rendered: Int
        public var cardsPath: String
        public var changesPath: String
        public var registryPath: String
    }

    /// Runs the stage over the screening stage's `persons.csv`.
    public static func run(_ config: Configuration, reference: ReferenceData, runID: String,
                           cache: StageCache? = nil) throws(PipelineError) -> Report {
        let people: [PersonResult]
        if let cached = cache?.persons { people = cached } else {
            people = try Dataset.read(PersonResult.self, at: ScreenStage.directory(config) + "/persons.csv")
        }
        // The key is checked before anything changes: a missing key stops the run here.
        let signer = config.cardFiles.render
            ? try CardSigner(keyFile: config.cardFiles.keyFile, base: config.cardFiles.qrBaseURL) : nil
        let registry = try Registry(path: config.paths.registry, commitCache: true)
        try checkNightOrder(config, registry)
        let (state, snapshots) = try registry.state()
        let plan: IssuancePlan
        do {
            plan = try planCards(people, registry: state, policy: config.cards, asOf: config.asOf)
        } catch {
            throw .dataset(error.description)
        }
        // Fields read in place: a copy of each of a million people would retain all its text.
        var (registrations, screened, review, pending) = (0, 0, 0, 0)
        for i in people.indices {
            registrations += people[i].person.registrations
            switch people[i].status {
            case .screened: screened += 1
            case .review: review += 1
            case .pending: pending += 1
            case .card: break
            }
        }
        let night = Registry.Night(
            asOf: config.asOf.description, runID: runID, registrations: registrations,
            people: people.count, screened: screened, review: review,
            pending: pending, cardsGreen: plan.byColour[.green] ?? 0,
            cardsYellow: plan.byColour[.yellow] ?? 0, cardsRed: plan.byColour[.red] ?? 0,
            cardsNew: plan.newCards.count, notSeen: plan.notSeen.count)
        try registry.commit(plan, people: people, state: state, snapshots: snapshots, night: night)
        cache?.cardsCommitted?.send(true)

        // Datasets for analysts: the whole registry, and tonight's changes, written side by side
        // (each side reads the registry through a connection of its own).
        let dir = directory(config)
        try Dataset.makeDirectory(dir)
        let asOf = config.asOf.description
        let (cardsFile, changesFile) = Parallel.both({ () -> Result<StagedFile, PipelineError> in
            Result { () throws(PipelineError) in try writeCards(registry, to: dir + "/cards.csv") }
        }, { () -> Result<Changes, PipelineError> in
            Result { () throws(PipelineError) in
                try writeChanges(Registry(path: registry.path), on: asOf, to: dir + "/changes.csv", keepNumbers: signer != nil)
            }
        })
        let tonight: Changes
        do throws(PipelineError) {
            tonight = try changesFile.get()
            try Dataset.commit([try cardsFile.get(), tonight.file])
        } catch {
            for case .success(let f) in [cardsFile] { f.discard() }
            if case .success(let c) = changesFile { c.file.discard() }
            throw error
        }

        var rendered = 0
        if let signer {
            rendered = try CardFiles.render(config, reference: reference, registry: registry, signer: signer,
                                            only: tonight.numbers)
        }
        return Report(byColour: plan.byColour, issued: tonight.issued,
                      changed: tonight.changed, notSeen: plan.notSeen.count,
                      rendered: rendered, cardsPath: dir + "/cards.csv", changesPath: dir + "/changes.csv",
                      registryPath: config.paths.registry)
    }

    /// Writes the whole registry as `path` (staged), straight from SQLite's bytes: a city's
    /// registry is a million cards.
    static func writeCards(_ registry: Registry, to path: String) throws(PipelineError) -> StagedFile {
        do {
            let w = try CSVWriter(path: path)
            try w.write(["card_number", "id_number", "name", "colour", "reasons", "service_areas", "institution_id",
                         "district", "birth_date", "issued_on", "colour_since"])
            // Fields by a switch, not key paths: this runs for every field of every card.
            try registry.forEachCardText { c in
                try w.writeRow(count: 11) { i in
                    switch i {
                    case 0: c.number
                    case 1: c.idNumber
                    case 2: c.name
                    case 3: c.colour
                    case 4: c.reasons
                    case 5: c.serviceAreas
                    case 6: c.institutionID
                    case 7: c.district
                    case 8: c.birthDate
                    case 9: c.issuedOn
                    default: c.colourSince
                    }
                }
            }
            return try w.stage()
        } catch let e as PipelineError {
            throw e
        } catch {
            throw .io("\(error)")
        }
    }

    /// What `writeChanges` wrote.
    struct Changes {
        var file: StagedFile
        var issued = 0
        var changed = 0
        /// The numbers of the cards issued or recoloured, when asked for.
        var numbers: Set<String> = []
    }

    /// Writes tonight's changes as the registry has them (staged): a night rerun after its
    /// commit (a killed run, say) finds the same list, where its own plan would be empty. The
    /// cards issued, a million on the night a city's registry is filled, go straight from
    /// SQLite's bytes; then the changes of colour.
    static func writeChanges(_ registry: Registry, on asOf: String, to path: String,
                             keepNumbers: Bool) throws(PipelineError) -> Changes {
        do {
            let w = try CSVWriter(path: path)
            try w.write(["card_number", "id_number", "from", "to", "reasons", "as_of"])
            var issued = 0
            var numbers: Set<String> = []
            let (green, day) = (Array(CodeColour.green.rawValue.utf8), Array(asOf.utf8))
            try green.withUnsafeBufferPointer { green in
                try day.withUnsafeBufferPointer { day in
                    try registry.forEachCardIssued(on: asOf) { number, id in
                        try w.writeRow(count: 6) { i in
                            switch i {
                            case 0: number
                            case 1: id
                            case 3: green
                            case 5: day
                            default: UnsafeBufferPointer(start: nil, count: 0)
                            }
                        }
                        issued += 1
                        if keepNumbers { numbers.insert(String(decoding: number, as: UTF8.self)) }
                    }
                }
            }
            let recoloured = try registry.colourChanges(on: asOf)
            for c in recoloured {
                try w.write([c.number, c.idNumber, c.from?.rawValue ?? "", c.to.rawValue, c.reasons, asOf])
                if keepNumbers { numbers.insert(c.number) }
            }
            return Changes(file: try w.stage(), issued: issued, changed: recoloured.count, numbers: numbers)
        } catch let e as PipelineError {
            throw e
        } catch {
            throw .io("\(error)")
        }
    }

    /// Colours and history move forward night by night; replaying an earlier night on the same
    /// registry would rewrite what officials have already seen. The runner asks before any
    /// stage runs, so such a run changes nothing.
    public static func checkNightOrder(_ config: Configuration, _ registry: Registry? = nil) throws(PipelineError) {
        guard registry != nil || FileManager.default.fileExists(atPath: config.paths.registry) else { return }
        let r: Registry
        if let registry { r = registry } else { r = try Registry(path: config.paths.registry) }
        if let last = try r.nights().last?.asOf, last > config.asOf.description {
            throw .config("the card registry \(config.paths.registry) already holds the night of \(last); a run as of \(config.asOf) would rewrite its history. Replay earlier nights on another registry ([paths] registry)")
        }
    }

    /// The lines `anxin run` prints about cards.
    public static func summary(_ r: Report) -> [String] {
        let g = IngestSummary.grouped
        return [
            "Cards: \(g(r.issued)) issued tonight, \(g(r.changed)) changed colour, \(g(r.notSeen)) not seen this run",
            "  green \(g(r.byColour[.green] ?? 0))  yellow \(g(r.byColour[.yellow] ?? 0))  red \(g(r.byColour[.red] ?? 0))",
            "  registry \(r.registryPath); cards \(r.cardsPath); \(g(r.rendered)) card files rendered",
        ]
    }
}
