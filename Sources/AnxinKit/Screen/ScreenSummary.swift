import AnxinCore

/// The lines `anxin run` prints about screening: the funnel from registration to card.
public enum ScreenSummary {
    /// The funnel, with pending people broken down by reason.
    public static func lines(_ report: ScreenStage.Report, asOf: CivilDate) -> [String] {
        let f = report.funnel
        let g = IngestSummary.grouped
        func row(_ label: String, _ n: Int) -> String {
            "  " + label.padding(toLength: 14, withPad: " ", startingAt: 0) + String(repeating: " ", count: max(0, 9 - g(n).count)) + g(n)
        }
        var out = ["Screening, as of \(asOf):",
                   row("registrations", f.registrations),
                   row("people", f.people),
                   row("screened", f.screened),
                   row("review", f.review),
                   row("pending", f.pending)]
        for (reason, n) in f.pendingByReason.sorted(by: { $0.value != $1.value ? $0.value > $1.value : $0.key < $1.key }) {
            out.append("    " + reason.padding(toLength: 20, withPad: " ", startingAt: 0) + String(repeating: " ", count: max(0, 9 - g(n).count)) + g(n))
        }
        out.append(row("eligible", f.eligible))
        out.append("  police records read \(g(report.policeRecords)), tied to a job seeker \(g(report.matchedRecords)); "
                   + "name conflicts \(g(report.nameConflicts)); review decisions not applied \(g(report.unusedDecisions))")
        out.append("People: \(report.peoplePath)  Hits: \(report.hitsPath)  Findings: \(report.findingsPath)")
        return out
    }
}
