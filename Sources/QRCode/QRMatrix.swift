internal import CLibQREncode
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A QR code as a square of light and dark modules, copied out of libqrencode.
///
/// The matrix holds no C memory: `encode` copies the modules into Swift storage and frees the
/// `QRcode` before it returns, so a matrix can be kept, compared and sent across tasks freely.
public struct QRMatrix: Sendable, Hashable {
    /// The number of modules along one side (17 + 4 × version), without the quiet zone.
    public let size: Int
    /// The QR version chosen by libqrencode: the smallest (1–40) that holds the payload.
    public let version: Int
    /// The error correction level the code was built with.
    public let level: ErrorCorrection
    /// Row-major, `size × size`; true is dark. Internal so the renderers can walk it in order.
    let modules: [Bool]

    /// Whether the module at `row`, `column` (both from 0, top-left) is dark.
    public func isDark(row: Int, column: Int) -> Bool {
        precondition((0..<size).contains(row) && (0..<size).contains(column),
                     "module (\(row), \(column)) is outside a \(size)×\(size) QR code")
        return modules[row * size + column]
    }

    /// Encodes `text` (as UTF-8, case preserved) into the smallest QR code that holds it.
    ///
    /// libqrencode still splits the text into numeric, alphanumeric and 8-bit segments where
    /// that makes the code smaller; case sensitivity keeps it from upper-casing letters to fit
    /// the alphanumeric set, which would change a signature.
    public static func encode(_ text: String, level: ErrorCorrection = .medium) throws(QRError) -> QRMatrix {
        let byteCount = text.utf8.count
        guard byteCount > 0 else { throw .emptyPayload }
        // The C API takes a NUL-terminated string; an inner NUL would cut the payload short.
        guard !text.utf8.contains(0) else { throw .containsNUL }

        let (code, error) = text.withCString { string in
            errno = 0
            let code = QRcode_encodeString(string, 0, level.cLevel, QR_MODE_8, 1)
            return (code, errno)  // read at once: nothing else may touch errno in between
        }
        guard let code else {
            switch error {
            case ERANGE: throw .payloadTooLong(byteCount: byteCount, level: level)
            case 0: throw .encodingFailed(reason: "libqrencode gave no reason")
            default: throw .encodingFailed(reason: String(cString: strerror(error)))
            }
        }
        defer { QRcode_free(code) }

        let size = Int(code.pointee.width)
        guard let data = code.pointee.data, size > 0 else {
            throw .encodingFailed(reason: "libqrencode returned a code without modules")
        }
        // Bit 0 of each byte is the module's colour; the other bits describe its role.
        let modules = (0..<size * size).map { data[$0] & 1 != 0 }
        return QRMatrix(size: size, version: Int(code.pointee.version), level: level, modules: modules)
    }
}
