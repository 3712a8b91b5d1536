import Foundation
import Testing
import QRCode

@Suite("QR code as PNG and SVG")
struct QRRenderingTests {
    @Test("the PNG has the signature, IHDR/IDAT/IEND, and every CRC verifies")
    func pngStructure() throws {
        let png = try QRMatrix.encode(cardPayload).png()
        let parts = try chunks(of: png)
        #expect(parts.map(\.type) == ["IHDR", "IDAT", "IEND"])
        for part in parts {
            #expect(part.storedCRC == part.computedCRC, "CRC of \(part.type)")
        }
        #expect(parts.last?.data.isEmpty == true)
    }

    @Test("the PNG decodes back to the same modules, with a light quiet zone",
          arguments: [(8, 4), (1, 0), (3, 2), (5, 4)])
    func pngRoundTrip(moduleSize: Int, quietZone: Int) throws {
        let matrix = try QRMatrix.encode(cardPayload)
        let pixels = try decodePixels(matrix.png(moduleSize: moduleSize, quietZone: quietZone))
        let side = (matrix.size + 2 * quietZone) * moduleSize
        #expect(pixels.count == side && pixels.allSatisfy { $0.count == side })
        var mismatches = 0
        for y in 0..<side {
            for x in 0..<side {
                let row = y / moduleSize - quietZone, column = x / moduleSize - quietZone
                let inside = (0..<matrix.size).contains(row) && (0..<matrix.size).contains(column)
                let expected = inside && matrix.isDark(row: row, column: column)
                if pixels[y][x] != expected { mismatches += 1 }
            }
        }
        #expect(mismatches == 0)
    }

    @Test("the SVG draws exactly the dark modules in one self-contained path")
    func svgModules() throws {
        let matrix = try QRMatrix.encode(cardPayload)
        let svg = matrix.svg(moduleSize: 8, quietZone: 4)
        var dark = Set<Int>()
        for row in 0..<matrix.size {
            for column in 0..<matrix.size where matrix.isDark(row: row, column: column) {
                dark.insert((row + 4) * 1_000 + column + 4)
            }
        }
        let drawn = svgDarkCells(svg)
        #expect(drawn.count == dark.count)
        let misplaced = Set(drawn.map { $0.row * 1_000 + $0.column }).symmetricDifference(dark)
        #expect(misplaced.count == 0, "cells drawn but light, or dark but not drawn")
        #expect(svg.components(separatedBy: "<path").count == 2)
        let side = matrix.size + 8
        #expect(svg.contains("viewBox=\"0 0 \(side) \(side)\""))
        #expect(svg.contains("width=\"\(side * 8)\""))
        #expect(!svg.contains("href") && !svg.contains("url("))
        #expect(svg.hasPrefix("<svg xmlns=\"http://www.w3.org/2000/svg\""))
    }

    @Test("zbarimg reads the PNG back to the payload",
          .enabled(if: executableOnPath("zbarimg") != nil, "zbarimg (Debian zbar-tools) is not installed"),
          arguments: ErrorCorrection.allCases)
    func zbarDecodes(level: ErrorCorrection) throws {
        for payload in [cardPayload, "https://anxin.example.org/c/WZ2019000001A.abc-_DEF"] {
            let png = try QRMatrix.encode(payload, level: level).png(moduleSize: 4)
            let dir = FileManager.default.temporaryDirectory.appendingPathComponent("anxin-qr-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
            defer { try? FileManager.default.removeItem(at: dir) }
            let file = dir.appendingPathComponent("code.png")
            try Data(png).write(to: file)

            let process = Process()
            process.executableURL = URL(fileURLWithPath: executableOnPath("zbarimg")!)
            process.arguments = ["--raw", "-q", file.path]
            let output = Pipe(), errors = Pipe()
            process.standardOutput = output
            // zbar's D-Bus hook complains on stderr where there is no system bus; keep it for
            // the failure message only.
            process.standardError = errors
            try process.run()
            let bytes = output.fileHandleForReading.readDataToEndOfFile()
            let complaint = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            process.waitUntilExit()
            #expect(process.terminationStatus == 0, "zbarimg: \(complaint)")
            #expect(String(decoding: bytes, as: UTF8.self) == payload + "\n")
        }
    }
}
