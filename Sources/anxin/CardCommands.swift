import AnxinCore
import AnxinKit
import ArgumentParser
import Foundation

/// `anxin card show|history CARD_NO`: a card as the registry holds it, for officials.
struct CardCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "card", abstract: "Look up one card in the registry.",
        subcommands: [Show.self, History.self])

    struct Show: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Show a card: holder (masked), colour and why, areas, institution.")
        @OptionGroup var common: CommonOptions
        @Argument(help: "The card number, e.g. WZ2019000123X.") var number: String

        func run() throws {
            try Terminal.reportingErrorsSync {
                let (config, _, c) = try CardText.lookup(number, common)
                Terminal.print(CardText.lines(c, asOf: config.asOf))
                if !c.reasons.isEmpty { Swift.print("reasons:   \(c.reasons.joined(separator: "; "))") }
                Swift.print("issued:    \(c.issuedOn); colour since \(c.colourSince)")
                Swift.print("ID number: \(IDNumber(trusted: c.idNumber).masked)")
                if let number = CardNumber.parse(c.number),
                   let signer = try? CardSigner(keyFile: config.cardFiles.keyFile, base: config.cardFiles.qrBaseURL) {
                    Swift.print("QR code:   \(signer.payload(number))")
                }
            }
        }
    }

    struct History: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Every change of a card's colour, with its date and reasons.")
        @OptionGroup var common: CommonOptions
        @Argument(help: "The card number.") var number: String

        func run() throws {
            try Terminal.reportingErrorsSync {
                let (_, registry, c) = try CardText.lookup(number, common)
                for h in try registry.history(c.number) {
                    let change = h.from.map { "\($0.rawValue) → \(h.to.rawValue)" } ?? "issued \(h.to.rawValue)"
                    Swift.print("\(h.asOf)  \(change.padding(toLength: 18, withPad: " ", startingAt: 0))  \(h.reasons.isEmpty ? "-" : h.reasons.joined(separator: "; "))  (run \(h.runID))")
                }
            }
        }
    }
}

/// `anxin cards render`: the QR codes and public pages of cards.
struct CardsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "cards", abstract: "Render card files.", subcommands: [Render.self])

    struct Render: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Render QR codes (PNG, SVG) and public pages under <output>/cards/.")
        @OptionGroup var common: CommonOptions
        @Flag(help: "Render every card, not only those issued or recoloured on the as-of date.") var all = false

        func run() throws {
            try Terminal.reportingErrorsSync {
                let config = try common.load()
                let signer = try CardSigner(keyFile: config.cardFiles.keyFile, base: config.cardFiles.qrBaseURL)
                let registry = try Registry(path: config.paths.registry)
                let only = all ? nil : try registry.changed(on: config.asOf.description)
                let n = try CardFiles.render(config, reference: try ReferenceLoader.load(config.paths), registry: registry,
                                             signer: signer, only: only)
                Swift.print("\(IngestSummary.grouped(n)) cards rendered under \(config.paths.output)/cards/")
            }
        }
    }
}

/// `anxin verify PAYLOAD`: checks a scanned code's signature and shows the card.
struct VerifyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "verify", abstract: "Check a QR code's signature and show its card; exit 1 if it is forged or altered.")
    @OptionGroup var common: CommonOptions
    @Argument(help: "The scanned payload, e.g. https://…/c/WZ2019000123X.<signature>.") var payload: String

    func run() throws {
        try Terminal.reportingErrorsSync {
            let config = try common.load()
            let signer = try CardSigner(keyFile: config.cardFiles.keyFile, base: config.cardFiles.qrBaseURL)
            switch signer.verify(payload.trimmingCharacters(in: .whitespacesAndNewlines)) {
            case .failure(let refusal):
                Terminal.error("anxin: refused: \(refusal)")
                throw ExitCode(1)
            case .success(let number):
                let registry = try Registry(path: config.paths.registry)
                guard let c = try registry.card(number.description) else {
                    Terminal.error("anxin: refused: the signature is valid but no card \(number) is in the registry \(config.paths.registry)")
                    throw ExitCode(1)
                }
                Swift.print("signature: valid")
                Terminal.print(CardText.lines(c, asOf: config.asOf))
            }
        }
    }
}

/// A card in a few lines, with nothing an employer may not see.
enum CardText {
    /// The configuration, the registry and the card numbered `number`, or an error saying there is none.
    static func lookup(_ number: String, _ common: CommonOptions) throws(PipelineError) -> (Configuration, Registry, Registry.CardRow) {
        let config = try common.load()
        let registry = try Registry(path: config.paths.registry)
        guard let card = try registry.card(number.uppercased()) else {
            throw .input("no card \(number) in the registry \(config.paths.registry)")
        }
        return (config, registry, card)
    }

    static func lines(_ c: Registry.CardRow, asOf: CivilDate) -> [String] {
        let age = CivilDate.parse(c.birthDate).map { String($0.age(on: asOf)) } ?? "?"
        var out = ["card:      \(c.number)",
                   "colour:    \(c.colour.meaning)"]
        out += ["holder:    \(maskedName(c.name)), age \(age)",
                "areas:     \(c.serviceAreas.isEmpty ? "-" : c.serviceAreas.joined(separator: ", "))",
                "institution: \(c.institutionID.isEmpty ? "independent" : c.institutionID)"]
        return out
    }
}
