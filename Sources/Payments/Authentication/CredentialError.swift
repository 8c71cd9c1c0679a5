/// Why a request was refused as unauthenticated. The description is safe to send back: it says
/// what is wrong without revealing anything about the secret.
public struct CredentialError: Error, Hashable, CustomStringConvertible {
    public enum Reason: Sendable, Hashable {
        case missingHeader(String)
        case malformedHeader(String)
        case timestampOutsideTolerance
        case signatureMismatch
        case wrongCredentials
        /// The route has no credential configured, so it accepts nothing; names the variable.
        case notConfigured(String)
    }

    public let reason: Reason

    public init(_ reason: Reason) {
        self.reason = reason
    }

    public var description: String {
        switch self.reason {
        case .missingHeader(let name): "missing \(name) header"
        case .malformedHeader(let name): "malformed \(name) header"
        case .timestampOutsideTolerance: "timestamp outside the accepted tolerance"
        case .signatureMismatch: "signature does not match"
        case .wrongCredentials: "wrong credentials"
        case .notConfigured(let variable): "not configured (set \(variable))"
        }
    }
}
