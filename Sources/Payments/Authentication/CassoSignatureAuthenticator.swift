import Crypto
import Foundation

/// Casso webhook v2 signatures: `X-Casso-Signature: t=<unix ms>,v1=<hex>`, where v1 is the
/// HMAC-SHA512, keyed with the webhook's secret, of `t + "." + JSON.stringify(body with object
/// keys sorted recursively)` (checked against the published sample vector). Casso signs a
/// re-serialisation, not the raw bytes, so the body is parsed and serialised the same way.
///
/// Casso documents no timestamp tolerance and no delivery id, so neither is enforced: a replayed
/// delivery is a duplicate for the ledger (dedupe on the transaction id).
public struct CassoSignatureAuthenticator: RequestAuthenticator {
    public static let header = "x-casso-signature"
    private let keys: [SymmetricKey]

    public init(secrets: [String]) throws(SecretError) {
        guard !secrets.isEmpty, secrets.allSatisfy({ $0.utf8.count >= 16 }) else {
            throw SecretError("a Casso webhook secret must be at least 16 characters")
        }
        self.keys = secrets.map { SymmetricKey(data: Data($0.utf8)) }
    }

    public func authenticate(_ request: CredentialedRequest) throws(CredentialError) -> AcceptedCredentials {
        let header = try TimestampedSignatureHeader(try request.header(Self.header), name: Self.header)
        guard header.timestamp.allSatisfy({ $0.isASCII && $0.isNumber }) else {
            throw CredentialError(.malformedHeader(Self.header))
        }
        let body: [String: JSONField]
        do {
            body = try JSONField.object(from: request.body)
        } catch {
            throw CredentialError(.signatureMismatch)
        }
        let signed = Data("\(header.timestamp).\(JSONField.object(body).sortedKeysJSON)".utf8)
        for key in self.keys {
            let expected = Data(HMAC<SHA512>.authenticationCode(for: signed, using: key))
            if header.signatures.contains(where: { ConstantTime.equals($0, expected) }) {
                return AcceptedCredentials(messageID: nil)
            }
        }
        throw CredentialError(.signatureMismatch)
    }
}
