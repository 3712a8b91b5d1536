/// CSV lines made field by field, straight into bytes (the formula escape, quoting and all):
/// `CSVWriter.appendLine` makes its lines with them, and the biggest datasets, whose lines are
/// made a million at a time, without a string or an array for each row.
public struct CSVLines {
    /// The lines so far, each ending in LF.
    public private(set) var bytes: [UInt8] = []
    /// Lines ended so far.
    public private(set) var count = 0
    private var fieldsInLine = 0
    private var scratch: [UInt8] = []
    private let neutralizeFormulas: Bool

    /// Empty lines; `neutralizeFormulas` as `CSVWriter`'s.
    public init(neutralizeFormulas: Bool = true) {
        self.neutralizeFormulas = neutralizeFormulas
    }

    /// Lines that continue `bytes` (complete lines already).
    init(neutralizeFormulas: Bool, appendingTo bytes: [UInt8]) {
        self.neutralizeFormulas = neutralizeFormulas
        self.bytes = bytes
    }

    /// Appends a field given as UTF-8 bytes.
    public mutating func field(utf8 value: UnsafeBufferPointer<UInt8>) {
        if fieldsInLine > 0 { bytes.append(0x2C) }
        fieldsInLine += 1
        if neutralizeFormulas, CSVWriter.needsNeutralizing(value) {
            scratch.removeAll(keepingCapacity: true)
            scratch.append(0x27)
            scratch.append(contentsOf: value)
            scratch.withUnsafeBufferPointer { CSVWriter.append($0, to: &bytes) }
        } else {
            CSVWriter.append(value, to: &bytes)
        }
    }

    /// Appends a text field.
    public mutating func field(_ value: String) {
        // Read in place: a copy made to call `withUTF8` on would retain and release the text.
        if value.utf8.withContiguousStorageIfAvailable({ field(utf8: $0) }) != nil { return }
        var value = value
        value.withUTF8 { field(utf8: $0) }
    }

    /// Appends a whole number.
    public mutating func field(_ value: Int) {
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 20) { digits in
            var n = value.magnitude
            var i = 20
            repeat {
                i -= 1
                digits[i] = UInt8(0x30 + n % 10)
                n /= 10
            } while n > 0
            if value < 0 {
                i -= 1
                digits[i] = 0x2D
            }
            field(utf8: UnsafeBufferPointer(rebasing: digits[i...]))
        }
    }

    /// Appends one field holding `values` joined by `separator` (`values.joined(separator:)`).
    public mutating func field(joining values: [String], separator: UInt8) {
        if values.count == 1 { return field(values[0]) }
        var joined = scratch
        scratch = []
        joined.removeAll(keepingCapacity: true)
        for i in values.indices {
            if i > 0 { joined.append(separator) }
            joined.append(contentsOf: values[i].utf8)
        }
        joined.withUnsafeBufferPointer { field(utf8: $0) }
        scratch = joined
    }

    /// Ends the line.
    public mutating func endLine() {
        bytes.append(0x0A)
        fieldsInLine = 0
        count += 1
    }
}
