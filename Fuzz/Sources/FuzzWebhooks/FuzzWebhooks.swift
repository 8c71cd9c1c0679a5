import FuzzSupport
import Foundation
import Payments

/// The webhook readers on untrusted input: the generic body parser, the providers' bodies, the
/// booking registrations, the status API mapping, and the signature header parsers (Casso's
/// re-serialises the body). None may crash; a body that parses must name a valid booking, and a
/// provider's transaction must have an id and an amount that is not negative.
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
    let providers: [any PaymentWebhook] = [Pay2SWebhook(access: .open), SePayWebhook(access: .open), CassoWebhook(access: .open)]
    for provider in providers {
        for transaction in (try? provider.transactions(in: body, receivedAt: Date())) ?? [] {
            precondition(!transaction.transactionID.isEmpty, "accepted a transaction without an id")
            precondition(transaction.amount >= 0, "accepted a negative amount")
        }
    }
    if let booking = try? BookingRegistrationParser(matcher: MemoMatcher()).parse(body) {
        precondition(BookingID.problem(with: booking.bookingID) == nil && booking.amount > 0, "accepted an invalid registration")
    }
    _ = try? ProviderStatusMapping(status: "data.status").interpret(body)
    let header = String(decoding: body, as: UTF8.self)
    let request = CredentialedRequest(
        headers: [
            "webhook-id": "msg", "webhook-timestamp": header, "webhook-signature": header, "stripe-signature": header, "authorization": header,
            "x-casso-signature": "t=1,v1=00",
        ],
        body: body
    )
    let secret = "whsec_" + Data(repeating: 7, count: 24).base64EncodedString()
    _ = try? StandardWebhooksAuthenticator(secrets: [secret]).authenticate(request)
    _ = try? StripeSignatureAuthenticator(secrets: ["stripe-secret-0123456789"]).authenticate(request)
    _ = try? SharedTokenAuthenticator(scheme: .bearer, tokens: ["token-0123456789abcdef"]).authenticate(request)
    _ = try? CassoSignatureAuthenticator(secrets: ["casso-secret-0123456789"]).authenticate(request)
    return 0
}
