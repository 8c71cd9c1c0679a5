import FuzzSupport
import Foundation
import Payments

/// The webhook readers on untrusted input: the generic body parser, the status API mapping, and
/// the signature header parsers. None may crash; a body that parses must name a valid booking.
@_cdecl("FuzzWebhooks_main")
public func main(argc: CInt, argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>) -> CInt {
    runFuzzer(argc: argc, argv: argv, callback: fuzzWebhooks)
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzWebhooks(_ input: UnsafePointer<UInt8>?, _ count: Int) -> CInt {
    guard let data = input else { return 0 }
    let body = Data(UnsafeBufferPointer(start: data, count: count))
    if let event = try? GenericWebhookParser().parse(body) {
        precondition(BookingID.problem(with: event.bookingID) == nil, "accepted an invalid booking id")
        precondition(event.amount >= 0, "accepted a negative amount")
    }
    _ = try? ProviderStatusMapping(status: "data.status").interpret(body)
    let header = String(decoding: body, as: UTF8.self)
    let request = WebhookRequest(
        headers: ["webhook-id": "msg", "webhook-timestamp": header, "webhook-signature": header, "stripe-signature": header, "authorization": header],
        body: body
    )
    let secret = "whsec_" + Data(repeating: 7, count: 24).base64EncodedString()
    _ = try? StandardWebhooksAuthenticator(secrets: [secret]).authenticate(request)
    _ = try? StripeSignatureAuthenticator(secrets: ["stripe-secret-0123456789"]).authenticate(request)
    _ = try? SharedTokenAuthenticator(scheme: .bearer, tokens: ["token-0123456789abcdef"]).authenticate(request)
    return 0
}
