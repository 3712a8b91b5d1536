import AnxinCore

/// The stages of the nightly pipeline, in the order they run (a stage beside the one before it
/// when it reads nothing that one writes: see `Pipeline.reads(_:from:)`).
public enum StageName: String, CaseIterable, Sendable, Comparable, Codable {
    case ingest, screen, cards, evaluate, report

    public static func < (a: StageName, b: StageName) -> Bool {
        allCases.firstIndex(of: a)! < allCases.firstIndex(of: b)!
    }

    /// The stage after this one, if any.
    public var next: StageName? {
        let i = StageName.allCases.firstIndex(of: self)! + 1
        return i < StageName.allCases.count ? StageName.allCases[i] : nil
    }

}

/// The version recorded with every stage: a stage whose record carries another reruns.
public enum AnxinVersion {
    /// This build's version.
    public static let current = "0.3.0"
}

extension Configuration {
    /// The configuration a stage depends on, as canonical `key = value` lines: its hash
    /// decides whether a change of configuration makes the stage stale.
    public func section(for stage: StageName) -> [String] {
        var lines = ["run.as_of = \(asOf)"]
        func list(_ s: some Sequence<String>) -> String { s.sorted().joined(separator: ",") }
        func table(_ d: [String: Int]) -> String { d.sorted { $0.key < $1.key }.map { "\($0.key):\($0.value)" }.joined(separator: ",") }
        switch stage {
        case .ingest:
            lines.append("paths.districts = \(paths.districts)")
            lines.append("paths.services = \(paths.services)")
            for kind in InputKind.allCases {
                guard let s = inputs[kind] else { lines.append("inputs.\(kind.rawValue) = none"); continue }
                lines.append("inputs.\(kind.rawValue).path = \(s.path)")
                lines.append("inputs.\(kind.rawValue).encoding = \(s.encoding.rawValue)")
                lines.append("inputs.\(kind.rawValue).headers = \(s.headerAliases.sorted { $0.key < $1.key }.map { "\($0.key)>\($0.value)" }.joined(separator: ","))")
            }
        case .screen:
            lines.append("screening.always_disqualify = \(list(screening.alwaysDisqualify))")
            lines.append("screening.administrative_ignored = \(list(screening.administrativeIgnored))")
            lines.append("screening.criminal_lookback_years = \(table(screening.criminalLookbackYears))")
            lines.append("screening.administrative_lookback_years = \(table(screening.administrativeLookbackYears))")
            let e = eligibility
            lines.append("eligibility = \(e.minAge),\(e.maxAge),\(e.healthCheckValidDays),\(e.minPassedCourses)")
            lines.append("inputs.review_decisions = \(inputs[.reviewDecisions] == nil ? "none" : "some")")
        case .cards:
            lines.append("cards.prefix = \(cards.prefix)")
            lines.append("paths.registry = \(paths.registry)")
            lines.append("cards.render_files = \(cardFiles.render)")
            lines.append("cards.qr_base_url = \(cardFiles.qrBaseURL)")
            lines.append("paths.output = \(paths.output)")
            lines.append("report.market_name = \(marketName)")
        case .report:
            lines.append("report.market_name = \(marketName)")
            lines.append("report.language = \(language.rawValue)")
            lines.append("paths.output = \(paths.output)")
            lines.append("paths.registry = \(paths.registry)")
        case .evaluate:
            let v = evaluation
            lines.append("evaluation = \(v.windowDays),\(v.minCardHolders),\(v.minEvaluations),\(v.priorWeight),\(v.wilsonZ),\(v.weightRating),\(v.weightComplaints),\(v.weightCardHolders),\(v.weightTraining),\(v.topN)")
        }
        return lines
    }
}
