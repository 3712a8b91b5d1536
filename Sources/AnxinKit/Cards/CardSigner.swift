import AnxinCore
import Crypto
import Foundation

/// Signs and verifies the payload of a card's QR code: the card number and an HMAC-SHA256 of
/// it, `<base>/c/<number>.<base64url signature>`. No ID number, no name.
public struct CardSigner: Sendable {
    private let key: SymmetricKey
    /// Where payloads point, e.g. `https://anxin.example.org`.
    public let base: String

    /// The environment variable that, when set, names the key file instead of the configuration.
    public static let keyFileVariable = "ANXIN_QR_KEY_FILE"

    /// Reads the key from `keyFile`; refuses a missing or short key, or one others can read.
    public init(keyFile: String, base: String) throws(PipelineError) {
        let fix = "create one with: mkdir -p \((keyFile as NSString).deletingLastPathComponent.isEmpty ? "." : (keyFile as NSString).deletingLastPathComponent) && (umask 077; head -c 32 /dev/urandom > \(keyFile))"
        var st = stat()
        guard stat(keyFile, &st) == 0 else {
            throw .config("the QR signing key \(keyFile) does not exist; \(fix) (or name another file in [cards] key_file or $\(CardSigner.keyFileVariable))")
        }
        if st.st_mode & 0o077 != 0 {
            throw .config(String(format: "the QR signing key %@ is readable by others (mode %o); run: chmod 600 %@", keyFile, st.st_mode & 0o777, keyFile))
        }
        guard let data = FileManager.default.contents(atPath: keyFile) else {
            throw .config("cannot read the QR signing key \(keyFile) (permission denied)")
        }
        guard data.count >= 16 else {
            throw .config("the QR signing key \(keyFile) holds \(data.count) bytes; it needs at least 16 random bytes: \(fix)")
        }
        key = SymmetricKey(data: data)
        self.base = base.hasSuffix("/") ? String(base.dropLast()) : base
    }

    /// The signature of a card number, base64url without padding.
    public func signature(_ number: CardNumber) -> String {
        let mac = HMAC<SHA256>.authenticationCode(for: Data(number.description.utf8), using: key)
        return CardSigner.base64url(Data(mac))
    }

    /// The QR payload of a card.
    public func payload(_ number: CardNumber) -> String {
        "\(base)/c/\(number).\(signature(number))"
    }

    /// Why a payload is refused.
    public enum Refusal: Error, Equatable, CustomStringConvertible {
        case malformed
        case badNumber(String)
        case badSignature(String)

        public var description: String {
            switch self {
            case .malformed: return "not an Anxin card code (expected …/c/<card number>.<signature>)"
            case .badNumber(let n): return "\(n) is not a valid card number (its check character does not match)"
            case .badSignature(let n): return "the signature does not match card \(n): the code is forged or altered"
            }
        }
    }

    /// Checks a payload's signature in constant time; returns its card number.
    public func verify(_ payload: String) -> Result<CardNumber, Refusal> {
        guard let slash = payload.range(of: "/c/", options: .backwards) else { return .failure(.malformed) }
        let tail = payload[slash.upperBound...]
        let parts = tail.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 2, let mac = CardSigner.decodeBase64url(String(parts[1])) else { return .failure(.malformed) }
        guard let number = CardNumber.parse(String(parts[0])), number.description == parts[0] else {
            return .failure(.badNumber(String(parts[0])))
        }
        // One spelling per signature: a last character that differs only in its unused bits
        // decodes to the same bytes, and such an altered code must not verify.
        guard CardSigner.base64url(mac) == parts[1],
              HMAC<SHA256>.isValidAuthenticationCode(mac, authenticating: Data(number.description.utf8), using: key) else {
            return .failure(.badSignature(number.description))
        }
        return .success(number)
    }

    static func base64url(_ data: Data) -> String {
        data.base64EncodedString().replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }

    static func decodeBase64url(_ text: String) -> Data? {
        guard text.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-" || $0 == "_") }) else { return nil }
        var s = text.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        while s.count % 4 != 0 { s += "=" }
        return Data(base64Encoded: s)
    }
}
