import AnxinCore

/// The lines `anxin run` prints about ingest.
public enum IngestSummary {
    /// Per file: rows read, accepted and rejected; then where the ledger is.
    public static func lines(_ report: IngestReport) -> [String] {
        var out = ["Ingest, as of \(report.asOf):"]
        let nameWidth = report.inputs.map(\.input.count).max() ?? 0
        let pathWidth = report.inputs.map(\.path.count).max() ?? 0
        for r in report.inputs {
            out.append("  \(pad(r.input, nameWidth))  \(pad(r.path, pathWidth))  "
                       + "\(lpad(grouped(r.rowsRead), 11)) read  \(lpad(grouped(r.accepted), 11)) accepted  "
                       + "\(lpad(grouped(r.rejected), 9)) rejected")
            if !r.extraColumns.isEmpty {
                out.append("    ignored columns: \(r.extraColumns.joined(separator: ", "))")
            }
        }
        out.append("Rejects ledger: \(report.rejectsPath) (\(grouped(report.rejectEntries)) entries)")
        return out
    }

    /// 1234567 → "1,234,567".
    public static func grouped(_ n: Int) -> String {
        let digits = String(abs(n))
        var out = ""
        for (i, c) in digits.enumerated() {
            if i > 0 && (digits.count - i) % 3 == 0 { out.append(",") }
            out.append(c)
        }
        return n < 0 ? "-" + out : out
    }

    static func pad(_ s: String, _ w: Int) -> String { s + String(repeating: " ", count: max(0, w - s.count)) }
    static func lpad(_ s: String, _ w: Int) -> String { String(repeating: " ", count: max(0, w - s.count)) + s }
}
