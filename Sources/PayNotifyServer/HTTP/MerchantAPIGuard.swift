import Foundation
import Hummingbird
import Logging
import Payments

/// The `MERCHANT_API_KEY` check every merchant API route passes first: a request without the
/// key (`Authorization: Bearer <key>`) is answered 401 and logged, never handled.
struct MerchantAPIGuard: Sendable {
    let access: CredentialAccess
    let logger: Logger

    func guarded(_ request: Request, _ handle: () async -> Response) async -> Response {
        do {
            _ = try self.access.authenticate(CredentialedRequest(request))
        } catch {
            self.logger.warning("Merchant API request refused", metadata: ["route": .string(request.uri.path), "error": .string(error.description)])
            return APIAnswer.refused("unauthorized: \(error.description)", status: .unauthorized)
        }
        return await handle()
    }
}
