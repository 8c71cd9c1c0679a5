import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1
import Payments

/// The provider's status API over HTTP: `GET` the configured URL with the booking's memo in it,
/// `Authorization: Bearer <PAYMENT_API_KEY>`, and read the answer with the configured mapping.
struct HTTPPaymentStatusSource: PaymentStatusSource {
    static let maximumAnswerBytes = 1 << 20

    let client: HTTPClient
    let urlTemplate: String
    let apiKey: String?
    let mapping: ProviderStatusMapping

    func url(for booking: WatchedBooking) -> String {
        let allowed = CharacterSet.urlPathAllowed.subtracting(CharacterSet(charactersIn: "/?#&="))
        let encode = { (text: String) in text.addingPercentEncoding(withAllowedCharacters: allowed) ?? text }
        return self.urlTemplate
            .replacingOccurrences(of: "{memo}", with: encode(booking.memo))
            .replacingOccurrences(of: "{bookingId}", with: encode(booking.bookingID))
    }

    func status(of booking: WatchedBooking) async throws -> ProviderPaymentStatus {
        var request = HTTPClientRequest(url: self.url(for: booking))
        request.headers.add(name: "Accept", value: "application/json")
        if let apiKey { request.headers.add(name: "Authorization", value: "Bearer \(apiKey)") }
        // The poller bounds each request; this only stops a request that outlives its task.
        let response = try await self.client.execute(request, timeout: .seconds(60))
        let body = try await response.body.collect(upTo: Self.maximumAnswerBytes)
        guard (200..<300).contains(response.status.code) else {
            throw ProviderResponseError("status API answered HTTP \(response.status.code)")
        }
        return try self.mapping.interpret(Data(body.readableBytesView))
    }
}
