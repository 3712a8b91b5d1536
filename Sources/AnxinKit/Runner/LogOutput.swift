import Foundation
import Logging

/// How log lines look: for a person at a terminal, for a scheduler's log file, or as JSON.
public enum LogFormat: String, Sendable, CaseIterable {
    /// Plain lines when standard output is a terminal, timestamped lines otherwise.
    case text
    /// One JSON object per line.
    case json
}

/// A swift-log handler writing to standard output in one of the `LogFormat`s.
public struct LogOutput: LogHandler {
    public var logLevel: Logger.Level
    public var metadata: Logger.Metadata = [:]
    let format: LogFormat
    let terminal: Bool

    /// A handler; `terminal` drops timestamps for a person reading along.
    public init(format: LogFormat, level: Logger.Level, terminal: Bool) {
        self.format = format
        logLevel = level
        self.terminal = terminal
    }

    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    public func log(event: LogEvent) {
        let (level, message) = (event.level, event.message)
        let text: String
        switch format {
        case .json:
            var object: [String: String] = ["time": LogOutput.timestamp(), "level": level.rawValue, "message": message.description]
            for (k, v) in metadata.merging(event.metadata ?? [:], uniquingKeysWith: { $1 }) { object[k] = v.description }
            let data = (try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .withoutEscapingSlashes])) ?? Data()
            text = String(decoding: data, as: UTF8.self)
        case .text:
            let prefix = level >= .warning ? "\(level.rawValue): " : ""
            text = terminal ? prefix + message.description : "\(LogOutput.timestamp()) \(level.rawValue) \(message)"
        }
        LogOutput.write(text + "\n")
    }

    static func timestamp() -> String {
        let f = ISO8601DateFormatter()
        f.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        return f.string(from: Date())
    }

    /// Writes to standard output in one call, so lines from two threads never interleave.
    public static func write(_ text: String) {
        text.withCString { _ = Glibc.write(1, $0, strlen($0)) }
    }
}
