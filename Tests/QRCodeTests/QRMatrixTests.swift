import Testing
import QRCode

@Suite("QR matrix from libqrencode")
struct QRMatrixTests {
    @Test("a card payload gets the version libqrencode picks, and size 17 + 4 × version")
    func sizeMatchesVersion() throws {
        let matrix = try QRMatrix.encode(cardPayload)
        #expect(matrix.size == 17 + 4 * matrix.version)
        #expect(matrix.version == 5)
        #expect(matrix.level == .medium)
    }

    @Test("a short alphanumeric text fits version 1")
    func smallestVersion() throws {
        let matrix = try QRMatrix.encode("HELLO WORLD")
        #expect(matrix.version == 1)
        #expect(matrix.size == 21)
    }

    @Test("more error correction never makes the code smaller", arguments: [cardPayload, "x"])
    func levelsGrow(payload: String) throws {
        let versions = try ErrorCorrection.allCases.map { try QRMatrix.encode(payload, level: $0).version }
        #expect(versions == versions.sorted())
    }

    @Test("finder patterns sit at the top-left, top-right and bottom-left corners only")
    func finderPatterns() throws {
        let matrix = try QRMatrix.encode(cardPayload)
        let last = matrix.size - 7
        #expect(hasFinder(matrix, top: 0, left: 0))
        #expect(hasFinder(matrix, top: 0, left: last))
        #expect(hasFinder(matrix, top: last, left: 0))
        #expect(!hasFinder(matrix, top: last, left: last))
    }

    @Test("case is kept: upper- and lower-case payloads give different codes")
    func caseSensitive() throws {
        #expect(try QRMatrix.encode("abc") != QRMatrix.encode("ABC"))
    }

    @Test("UTF-8 text is accepted")
    func utf8() throws {
        let matrix = try QRMatrix.encode("安心 https://anxin.example.org/")
        #expect(matrix.size == 17 + 4 * matrix.version)
    }

    @Test("an over-long payload throws instead of crashing")
    func tooLong() {
        let payload = String(repeating: "a", count: 8_000)
        #expect(throws: QRError.payloadTooLong(byteCount: 8_000, level: .medium)) {
            try QRMatrix.encode(payload)
        }
        #expect(throws: QRError.payloadTooLong(byteCount: 1_300, level: .high)) {
            try QRMatrix.encode(String(repeating: "z", count: 1_300), level: .high)
        }
    }

    @Test("empty and NUL-holding payloads are refused")
    func refused() {
        #expect(throws: QRError.emptyPayload) { try QRMatrix.encode("") }
        #expect(throws: QRError.containsNUL) { try QRMatrix.encode("ab\u{0}cd") }
    }

    @Test("the error message says what to do")
    func message() {
        let text = QRError.payloadTooLong(byteCount: 8_000, level: .medium).description
        #expect(text.contains("8000 bytes") && text.contains("2331") && text.contains("shorten"))
    }

    @Test("encoding is deterministic")
    func deterministic() throws {
        let first = try QRMatrix.encode(cardPayload)
        let second = try QRMatrix.encode(cardPayload)
        #expect(first == second)
        #expect(first.png() == second.png())
        #expect(first.svg() == second.svg())
    }

    @Test("encoding from many tasks at once gives the same code")
    func concurrent() async throws {
        let expected = try QRMatrix.encode(cardPayload)
        let results = try await withThrowingTaskGroup(of: QRMatrix.self) { group in
            for _ in 0..<32 { group.addTask { try QRMatrix.encode(cardPayload) } }
            return try await group.reduce(into: []) { $0.append($1) }
        }
        #expect(results.allSatisfy { $0 == expected })
    }

    /// A 7×7 finder: dark outer ring, light ring, dark 3×3 centre; light separator outside.
    private func hasFinder(_ m: QRMatrix, top: Int, left: Int) -> Bool {
        for r in 0..<7 {
            for c in 0..<7 {
                let ring = max(abs(r - 3), abs(c - 3))
                if m.isDark(row: top + r, column: left + c) != (ring != 2) { return false }
            }
        }
        // The separator is the module row/column just inside the code beside the finder.
        let sepRow = top == 0 ? 7 : top - 1
        let sepColumn = left == 0 ? 7 : left - 1
        for i in 0..<7 {
            if m.isDark(row: sepRow, column: left + i) || m.isDark(row: top + i, column: sepColumn) { return false }
        }
        return true
    }
}
