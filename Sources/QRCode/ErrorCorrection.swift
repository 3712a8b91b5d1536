internal import CLibQREncode

/// How much of a QR code may be damaged and still be read; more correction means a bigger code.
public enum ErrorCorrection: String, Sendable, CaseIterable, Codable {
    /// About 7% of the code may be lost.
    case low
    /// About 15% of the code may be lost: the usual choice for printed cards.
    case medium
    /// About 25% of the code may be lost.
    case quartile
    /// About 30% of the code may be lost.
    case high

    /// The most bytes of arbitrary (8-bit) text a version 40 code holds at this level; digits
    /// and upper-case runs pack tighter, so this is what a user can count on, not the limit.
    var byteCapacity: Int {
        switch self {
        case .low: 2953
        case .medium: 2331
        case .quartile: 1663
        case .high: 1273
        }
    }

    var cLevel: QRecLevel {
        switch self {
        case .low: QR_ECLEVEL_L
        case .medium: QR_ECLEVEL_M
        case .quartile: QR_ECLEVEL_Q
        case .high: QR_ECLEVEL_H
        }
    }
}
