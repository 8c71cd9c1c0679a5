import Crypto
import Foundation

/// Stripe-style signatures: `Stripe-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256 of
/// "{t}.{raw body}">[,v1=…]`. The scheme has no message id, so a delivery is identified by its
/// timestamp and signature: the same signed request sent twice is a replay.
public struct StripeSignatureAuthenticator: RequestAuthenticator {
    public static let header = "stripe-signature"
    private let keys: [SymmetricKey]
    private let tolerance: TimeInterval

    public init(secrets: [String], tolerance: TimeInterval = 300) throws(SecretError) {
        guard !secrets.isEmpty, secrets.allSatisfy({ $0.utf8.count >= 16 }) else {
            throw SecretError("a signing secret must be at least 16 characters")
        }
        self.keys = secrets.map { SymmetricKey(data: Data($0.utf8)) }
        self.tolerance = tolerance
    }

    public func authenticate(_ request: CredentialedRequest) throws(CredentialError) -> AcceptedCredentials {
        let header = try TimestampedSignatureHeader(try request.header(Self.header), name: Self.header)
        let timestampText = header.timestamp
        let signatures = header.signatures
        guard let timestamp = TimeInterval(timestampText) else {
            throw CredentialError(.malformedHeader(Self.header))
        }
        guard abs(request.receivedAt.timeIntervalSince1970 - timestamp) <= self.tolerance else {
            throw CredentialError(.timestampOutsideTolerance)
        }
        var signed = Data("\(timestampText).".utf8)
        signed.append(request.body)
        for key in self.keys {
            let expected = Data(HMAC<SHA256>.authenticationCode(for: signed, using: key))
            if let match = signatures.first(where: { ConstantTime.equals($0, expected) }) {
                return AcceptedCredentials(messageID: "stripe:\(timestampText):\(match.hexString)")
            }
        }
        throw CredentialError(.signatureMismatch)
    }
}

extension Data {
    init?(hex: some StringProtocol) {
        guard hex.utf8.count.isMultiple(of: 2) else { return nil }
        var bytes = [UInt8]()
        bytes.reserveCapacity(hex.utf8.count / 2)
        var high: UInt8?
        for character in hex.utf8 {
            let value: UInt8
            switch character {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): value = character - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): value = character - UInt8(ascii: "a") + 10
            case UInt8(ascii: "A")...UInt8(ascii: "F"): value = character - UInt8(ascii: "A") + 10
            default: return nil
            }
            if let pending = high {
                bytes.append(pending << 4 | value)
                high = nil
            } else {
                high = value
            }
        }
        self.init(bytes)
    }

    var hexString: String {
        self.map { String(format: "%02x", $0) }.joined()
    }
}
