import Foundation

/// The reference design's webhook (`POST /webhook/payment`): the body names its booking, and
/// any of the generic signing schemes (or none, in development) proves the sender.
public struct GenericWebhook: PaymentWebhook {
    public let access: CredentialAccess
    private let parser = GenericWebhookParser()

    public init(access: CredentialAccess) {
        self.access = access
    }

    public static var provider: String { GenericWebhookParser.provider }

    public func transactions(in body: Data, receivedAt: Date) throws(InputValidationError) -> [ReportedTransaction] {
        let event = try self.parser.parse(body, receivedAt: receivedAt)
        return [
            ReportedTransaction(
                provider: event.provider,
                transactionID: event.transactionID,
                amount: event.amount,
                status: event.status,
                reference: .booking(event.bookingID),
                receivedAt: event.receivedAt
            )
        ]
    }
}
