/// A set of byte strings (unique keys such as application ids) with exact membership.
/// Keys live back to back in one arena, so a million keys cost a few allocations instead of a
/// million, and hashing is a quick FNV-1a instead of a seeded SipHash: ingest inserts one key
/// per row, which made `Set<String>` a fifth of its time.
public struct KeySet: Sendable {
    private var arena: [UInt8] = []
    private var starts: [Int] = []
    private var hashes: [UInt64] = []
    /// Open addressing: the upper half of the key's hash and its entry index + 1, or 0 for an
    /// empty slot; the hash half lets a probe skip other keys without touching the arena.
    private var table: [UInt64]
    private var mask: Int

    /// An empty set sized for about `capacity` keys.
    public init(capacity: Int = 1024) {
        var size = 16
        while size < capacity * 2 { size <<= 1 }
        table = Array(repeating: 0, count: size)
        mask = size - 1
        starts.reserveCapacity(capacity)
        hashes.reserveCapacity(capacity)
        starts.append(0)
    }

    /// Number of keys.
    public var count: Int { hashes.count }

    static func hash(_ key: UnsafeBufferPointer<UInt8>) -> UInt64 {
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        for b in key { h = (h ^ UInt64(b)) &* 0x0000_0100_0000_01b3 }
        // Mix so that keys differing only in their last bytes spread over the whole table.
        h ^= h >> 33
        h = h &* 0xff51_afd7_ed55_8ccd
        h ^= h >> 33
        return h
    }

    @inline(__always) static func tag(_ h: UInt64) -> UInt64 { h & 0xFFFF_FFFF_0000_0000 }

    /// Whether `key` is in the set.
    public func contains(_ key: UnsafeBufferPointer<UInt8>) -> Bool {
        let h = KeySet.hash(key)
        let tag = KeySet.tag(h)
        var slot = Int(truncatingIfNeeded: h) & mask
        while true {
            let cell = table[slot]
            if cell == 0 { return false }
            if cell & 0xFFFF_FFFF_0000_0000 == tag && equals(Int(cell & 0xFFFF_FFFF) - 1, key) { return true }
            slot = (slot + 1) & mask
        }
    }

    /// Whether a key given as text is in the set.
    public func contains(_ key: String) -> Bool {
        Text.withBytes(key) { contains($0) }
    }

    /// Inserts `key`; false when it was already there.
    public mutating func insert(_ key: UnsafeBufferPointer<UInt8>) -> Bool {
        let h = KeySet.hash(key)
        let tag = KeySet.tag(h)
        var slot = Int(truncatingIfNeeded: h) & mask
        while true {
            let cell = table[slot]
            if cell == 0 { break }
            if cell & 0xFFFF_FFFF_0000_0000 == tag && equals(Int(cell & 0xFFFF_FFFF) - 1, key) { return false }
            slot = (slot + 1) & mask
        }
        arena.append(contentsOf: key)
        starts.append(arena.count)
        hashes.append(h)
        table[slot] = tag | UInt64(hashes.count)
        if hashes.count * 2 > table.count { grow() }
        return true
    }

    /// Inserts a key given as text.
    public mutating func insert(_ key: String) -> Bool {
        Text.withBytes(key) { insert($0) }
    }

    private func equals(_ e: Int, _ key: UnsafeBufferPointer<UInt8>) -> Bool {
        let from = starts[e], to = starts[e + 1]
        guard to - from == key.count else { return false }
        return arena.withUnsafeBufferPointer { a in
            for i in 0..<key.count where a[from + i] != key[i] { return false }
            return true
        }
    }

    private mutating func grow() {
        let size = table.count * 2
        table = Array(repeating: 0, count: size)
        mask = size - 1
        for (e, h) in hashes.enumerated() {
            var slot = Int(truncatingIfNeeded: h) & mask
            while table[slot] != 0 { slot = (slot + 1) & mask }
            table[slot] = KeySet.tag(h) | UInt64(e + 1)
        }
    }
}
