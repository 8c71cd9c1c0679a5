import Foundation
import Hummingbird
import Payments

extension CredentialedRequest {
    /// A Hummingbird request's credentials: its headers, and the body a webhook's signature is
    /// over (empty for the routes that take only a token, as the merchant API and `/metrics`).
    init(_ request: Request, body: Data = Data()) {
        var headers: [String: String] = [:]
        for field in request.headers {
            headers[field.name.canonicalName] = field.value
        }
        self.init(headers: headers, body: body)
    }
}
