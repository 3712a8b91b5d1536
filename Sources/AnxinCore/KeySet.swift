/// A set of byte strings (unique keys such as application ids) with exact membership.
/// Keys live back to back in one arena, so a million keys cost a few allocations instead of a
/// million, and hashing is a quick FNV-1a instead of a seeded SipHash: ingest inserts one key
/// per row, which made `Set<String>` a fifth of its time.
///
/// Extracts mostly list their keys in increasing order (`SQ00000001`, `SQ00000002`, ...). A key
/// greater than every key before it cannot be a duplicate, so it is only appended to the
/// sorted run, without touching the hash table: a random probe into a table of millions of
/// slots misses the cache, and that miss was most of an insert. Keys that arrive out of order
/// go to the hash table; a lookup checks the run (binary search) and the table.
public struct KeySet: Sendable {
    private var arena: [UInt8] = []
    private var starts: [Int] = []
    /// Entries in increasing key order, each greater than every key inserted before it.
    private var run: [Int32] = []
    /// The hash of each entry in the table, for growing it.
    private var hashed: [(hash: UInt64, entry: Int32)] = []
    /// Open addressing: the upper half of the key's hash and its entry index + 1, or 0 for an
    /// empty slot; the hash half lets a probe skip other keys without touching the arena.
    /// Allocated on the first key that arrives out of order.
    private var table: [UInt64] = []
    private var mask = 0
    private let tableSize: Int

    /// An empty set sized for about `capacity` keys.
    public init(capacity: Int = 1024) {
        var size = 16
        while size < capacity * 2 { size <<= 1 }
        tableSize = size
        starts.reserveCapacity(capacity + 1)
        run.reserveCapacity(min(capacity, 1 << 16))
        starts.append(0)
    }

    /// A set of many keys at once, given back to back (`ends[i]` is the end of key i in `bytes`):
    /// the same set as inserting them one by one, but the table is filled in slot order, so
    /// that building it streams through memory instead of missing the cache at every key.
    public init(bytes: [UInt8], ends: [Int]) {
        self.init(capacity: ends.count)
        arena = bytes
        starts.append(contentsOf: ends)
        let n = ends.count
        guard n > 0 else { return }
        table = Array(repeating: 0, count: tableSize)
        mask = tableSize - 1
        let hashes = arena.withUnsafeBufferPointer { a in
            (0..<n).map { e in KeySet.hash(UnsafeBufferPointer(rebasing: a[starts[e]..<starts[e + 1]])) }
        }
        // Counting sort of the keys by the top bits of their first slot (4096 slots a bucket).
        let shift = max(0, tableSize.trailingZeroBitCount - 12)
        var firsts = Array(repeating: 0, count: (tableSize >> shift) + 1)
        for h in hashes { firsts[((Int(truncatingIfNeeded: h) & mask) >> shift) + 1] += 1 }
        for b in 1..<firsts.count { firsts[b] += firsts[b - 1] }
        var order = [Int32](repeating: 0, count: n)
        for (e, h) in hashes.enumerated() {
            let b = (Int(truncatingIfNeeded: h) & mask) >> shift
            order[firsts[b]] = Int32(truncatingIfNeeded: e)
            firsts[b] += 1
        }
        var greatest = 0
        let startList = starts
        arena.withUnsafeBufferPointer { a in startList.withUnsafeBufferPointer { st in
            let compare = { (e: Int, key: UnsafeBufferPointer<UInt8>) in KeySet.compare(a, st, e, key) }
            for e32 in order {
                let e = Int(e32)
                let key = UnsafeBufferPointer(rebasing: a[st[e]..<st[e + 1]])
                let h = hashes[e]
                let tag = KeySet.tag(h)
                var slot = Int(truncatingIfNeeded: h) & mask
                var known = false
                while true {
                    let cell = table[slot]
                    if cell == 0 { break }
                    if cell & 0xFFFF_FFFF_0000_0000 == tag && compare(Int(cell & 0xFFFF_FFFF) - 1, key) == 0 {
                        known = true
                        break
                    }
                    slot = (slot + 1) & mask
                }
                if known { continue }
                table[slot] = tag | UInt64(e + 1)
                hashed.append((h, e32))
            }
            // The greatest key stands for the run, so that a later insert knows what is new.
            for e in 1..<n where compare(e, UnsafeBufferPointer(rebasing: a[st[greatest]..<st[greatest + 1]])) > 0 {
                greatest = e
            }
        } }
        run.append(Int32(truncatingIfNeeded: greatest))
        keyCount = hashed.count
        if hashed.count * 2 > table.count { grow() }
    }

    /// Number of keys.
    public var count: Int { keyCount }
    private var keyCount = 0

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
        withView { $0.contains(key) }
    }

    /// The set seen through pointers, valid during `body`: for lookups in a hot loop, above
    /// all on several threads. A view is copied without reference counting, where a copy of
    /// the set itself retains and releases its arrays: an atomic operation on a cache line that
    /// every thread looking up keys in the same set would fight over.
    public func withView<R, E: Error>(_ body: (View) throws(E) -> R) throws(E) -> R {
        try arena.withUnsafeBufferPointer { (arena) throws(E) -> R in
            try starts.withUnsafeBufferPointer { (starts) throws(E) -> R in
                try run.withUnsafeBufferPointer { (run) throws(E) -> R in
                    try table.withUnsafeBufferPointer { (table) throws(E) -> R in
                        try body(View(arena: arena, starts: starts, run: run, table: table, mask: mask))
                    }
                }
            }
        }
    }

    /// Lookups in a `KeySet`, through pointers into its storage (see `withView`).
    public struct View {
        let arena: UnsafeBufferPointer<UInt8>
        let starts: UnsafeBufferPointer<Int>
        let run: UnsafeBufferPointer<Int32>
        let table: UnsafeBufferPointer<UInt64>
        let mask: Int

        /// Whether `key` is in the set.
        public func contains(_ key: UnsafeBufferPointer<UInt8>) -> Bool {
            if let last = run.last, compare(Int(last), key) < 0 { return false }
            return tableContains(key, KeySet.hash(key)) || runContains(key)
        }

        func tableContains(_ key: UnsafeBufferPointer<UInt8>, _ h: UInt64) -> Bool {
            if table.isEmpty { return false }
            let tag = KeySet.tag(h)
            var slot = Int(truncatingIfNeeded: h) & mask
            while true {
                let cell = table[slot]
                if cell == 0 { return false }
                if cell & 0xFFFF_FFFF_0000_0000 == tag && compare(Int(cell & 0xFFFF_FFFF) - 1, key) == 0 { return true }
                slot = (slot + 1) & mask
            }
        }

        /// Binary search in the sorted run.
        func runContains(_ key: UnsafeBufferPointer<UInt8>) -> Bool {
            var low = 0
            var high = run.count
            while low < high {
                let mid = (low + high) / 2
                let c = compare(Int(run[mid]), key)
                if c == 0 { return true }
                if c < 0 { low = mid + 1 } else { high = mid }
            }
            return false
        }

        /// Entry `e` against `key` in byte order (a prefix first): negative, zero or positive.
        @inline(__always)
        func compare(_ e: Int, _ key: UnsafeBufferPointer<UInt8>) -> Int {
            KeySet.compare(arena, starts, e, key)
        }
    }

    /// Whether a key given as text is in the set.
    public func contains(_ key: String) -> Bool {
        Text.withBytes(key) { contains($0) }
    }

    /// Inserts `key`; false when it was already there.
    public mutating func insert(_ key: UnsafeBufferPointer<UInt8>) -> Bool {
        let h = KeySet.hash(key)
        let (after, known) = withView { v -> (Bool, Bool) in
            guard let last = v.run.last else { return (true, false) }
            if v.compare(Int(last), key) < 0 { return (true, false) }
            return (false, v.tableContains(key, h) || v.runContains(key))
        }
        if known { return false }
        keyCount += 1
        if after {
            run.append(Int32(truncatingIfNeeded: append(key)))
            return true
        }
        if table.isEmpty {
            table = Array(repeating: 0, count: tableSize)
            mask = tableSize - 1
        }
        let e = append(key)
        hashed.append((h, Int32(truncatingIfNeeded: e)))
        var slot = Int(truncatingIfNeeded: h) & mask
        while table[slot] != 0 { slot = (slot + 1) & mask }
        table[slot] = KeySet.tag(h) | UInt64(e + 1)
        if hashed.count * 2 > table.count { grow() }
        return true
    }

    /// Inserts a key given as text.
    public mutating func insert(_ key: String) -> Bool {
        Text.withBytes(key) { insert($0) }
    }

    /// Appends a key to the arena; its entry index.
    private mutating func append(_ key: UnsafeBufferPointer<UInt8>) -> Int {
        arena.append(contentsOf: key)
        starts.append(arena.count)
        return starts.count - 2
    }

    /// Entry `e` against `key` in byte order (a prefix first): negative, zero or positive.
    @inline(__always)
    static func compare(_ a: UnsafeBufferPointer<UInt8>, _ starts: UnsafeBufferPointer<Int>, _ e: Int,
                        _ key: UnsafeBufferPointer<UInt8>) -> Int {
        let from = starts[e], length = starts[e + 1] - from
        let n = min(length, key.count)
        var i = 0
        while i < n {
            let x = a[from + i], y = key[i]
            if x != y { return x < y ? -1 : 1 }
            i += 1
        }
        return length - key.count
    }

    private mutating func grow() {
        let size = table.count * 2
        table = Array(repeating: 0, count: size)
        mask = size - 1
        for (h, e) in hashed {
            var slot = Int(truncatingIfNeeded: h) & mask
            while table[slot] != 0 { slot = (slot + 1) & mask }
            table[slot] = KeySet.tag(h) | UInt64(e + 1)
        }
    }
}
