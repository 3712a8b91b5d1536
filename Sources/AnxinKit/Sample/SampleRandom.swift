/// xoshiro256** seeded through SplitMix64: the same seed gives the same stream on every
/// machine and every Swift release, which `SystemRandomNumberGenerator` and the standard
/// library's `random(in:using:)` do not promise.
///
/// Only integer arithmetic is used to draw values (no `log`, no `Double.random`), so no
/// platform's maths library can change a sample.
struct SampleRandom {
    private var s0: UInt64
    private var s1: UInt64
    private var s2: UInt64
    private var s3: UInt64

    /// A generator for one `stream` of a seed: each file draws from its own stream, so that
    /// changing how many rows one file gets does not change the others.
    init(seed: UInt64, stream: UInt64) {
        var x = seed ^ (stream &* 0xD1B5_4A32_D192_ED03)
        func splitMix(_ x: inout UInt64) -> UInt64 {
            x &+= 0x9E37_79B9_7F4A_7C15
            var z = x
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
        s0 = splitMix(&x)
        s1 = splitMix(&x)
        s2 = splitMix(&x)
        s3 = splitMix(&x)
    }

    /// The next 64 random bits.
    @inline(__always)
    mutating func next() -> UInt64 {
        let result = ((s1 &* 5) << 7 | (s1 &* 5) >> 57) &* 9
        let t = s1 << 17
        s2 ^= s0
        s3 ^= s1
        s1 ^= s2
        s0 ^= s3
        s2 ^= t
        s3 = s3 << 45 | s3 >> 19
        return result
    }

    /// A number in `0..<n` (`n` > 0), by Lemire's multiply-high; the bias is below 2^-40 for
    /// every `n` used here.
    @inline(__always)
    mutating func below(_ n: Int) -> Int {
        Int(next().multipliedFullWidth(by: UInt64(n)).high)
    }

    /// A number in `range`.
    @inline(__always)
    mutating func within(_ range: ClosedRange<Int>) -> Int {
        range.lowerBound + below(range.upperBound - range.lowerBound + 1)
    }

    /// True with probability `perMille` / 1000.
    @inline(__always)
    mutating func perMille(_ perMille: Int) -> Bool { below(1000) < perMille }

    /// True with probability `percent` / 100.
    @inline(__always)
    mutating func percent(_ percent: Int) -> Bool { below(100) < percent }

    /// One element of a non-empty array, uniformly.
    mutating func pick<T>(_ items: [T]) -> T { items[below(items.count)] }

    /// The array in a random order (Fisher-Yates).
    mutating func shuffled<T>(_ items: [T]) -> [T] {
        var a = items
        if a.count < 2 { return a }
        for i in stride(from: a.count - 1, to: 0, by: -1) { a.swapAt(i, below(i + 1)) }
        return a
    }
}

/// A fixed list of choices with integer weights, drawn by binary search over the running sums.
struct WeightedTable<T> {
    /// The choices, in the order given.
    let items: [T]
    private let cumulative: [Int]

    /// A table of `(item, weight)` pairs; items with weight 0 are never drawn.
    init(_ pairs: [(T, Int)]) {
        var items: [T] = []
        var cumulative: [Int] = []
        var total = 0
        for (item, weight) in pairs where weight > 0 {
            total += weight
            items.append(item)
            cumulative.append(total)
        }
        precondition(total > 0, "a weighted table needs a positive weight")
        self.items = items
        self.cumulative = cumulative
    }

    /// One item, with probability proportional to its weight.
    func pick(_ rng: inout SampleRandom) -> T {
        let r = rng.below(cumulative[cumulative.count - 1])
        var lo = 0
        var hi = cumulative.count - 1
        while lo < hi {
            let mid = (lo + hi) / 2
            if cumulative[mid] > r { hi = mid } else { lo = mid + 1 }
        }
        return items[lo]
    }
}

/// Where a file's deliberately dirty rows go: exactly one random row in each block of 100
/// data rows, so every file of 100 rows or more holds 1% dirty rows however it is cut, and
/// the kinds of dirt are dealt in shuffled rounds so that each kind appears as often as the
/// others.
struct DirtSchedule<Flaw> {
    private let flaws: [Flaw]
    private var order: [Int] = []
    private var dealt = 0
    private var blockStart = 0
    private var nextDirty: Int

    /// A schedule dealing `flaws`; the first dirty row falls within the first
    /// `firstBlock` rows (fewer than 100 for files known to be short).
    init(_ flaws: [Flaw], firstBlock: Int = 100, rng: inout SampleRandom) {
        self.flaws = flaws
        nextDirty = rng.below(max(1, min(100, firstBlock)))
    }

    /// The flaw for data row `row` (rows are asked for in order, each once), or nil for a clean row.
    mutating func flaw(forRow row: Int, rng: inout SampleRandom) -> Flaw? {
        guard row == nextDirty else { return nil }
        blockStart += 100
        nextDirty = blockStart + rng.below(100)
        if dealt == order.count {
            order = rng.shuffled(Array(flaws.indices))
            dealt = 0
        }
        dealt += 1
        return flaws[order[dealt - 1]]
    }
}
