#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The encodings an extract may declare.
public enum TextEncoding: String, Sendable, CaseIterable {
    case utf8 = "utf-8"
    case gb18030 = "gb18030"

    /// Parses a configuration value (`utf-8`, `utf8`, `gb18030`, any case).
    public init?(name: String) {
        switch name.lowercased() {
        case "utf-8", "utf8": self = .utf8
        case "gb18030": self = .gb18030
        default: return nil
        }
    }
}

/// Turns raw bytes into UTF-8, marking invalid bytes with 0xFF (never valid in UTF-8).
struct Decoder {
    private let cd: iconv_t?

    init(encoding: TextEncoding, path: String) throws(CSVError) {
        switch encoding {
        case .utf8:
            cd = nil
        case .gb18030:
            let handle = iconv_open("UTF-8", "GB18030")
            if handle == iconv_t(bitPattern: -1) {
                throw CSVError.unsupportedEncoding(path: path, encoding: encoding.rawValue)
            }
            cd = handle
        }
    }

    func close() {
        if let cd { iconv_close(cd) }
    }

    /// Appends the decoded form of `input` to `out`; returns how many bytes at the end of
    /// `input` were left undecoded (an incomplete sequence, unless `final`).
    func decode(_ input: UnsafeRawBufferPointer, into out: inout [UInt8], final: Bool) -> Int {
        guard let cd else {
            out.append(contentsOf: input.bindMemory(to: UInt8.self))
            return 0
        }
        guard var inPtr = input.baseAddress.map({ UnsafeMutablePointer(mutating: $0.assumingMemoryBound(to: CChar.self)) }) else {
            return 0
        }
        var inLeft = input.count
        var buffer = [UInt8](repeating: 0, count: 64 * 1024)
        while inLeft > 0 {
            let produced: Int
            let result: Int
            let err: Int32
            (produced, result, err) = buffer.withUnsafeMutableBytes { ob in
                var outPtr: UnsafeMutablePointer<CChar>? = ob.baseAddress!.assumingMemoryBound(to: CChar.self)
                var outLeft = ob.count
                var inP: UnsafeMutablePointer<CChar>? = inPtr
                let r = iconv(cd, &inP, &inLeft, &outPtr, &outLeft)
                let e = errno
                inPtr = inP!
                return (ob.count - outLeft, r, e)
            }
            out.append(contentsOf: buffer[0..<produced])
            if result != -1 { break }
            switch err {
            case E2BIG:
                continue
            case EINVAL:
                // Incomplete sequence at the end of this buffer.
                if !final { return inLeft }
                out.append(contentsOf: repeatElement(0xFF, count: inLeft))
                inLeft = 0
            default:
                // EILSEQ: mark one invalid byte and go on.
                out.append(0xFF)
                inPtr += 1
                inLeft -= 1
            }
        }
        return 0
    }
}
