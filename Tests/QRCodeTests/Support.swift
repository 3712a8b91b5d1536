import CLibQREncode
import Foundation
import QRCode

/// A card payload of the real shape: registry URL, card number, base64url Ed25519 signature.
let cardPayload = "https://anxin.example.org/c/WZ2019000123X.q3Jf0xN8_vKd2LrB7yTm1WcZp4HsE9uAa6GiQoX5b-Y"

/// The CRC-32 of PNG (ISO 3309, reflected 0xEDB88320), bit by bit, so the test does not lean
/// on the same zlib routine the writer uses.
func referenceCRC32(_ bytes: some Sequence<UInt8>) -> UInt32 {
    var crc: UInt32 = 0xFFFF_FFFF
    for byte in bytes {
        crc ^= UInt32(byte)
        for _ in 0..<8 { crc = crc & 1 == 1 ? (crc >> 1) ^ 0xEDB8_8320 : crc >> 1 }
    }
    return ~crc
}

/// One PNG chunk as read back from the bytes.
struct Chunk {
    var type: String
    var data: [UInt8]
    var storedCRC: UInt32
    var computedCRC: UInt32
}

enum PNGReadError: Error { case truncated, badSignature, inflateFailed(Int32), notOneBitGrey, unsupportedFilter(UInt8) }

func bigEndian(_ bytes: ArraySlice<UInt8>) -> UInt32 {
    bytes.reduce(0) { $0 << 8 | UInt32($1) }
}

/// Splits a PNG into its chunks, checking the signature and the framing.
func chunks(of png: [UInt8]) throws -> [Chunk] {
    guard png.starts(with: [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]) else { throw PNGReadError.badSignature }
    var result: [Chunk] = []
    var at = 8
    while at < png.count {
        guard at + 12 <= png.count else { throw PNGReadError.truncated }
        let length = Int(bigEndian(png[at..<at + 4]))
        guard at + 12 + length <= png.count else { throw PNGReadError.truncated }
        let typeAndData = png[at + 4..<at + 8 + length]
        result.append(Chunk(
            type: String(decoding: png[at + 4..<at + 8], as: UTF8.self),
            data: Array(png[at + 8..<at + 8 + length]),
            storedCRC: bigEndian(png[at + 8 + length..<at + 12 + length]),
            computedCRC: referenceCRC32(typeAndData)))
        at += 12 + length
    }
    return result
}

/// Decodes a 1-bit greyscale, non-interlaced PNG into rows of pixels (true is dark).
func decodePixels(_ png: [UInt8]) throws -> [[Bool]] {
    let parts = try chunks(of: png)
    guard let header = parts.first, header.type == "IHDR", header.data.count == 13 else { throw PNGReadError.truncated }
    let width = Int(bigEndian(header.data[0..<4]))
    let height = Int(bigEndian(header.data[4..<8]))
    guard Array(header.data[8...]) == [1, 0, 0, 0, 0] else { throw PNGReadError.notOneBitGrey }
    let compressed = parts.filter { $0.type == "IDAT" }.flatMap(\.data)
    let lineBytes = 1 + (width + 7) / 8
    var raw = [UInt8](repeating: 0, count: lineBytes * height)
    var rawCount = uLong(raw.count)
    let status = raw.withUnsafeMutableBufferPointer { out in
        compressed.withUnsafeBufferPointer { uncompress(out.baseAddress, &rawCount, $0.baseAddress, uLong($0.count)) }
    }
    guard status == Z_OK, rawCount == uLong(raw.count) else { throw PNGReadError.inflateFailed(status) }
    // Undo the filters. 0 (none) and 2 (up) are what the writer uses; 1-bit images have one
    // byte per "pixel" for filtering, so sub (1) adds the byte to the left. Others are refused.
    var previous = [UInt8](repeating: 0, count: lineBytes - 1)
    var rows: [[Bool]] = []
    for y in 0..<height {
        var line = Array(raw[(y * lineBytes + 1)..<((y + 1) * lineBytes)])
        switch raw[y * lineBytes] {
        case 0: break
        case 1: for i in 1..<line.count { line[i] &+= line[i - 1] }
        case 2: for i in line.indices { line[i] &+= previous[i] }
        case let other: throw PNGReadError.unsupportedFilter(other)
        }
        previous = line
        rows.append((0..<width).map { x in line[x / 8] & (0x80 >> UInt8(x % 8)) == 0 })
    }
    return rows
}

/// Cells covered by an SVG path written as `M x y h w v 1 h -w z` runs, in module units.
func svgDarkCells(_ svg: String) -> [(row: Int, column: Int)] {
    guard let start = svg.range(of: " d=\""), let end = svg[start.upperBound...].firstIndex(of: "\"") else { return [] }
    var cells: [(row: Int, column: Int)] = []
    for run in svg[start.upperBound..<end].split(separator: "z") {
        // "M12 7h3v1h-3" → x 12, y 7, width 3
        let numbers = run.split(whereSeparator: { !"0123456789-".contains($0) }).compactMap { Int($0) }
        guard numbers.count == 5, numbers[3] == 1, numbers[4] == -numbers[2] else { return [] }
        for x in numbers[0]..<numbers[0] + numbers[2] { cells.append((numbers[1], x)) }
    }
    return cells
}

/// The path of `name` on PATH, or nil.
func executableOnPath(_ name: String) -> String? {
    let path = ProcessInfo.processInfo.environment["PATH"] ?? ""
    return path.split(separator: ":").map { "\($0)/\(name)" }
        .first { FileManager.default.isExecutableFile(atPath: $0) }
}
