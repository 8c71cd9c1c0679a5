import Crypto
import Foundation
import HTTPTypes
import Hummingbird
import Logging
import NIOCore
import Payments

/// The demo page's simulate button (development mode only): turns `{"bookingId","amount"}` into
/// the webhook a provider would send and hands it to the webhook route itself, signed with the
/// configured secret, so it is authenticated, validated, recorded, deduplicated and announced
/// exactly like a real payment. The transaction id is fixed per booking: a second press is a
/// duplicate, as a provider's retry would be.
struct PaymentSimulator<Context: RequestContext>: Sendable {
    static var maximumBodyBytes: Int { 4096 }

    let controller: WebhookController<Context>
    /// The reference webhook (`/webhook/payment`), whose format the simulation sends.
    let webhook: any PaymentWebhook
    /// Nil when webhooks are not authenticated.
    let signer: WebhookSigner?
    let logger: Logger

    init(controller: WebhookController<Context>, webhook: any PaymentWebhook, security: SecurityConfiguration, logger: Logger) {
        self.controller = controller
        self.webhook = webhook
        self.signer = security.webhookSecrets.first.map { WebhookSigner(scheme: WebhookSigner.Scheme(security.webhookScheme), secret: $0) }
        self.logger = logger
    }

    func simulate(_ request: Request) async -> Response {
        let body: ByteBuffer
        do {
            body = try await request.body.collect(upTo: Self.maximumBodyBytes)
        } catch {
            return WebhookAnswer.refused("body larger than \(Self.maximumBodyBytes) bytes").response(status: .badRequest)
        }
        guard var fields = (try? JSONSerialization.jsonObject(with: Data(body.readableBytesView))) as? [String: Any] else {
            return WebhookAnswer.refused(#"body must be a JSON object like {"bookingId":"BK123","amount":500000}"#).response(status: .badRequest)
        }
        // Whatever else was sent, this is a successful payment; the webhook parser judges the rest.
        fields["status"] = "success"
        fields["transactionId"] = (fields["bookingId"] as? String).map(Self.transactionID(forBooking:))
        let webhookBody: Data
        var headers: HTTPFields = [.contentType: "application/json"]
        do {
            webhookBody = try JSONSerialization.data(withJSONObject: fields, options: [.sortedKeys])
            for (name, value) in try self.signer?.headers(for: webhookBody) ?? [:] {
                if let name = HTTPField.Name(name) { headers[name] = value }
            }
        } catch {
            self.logger.error("Simulated payment not signed", metadata: ["error": "\(error)"])
            return WebhookAnswer.refused("the simulated webhook could not be signed: \(error)").response(status: .internalServerError)
        }
        self.logger.info("Simulated payment", metadata: ["booking": .string(fields["bookingId"] as? String ?? "none")])
        let head = HTTPRequest(method: .post, scheme: "http", authority: "localhost", path: "/webhook/payment", headerFields: headers)
        return await self.controller.receive(
            Request(head: head, body: RequestBody(buffer: ByteBuffer(bytes: webhookBody))),
            from: self.webhook,
            route: "/webhook/payment",
            logger: self.logger
        )
    }

    /// `demo-` and a digest of the booking id: the same for every press on one booking, and
    /// within the webhook's identifier length whatever the booking id's.
    static func transactionID(forBooking bookingID: String) -> String {
        "demo-" + SHA256.hash(data: Data(bookingID.utf8)).prefix(8).map { String(format: "%02x", $0) }.joined()
    }
}

extension WebhookSigner.Scheme {
    /// The signer matching a webhook verification scheme.
    init(_ scheme: SecurityConfiguration.WebhookScheme) {
        switch scheme {
        case .standard: self = .standard
        case .stripe: self = .stripe
        case .bearer: self = .bearer
        case .apikey: self = .apiKey
        }
    }
}
