import Testing
@testable import AnxinCore

@Suite("Training results by person")
struct TrainingIndexTests {
    static func result(_ id: String, _ course: String) -> TrainingResult {
        TrainingResult(idNumber: IDNumber(trusted: id), courseCode: course, serviceArea: "cleaning", hours: 8, passed: true,
                       completedOn: CivilDate(year: 2019, month: 5, day: 1)!)
    }

    /// IDs that sort as their text does, each with 0-3 results scattered through the file.
    static func city() -> (ids: [String], results: [TrainingResult]) {
        var ids: [String] = []
        var results: [TrainingResult] = []
        var random = SystemRandomNumberGenerator()
        for n in 0..<400 {
            let id = "330302" + String(19_800_101_000 + n * 37) + (n % 11 == 0 ? "X" : String(n % 10))
            ids.append(id)
            for c in 0..<(n % 4) { results.append(result(id, "C\(c)")) }
        }
        results.shuffle(using: &random)
        return (ids, results)
    }

    @Test func inOrderOutOfOrderAndWithoutACursorTheSameResultsInFileOrder() {
        let (ids, results) = Self.city()
        let index = TrainingIndex(results)
        #expect(index.count == results.count)
        func expected(_ id: String) -> [String] { results.filter { $0.idNumber.value == id }.map(\.courseCode) }
        var cursor = TrainingIndex.Cursor()
        for id in ids {
            #expect(index.courses(of: IDNumber(trusted: id), from: &cursor).map(\.courseCode) == expected(id))
        }
        var backwards = TrainingIndex.Cursor()
        for id in ids.reversed() {
            #expect(index.courses(of: IDNumber(trusted: id), from: &backwards).map(\.courseCode) == expected(id))
        }
        var shuffled = TrainingIndex.Cursor()
        for id in ids.shuffled() + ids {
            #expect(index.courses(of: IDNumber(trusted: id), from: &shuffled).map(\.courseCode) == expected(id))
            #expect(index.courses(of: IDNumber(trusted: id)).map(\.courseCode) == expected(id))
        }
        // Someone without results, before, between and after everyone.
        for id in ["110101190001010000", "330302198001010XXX", "99999999999999999X"] {
            #expect(index.courses(of: IDNumber(trusted: id), from: &cursor).isEmpty)
        }
        #expect(TrainingIndex([]).courses(of: IDNumber(trusted: ids[0])).isEmpty)
    }

    @Test func resultsArePutInOrderByMovingThemAlongTheirCycles() {
        let values = (0..<50).map { Self.result("33030219800101" + String(1000 + $0), "C\($0)") }
        var random = SystemRandomNumberGenerator()
        let orders: [[Int]] = [Array(0..<50), Array((0..<50).reversed()), Array(1..<50) + [0],
                               Array(0..<50).shuffled(using: &random), Array(0..<50).shuffled(using: &random)]
        for order in orders {
            var moved = values
            TrainingIndex.permute(&moved, by: order)
            #expect(moved == order.map { values[$0] })
        }
        var none: [TrainingResult] = []
        TrainingIndex.permute(&none, by: [Int]())
        #expect(none.isEmpty)
    }

    @Test func textThatSharesAKeyWithAnIDNumberIsNotTakenForIt() {
        // Only the digits 0-9 and X make keys that order as text does: "A" counts as 17, so
        // "...0A" (0 × 11 + 17) has the key of "...16" (1 × 11 + 6).
        let real = "330302198001010010"
        let odd = "33030219800101000A"
        let twin = String(real.dropLast(2)) + "16"
        #expect(IDNumber(trusted: odd).sortKey == IDNumber(trusted: twin).sortKey)
        #expect(IDNumber(trusted: twin).hasDistinctKey && IDNumber(trusted: "11010519491231002X").hasDistinctKey)
        #expect(!IDNumber(trusted: odd).hasDistinctKey && !IDNumber(trusted: "33030219800101001").hasDistinctKey)
        let index = TrainingIndex([Self.result(twin, "real"), Self.result(odd, "odd"), Self.result(real, "other")])
        #expect(index.courses(of: IDNumber(trusted: twin)).map(\.courseCode) == ["real"])
        #expect(index.courses(of: IDNumber(trusted: odd)).map(\.courseCode) == ["odd"])
    }
}
