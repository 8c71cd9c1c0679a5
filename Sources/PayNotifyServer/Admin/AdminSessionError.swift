import Foundation

/// Why a dashboard session value was not accepted. Operators are told only that they must log
/// in again; the reason goes to the log.
enum AdminSessionError: Error, Hashable, CustomStringConvertible {
    /// No session cookie at all.
    case missing
    /// Not of the form a session has.
    case malformed
    /// Not signed with this admin token's key (forged, or the token changed).
    case badSignature
    case expired(at: Date)

    var description: String {
        switch self {
        case .missing: "no session cookie"
        case .malformed: "session cookie is malformed"
        case .badSignature: "session cookie signature does not match"
        case .expired(let at): "session expired at \(PaymentNotifications.timestamp(at))"
        }
    }
}
