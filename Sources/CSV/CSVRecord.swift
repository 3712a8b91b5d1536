/// One parsed record: its fields as bytes, and the physical lines it came from.
public struct CSVRecord: Sendable, Equatable {
    /// Physical line (1-based) where the record begins.
    public let line: Int
    /// Physical line where it ends (later than `line` when a quoted field holds newlines).
    public let lastLine: Int
    @usableFromInline let storage: [UInt8]
    @usableFromInline let ends: [Int]

    /// Builds a record from concatenated field bytes and each field's end offset.
    public init(line: Int, lastLine: Int, storage: [UInt8], ends: [Int]) {
        self.line = line
        self.lastLine = lastLine
        self.storage = storage
        self.ends = ends
    }

    /// Number of fields.
    @inlinable public var count: Int { ends.count }

    /// The bytes of field `i`.
    @inlinable public func bytes(_ i: Int) -> ArraySlice<UInt8> {
        storage[(i == 0 ? 0 : ends[i - 1])..<ends[i]]
    }

    /// Field `i` as a String, or nil when its bytes are not valid UTF-8.
    @inlinable public func string(_ i: Int) -> String? {
        let b = bytes(i)
        if b.isEmpty { return "" }
        return b.withUnsafeBufferPointer { buf -> String? in
            // Fast path: ASCII is always valid.
            var ascii = true
            for byte in buf where byte >= 0x80 { ascii = false; break }
            if ascii { return String(decoding: buf, as: UTF8.self) }
            return String(validating: buf, as: UTF8.self)
        }
    }

    /// Runs `body` over the record's bytes and each field's end offset.
    @inlinable public func withUnsafeBuffers<R>(_ body: (UnsafeBufferPointer<UInt8>, UnsafeBufferPointer<Int>) -> R) -> R {
        storage.withUnsafeBufferPointer { s in ends.withUnsafeBufferPointer { e in body(s, e) } }
    }

    /// Field `i` with invalid bytes shown as U+FFFD, for messages and the rejects ledger.
    public func lossyString(_ i: Int) -> String {
        String(decoding: bytes(i), as: UTF8.self)
    }

    /// The fields of a file `CSVWriter` wrote, with its formula escape undone.
    public var datasetFields: [String] {
        storage.withUnsafeBufferPointer { s in ends.withUnsafeBufferPointer { e in CSVRecord.datasetFields(s, e) } }
    }

    /// The fields of a record whose bytes are `storage`, each ending at its offset in `ends`.
    static func datasetFields(_ storage: UnsafeBufferPointer<UInt8>, _ ends: UnsafeBufferPointer<Int>) -> [String] {
        var out: [String] = []
        out.reserveCapacity(ends.count)
        var from = 0
        for end in ends {
            out.append(datasetField(UnsafeBufferPointer(rebasing: storage[from..<end])))
            from = end
        }
        return out
    }

    /// A field of a file `CSVWriter` wrote, with its formula escape undone.
    static func datasetField(_ field: UnsafeBufferPointer<UInt8>) -> String {
        let text = String(decoding: field, as: UTF8.self)
        return field.first == 0x27 ? CSVWriter.restore(text) : text
    }

    /// All fields, lossily decoded.
    public var lossyFields: [String] { (0..<count).map(lossyString) }
}
