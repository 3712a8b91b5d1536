import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import Testing
@testable import XLSX

/// A fresh directory under the system temporary directory, removed when `body` returns.
func withTemporaryDirectory<R>(_ body: (String) throws -> R) throws -> R {
    let url = FileManager.default.temporaryDirectory
        .appendingPathComponent("anxin-xlsx-tests-\(UUID().uuidString)", isDirectory: true)
    try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: url) }
    return try body(url.path)
}

/// The names of the files in `directory`.
func filesIn(_ directory: String) throws -> [String] {
    try FileManager.default.contentsOfDirectory(atPath: directory).sorted()
}

/// Reads a finished .xlsx back with the system's `unzip`, found on PATH.
struct Package {
    let path: String

    /// The entry `name` as text.
    func text(_ name: String) throws -> String {
        // unzip reads entry names as patterns: "[Content_Types].xml" needs its brackets escaped.
        let pattern = name.replacingOccurrences(of: "[", with: "\\[").replacingOccurrences(of: "]", with: "\\]")
        return String(decoding: try Package.unzip(["-p", path, pattern]), as: UTF8.self)
    }

    /// The names of all entries.
    func entries() throws -> [String] {
        String(decoding: try Package.unzip(["-Z1", path]), as: UTF8.self)
            .split(separator: "\n").map(String.init)
    }

    /// The compression method of each entry as `unzip -v` names it (`Defl:N`, `Defl:S`, `Stored`, ...).
    func methods() throws -> [String: String] {
        var methods: [String: String] = [:]
        for line in String(decoding: try Package.unzip(["-v", path]), as: UTF8.self).split(separator: "\n") {
            let fields = line.split(separator: " ", omittingEmptySubsequences: true)
            if fields.count == 8, Int(fields[0]) != nil { methods[String(fields[7])] = String(fields[1]) }
        }
        return methods
    }

    /// What `unzip -t` finds wrong (a CRC or length that does not match the data, a broken
    /// deflate stream), one line per damaged entry.
    func damagedEntries() throws -> [String] {
        do {
            _ = try Package.unzip(["-tq", path])
            return []
        } catch let failed as UnzipFailed where !failed.description.contains("not on PATH") {
            return [failed.description]
        }
    }

    /// Every XML entry that does not parse, with the parser's complaint.
    func malformedEntries() throws -> [String] {
        var bad: [String] = []
        for entry in try entries() where entry.hasSuffix(".xml") || entry.hasSuffix(".rels") {
            let parser = XMLParser(data: Data(try text(entry).utf8))
            if !parser.parse() {
                bad.append("\(entry): \(parser.parserError.map { "\($0)" } ?? "unknown")")
            }
        }
        return bad
    }

    struct UnzipFailed: Error, CustomStringConvertible {
        let description: String
    }

    private static func unzip(_ arguments: [String]) throws -> Data {
        let searchPath = ProcessInfo.processInfo.environment["PATH"] ?? ""
        guard let tool = searchPath.split(separator: ":").map({ "\($0)/unzip" })
            .first(where: { FileManager.default.isExecutableFile(atPath: $0) })
        else { throw UnzipFailed(description: "unzip is not on PATH") }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: tool)
        process.arguments = arguments
        let output = Pipe()
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        try process.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw UnzipFailed(description: "unzip \(arguments.joined(separator: " ")) exited \(process.terminationStatus)")
        }
        return data
    }
}

/// Runs `body` and returns the XLSXError it throws, or nil if it throws nothing (or something else).
func xlsxError(_ body: () throws -> Void) -> XLSXError? {
    do {
        try body()
        return nil
    } catch let error as XLSXError {
        return error
    } catch {
        return nil
    }
}

extension XLSXError {
    var isWorkbookClosed: Bool { if case .workbookClosed = self { true } else { false } }
    var isInvalidSheetName: Bool { if case .invalidSheetName = self { true } else { false } }
    var isInvalidArgument: Bool { if case .invalidArgument = self { true } else { false } }
    var isCannotWrite: Bool { if case .cannotWrite = self { true } else { false } }
}

/// The number of non-overlapping occurrences of `needle`.
func count(_ needle: String, in haystack: String) -> Int {
    haystack.components(separatedBy: needle).count - 1
}

/// A fixed creation time, 2024-05-17T08:30:00Z.
let fixedCreated = Date(timeIntervalSince1970: 1_715_934_600)
