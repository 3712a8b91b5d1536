import Testing
@testable import AnxinCore

@Suite("Key set")
struct KeySetTests {
    /// Keys in order, out of order, repeated, and prefixes of one another agree with `Set`.
    @Test func agreesWithSetWhateverTheOrder() {
        var generator = SystemRandomNumberGenerator()
        for pattern in 0..<4 {
            var keys: [String] = []
            for i in 0..<5000 {
                switch pattern {
                case 0: keys.append("SQ\(format6(i))")  // increasing
                case 1: keys.append("K\(UInt32.random(in: 0..<3000, using: &generator))")  // random, repeats
                case 2: keys.append(i % 7 == 0 ? "SQ\(format6(i / 2))" : "SQ\(format6(i))")  // mostly increasing
                default: keys.append(String(repeating: "a", count: i % 9) + (i % 3 == 0 ? "" : "b"))  // prefixes
                }
            }
            var set = KeySet(capacity: pattern == 1 ? 16 : 5000)
            var reference = Set<String>()
            for key in keys {
                #expect(set.contains(key) == reference.contains(key))
                #expect(set.insert(key) == reference.insert(key).inserted, "pattern \(pattern): \(key)")
                #expect(set.contains(key))
            }
            #expect(set.count == reference.count)
            for probe in ["", "SQ", "SQ9999999", "K", "a", "aaaaaaaaaa", "zz", "SQ000000"] {
                #expect(set.contains(probe) == reference.contains(probe), "pattern \(pattern): \(probe)")
            }
        }
    }

    /// A set built at once holds the same keys as one built key by key, and takes more.
    @Test func builtAtOnceAgreesWithInsertingOneByOne() {
        var keys: [String] = (0..<3000).map { "\(($0 * 7919) % 2000)" } + ["", "1", "10", "100"]
        keys.shuffle()
        var bytes: [UInt8] = []
        var ends: [Int] = []
        for k in keys { bytes += Array(k.utf8); ends.append(bytes.count) }
        var bulk = KeySet(bytes: bytes, ends: ends)
        var reference = Set(keys)
        #expect(bulk.count == reference.count)
        for probe in (0..<2500).map({ "\($0)" }) + ["", "x", "0000"] {
            #expect(bulk.contains(probe) == reference.contains(probe), "\(probe)")
        }
        for k in ["1999", "2000", "99999", "", "x", "0"] {
            #expect(bulk.insert(k) == reference.insert(k).inserted, "\(k)")
            #expect(bulk.contains(k))
        }
        #expect(bulk.count == reference.count)
        #expect(KeySet(bytes: [], ends: []).count == 0)
        #expect(!KeySet(bytes: [], ends: []).contains(""))
    }

    func format6(_ i: Int) -> String {
        let s = String(i)
        return String(repeating: "0", count: max(0, 6 - s.count)) + s
    }
}
