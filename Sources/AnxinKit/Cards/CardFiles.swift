import AnxinCore
import Foundation
import QRCode

/// Each card's public files under `<output>/cards/`: the QR code as PNG and SVG, and one
/// static HTML page with what an employer is entitled to see (masked name, age, service areas,
/// institution, colour, evaluations). Nothing from police records, no ID or phone number.
public enum CardFiles {
    /// Renders the cards whose numbers are in `only` (nil: every card); returns how many.
    @discardableResult
    public static func render(_ config: Configuration, reference: ReferenceData, registry: Registry,
                              signer: CardSigner, only: Set<String>?) throws(PipelineError) -> Int {
        if let only, only.isEmpty { return 0 }
        let dir = config.paths.output + "/cards"
        try Dataset.makeDirectory(dir)
        let ingest = IngestStage.directory(config)
        var institutions: [String: String] = [:]
        try Dataset.forEach(Institution.self, at: ingest + "/institutions.csv") { institutions[$0.institutionID] = $0.name }
        let wanted: Set<String>? = only
        var cardIDs: [String: String] = [:]  // id number → card number, for the cards rendered
        try registry.forEachCard { c in
            if wanted == nil || wanted!.contains(c.number) { cardIDs[c.idNumber] = c.number }
        }
        var ratings: [String: (count: Int, sum: Int)] = [:]
        try Dataset.forEach(Evaluation.self, at: ingest + "/evaluations.csv") { e in
            guard cardIDs[e.workerIDNumber.value] != nil else { return }
            ratings[e.workerIDNumber.value, default: (0, 0)].count += 1
            ratings[e.workerIDNumber.value, default: (0, 0)].sum += e.rating
        }
        let areaNames = Dictionary(uniqueKeysWithValues: reference.services.map { ($0.code, $0) })
        var count = 0
        var failure: PipelineError?
        try registry.forEachCard { c in
            guard wanted == nil || wanted!.contains(c.number), failure == nil,
                  let number = CardNumber.parse(c.number) else { return }
            let payload = signer.payload(number)
            let matrix: QRMatrix
            do {
                matrix = try QRMatrix.encode(payload)
            } catch {
                failure = .io("cannot encode the QR code of card \(c.number): \(error)")
                return
            }
            let svg = matrix.svg(moduleSize: 6, quietZone: 4)
            let age = CivilDate.parse(c.birthDate).map { $0.age(on: config.asOf) }
            let page = html(card: c, age: age, areas: c.serviceAreas.map { areaNames[$0] ?? ReferenceEntry(code: $0, nameZH: $0, nameEN: $0) },
                            institution: c.institutionID.isEmpty ? nil : (institutions[c.institutionID] ?? c.institutionID),
                            rating: ratings[c.idNumber], svg: svg, market: config.marketName, asOf: config.asOf)
            try write(Data(matrix.png(moduleSize: 8, quietZone: 4)), to: "\(dir)/\(c.number).png")
            try write(Data(svg.utf8), to: "\(dir)/\(c.number).svg")
            try write(Data(page.utf8), to: "\(dir)/\(c.number).html")
            count += 1
        }
        if let failure { throw failure }
        return count
    }

    static func write(_ data: Data, to path: String) throws {
        let tmp = path + ".tmp-\(getpid())"
        guard FileManager.default.createFile(atPath: tmp, contents: data, attributes: [.posixPermissions: 0o644]),
              rename(tmp, path) == 0 else {
            throw PipelineError.io("cannot write \(path)")
        }
    }

    static func escape(_ s: String) -> String {
        var out = ""
        for ch in s {
            switch ch {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            default: out.append(ch)
            }
        }
        return out
    }

    /// The public page of one card.
    static func html(card c: Registry.CardRow, age: Int?, areas: [ReferenceEntry], institution: String?,
                     rating: (count: Int, sum: Int)?, svg: String, market: String, asOf: CivilDate) -> String {
        let colourHex: [CodeColour: String] = [.green: "#1a7f37", .yellow: "#b58900", .red: "#c62828"]
        let e = escape
        var rows: [(String, String)] = [
            ("姓名 Name", e(maskedName(c.name))),
            ("年龄 Age", age.map { "\($0)" } ?? "—"),
            ("服务类别 Service areas", areas.isEmpty ? "—" : areas.map { "\(e($0.nameZH)) \(e($0.nameEN))" }.joined(separator: "<br>")),
            ("所属机构 Institution", institution.map(e) ?? "独立从业 Independent"),
        ]
        if let rating, rating.count > 0 {
            rows.append(("用户评价 Evaluations", String(format: "%d 条，平均 %.1f / 5", rating.count, Double(rating.sum) / Double(rating.count))))
        }
        rows.append(("卡号 Card number", e(c.number)))
        let table = rows.map { "<tr><th>\($0.0)</th><td>\($0.1)</td></tr>" }.joined(separator: "\n")
        return """
            <!DOCTYPE html>
            <html lang="zh">
            <head>
            <meta charset="utf-8">
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <title>家政服务卡 \(e(c.number))</title>
            <style>
            body { font-family: sans-serif; margin: 0; background: #f4f4f4; color: #222; }
            main { max-width: 26rem; margin: 1.5rem auto; background: #fff; border-radius: 12px; padding: 1.25rem; }
            h1 { font-size: 1.1rem; margin: 0 0 1rem; }
            .code { color: #fff; background: \(colourHex[c.colour]!); border-radius: 8px; padding: .75rem; margin-bottom: 1rem; }
            .code strong { display: block; font-size: 1.2rem; }
            table { width: 100%; border-collapse: collapse; }
            th { text-align: left; font-weight: normal; color: #666; width: 42%; vertical-align: top; padding: .35rem 0; }
            td { padding: .35rem 0; }
            .qr { text-align: center; margin-top: 1rem; }
            .qr svg { width: 60%; height: auto; }
            footer { font-size: .8rem; color: #777; margin-top: 1rem; }
            </style>
            </head>
            <body>
            <main>
            <h1>\(e(market)) · 家政服务卡</h1>
            <div class="code"><strong>\(e(c.colour.meaningZH))</strong>\(e(c.colour.meaning))</div>
            <table>
            \(table)
            </table>
            <div class="qr">\(svg)</div>
            <footer>一人一卡一档一码 · One person, one card, one file, one code. 信息截至 \(asOf) · as of \(asOf).</footer>
            </main>
            </body>
            </html>

            """
    }
}
