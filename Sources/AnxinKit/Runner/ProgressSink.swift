import Foundation

/// A progress bar for long stages on a terminal: rows, rows per second, time left. Stages
/// report from several threads, so every update goes through a lock; the bar is redrawn at
/// most ten times a second.
public final class ProgressSink: @unchecked Sendable {
    private let lock = NSLock()
    private let draw: @Sendable (String) -> Void
    private var label = ""
    private var totalBytes = 0
    private var bytes = 0
    private var rows = 0
    private var started = Date()
    private var lastDrawn = Date.distantPast

    /// A bar that hands each redrawn line to `draw` (which should overwrite the last line).
    public init(draw: @escaping @Sendable (String) -> Void) {
        self.draw = draw
    }

    /// Starts a bar for `label` over `totalBytes` of input.
    public func start(_ label: String, totalBytes: Int) {
        lock.withLock {
            self.label = label
            self.totalBytes = max(totalBytes, 1)
            bytes = 0
            rows = 0
            started = Date()
            lastDrawn = .distantPast
        }
    }

    /// Adds work done.
    public func advance(bytes: Int, rows: Int) {
        let line: String? = lock.withLock {
            self.bytes += bytes
            self.rows += rows
            let now = Date()
            guard now.timeIntervalSince(lastDrawn) >= 0.1 else { return nil }
            lastDrawn = now
            return render(now)
        }
        if let line { draw(line) }
    }

    /// Ends the bar (clears the line).
    public func finish() {
        draw("")
    }

    private func render(_ now: Date) -> String {
        let elapsed = max(now.timeIntervalSince(started), 0.001)
        let fraction = min(Double(bytes) / Double(totalBytes), 1)
        let width = 24
        let filled = Int(fraction * Double(width))
        let bar = String(repeating: "#", count: filled) + String(repeating: ".", count: width - filled)
        let rate = Double(rows) / elapsed
        let left = fraction > 0.01 ? elapsed * (1 - fraction) / fraction : 0
        return String(format: "  %@ [%@] %3.0f%%  %@ rows  %@ rows/s  %d:%02d left", label, bar, fraction * 100,
                      IngestSummary.grouped(rows), IngestSummary.grouped(Int(rate)), Int(left) / 60, Int(left) % 60)
    }
}
