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

    func format6(_ i: Int) -> String {
        let s = String(i)
        return String(repeating: "0", count: max(0, 6 - s.count)) + s
    }
}
