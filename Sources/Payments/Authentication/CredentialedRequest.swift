import Foundation

/// What a request presents for its credentials to be checked: its headers, names lower-cased,
/// and its raw body bytes (webhook signatures are over exactly these; a route that takes only a
/// token in a header, as the merchant API and `/metrics` do, passes an empty body).
public struct CredentialedRequest: Sendable {
    public let headers: [String: String]
    public let body: Data
    public let receivedAt: Date

    public init(headers: [String: String], body: Data, receivedAt: Date = Date()) {
        self.headers = Dictionary(headers.map { ($0.key.lowercased(), $0.value) }, uniquingKeysWith: { _, last in last })
        self.body = body
        self.receivedAt = receivedAt
    }

    func header(_ name: String) throws(CredentialError) -> String {
        guard let value = self.headers[name], !value.isEmpty else { throw CredentialError(.missingHeader(name)) }
        return value
    }
}
