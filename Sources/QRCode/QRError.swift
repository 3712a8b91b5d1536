/// Why a payload could not be turned into a QR code.
public enum QRError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The payload is empty; a QR code must carry at least one byte.
    case emptyPayload
    /// The payload holds a NUL character, which libqrencode would silently cut the text at.
    case containsNUL
    /// The payload does not fit in the largest QR code (version 40) at this level.
    case payloadTooLong(byteCount: Int, level: ErrorCorrection)
    /// libqrencode failed for another reason; `reason` is the C library's own message.
    case encodingFailed(reason: String)

    /// A message a user can act on.
    public var description: String {
        switch self {
        case .emptyPayload:
            "QR payload is empty"
        case .containsNUL:
            "QR payload contains a NUL character"
        case let .payloadTooLong(byteCount, level):
            "QR payload of \(byteCount) bytes does not fit in a QR code at error correction "
                + "'\(level.rawValue)' (the largest holds \(level.byteCapacity) bytes of text); "
                + "shorten it or lower the error correction"
        case let .encodingFailed(reason):
            "QR encoding failed: \(reason)"
        }
    }
}
