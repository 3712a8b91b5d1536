internal import CLibQREncode

extension QRMatrix {
    /// A 1-bit greyscale PNG of the code, `moduleSize` pixels a module, with a light border of
    /// `quietZone` modules (4 is what the QR standard asks for); the same matrix always gives
    /// the same bytes.
    public func png(moduleSize: Int = 8, quietZone: Int = 4) -> [UInt8] {
        precondition(moduleSize > 0 && quietZone >= 0, "module size must be positive and the quiet zone not negative")
        let modulesAcross = size + 2 * quietZone
        let (side, overflow) = modulesAcross.multipliedReportingOverflow(by: moduleSize)
        // 65,536 pixels a side is far beyond any card and keeps the pixel buffer under 512 MB.
        precondition(!overflow && side <= 1 << 16, "a \(moduleSize)-pixel module makes a PNG too large")

        // Scanlines: a filter byte then 8 pixels a byte, most significant bit first; 1 is light.
        // A module row is drawn once (filter 0, none) and then repeated as `moduleSize - 1`
        // lines of filter 2 ("same as the line above"), all zero bytes, which deflate packs
        // almost for free.
        let lineBytes = 1 + (side + 7) / 8
        var pixels = [UInt8]()
        pixels.reserveCapacity(lineBytes * side)
        var line = [UInt8](repeating: 0xFF, count: lineBytes)
        var repeated = [UInt8](repeating: 0, count: lineBytes)
        repeated[0] = 2
        for moduleRow in 0..<modulesAcross {
            for i in 1..<lineBytes { line[i] = 0xFF }
            let row = moduleRow - quietZone
            if row >= 0 && row < size {
                for column in 0..<size where modules[row * size + column] {
                    let start = (column + quietZone) * moduleSize
                    for x in start..<start + moduleSize {
                        line[1 + (x >> 3)] &= ~((0x80 as UInt8) >> (x & 7))
                    }
                }
            }
            line[0] = 0
            pixels.append(contentsOf: line)
            for _ in 1..<moduleSize { pixels.append(contentsOf: repeated) }
        }

        var header = [UInt8]()
        header.appendBigEndian(UInt32(side))
        header.appendBigEndian(UInt32(side))
        header += [1, 0, 0, 0, 0]  // bit depth 1, greyscale, deflate, per-line filters, no interlace

        var png: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]
        png.appendChunk("IHDR", header)
        png.appendChunk("IDAT", Self.zlibCompress(pixels))
        png.appendChunk("IEND", [])
        return png
    }

    /// `bytes` as one zlib stream, which is what IDAT holds.
    ///
    /// Level 6 (zlib's default), not 9: on these long runs 9 is five times slower for a file
    /// about a tenth smaller. The bytes are fixed for a given zlib; another zlib release may
    /// pack them differently, and the image stays the same.
    private static func zlibCompress(_ bytes: [UInt8]) -> [UInt8] {
        var capacity = compressBound(uLong(bytes.count))
        var out = [UInt8](repeating: 0, count: Int(capacity))
        let status = out.withUnsafeMutableBufferPointer { dest in
            bytes.withUnsafeBufferPointer { source in
                compress2(dest.baseAddress, &capacity, source.baseAddress, uLong(source.count), 6)
            }
        }
        // With compressBound room only Z_MEM_ERROR is left; Swift itself traps when memory
        // runs out, and a card without its code is no better than a stopped run.
        precondition(status == Z_OK, "zlib could not compress a QR image (status \(status))")
        out.removeSubrange(Int(capacity)...)
        return out
    }
}

private extension [UInt8] {
    mutating func appendBigEndian(_ value: UInt32) {
        append(contentsOf: [UInt8(value >> 24), UInt8(value >> 16 & 0xFF), UInt8(value >> 8 & 0xFF), UInt8(value & 0xFF)])
    }

    /// Appends a chunk: length, type, data, and the CRC-32 of type and data.
    mutating func appendChunk(_ type: StaticString, _ data: [UInt8]) {
        let typeBytes = type.withUTF8Buffer { Array($0) }
        appendBigEndian(UInt32(data.count))
        append(contentsOf: typeBytes)
        append(contentsOf: data)
        var crc = typeBytes.withUnsafeBufferPointer { crc32(0, $0.baseAddress, uInt($0.count)) }
        crc = data.withUnsafeBufferPointer { crc32(crc, $0.baseAddress, uInt($0.count)) }
        appendBigEndian(UInt32(crc))
    }
}
