import Foundation

/// pay2s (docs.pay2s.vn, webhook technical document): `Authorization: Bearer <token>` and
/// `{"transactions":[{id, gateway, transactionDate, transactionNumber, accountNumber, content,
/// transferType: "IN" | "OUT", transferAmount, checksum}]}`, several transactions per call.
/// pay2s stops retrying only on HTTP 200 with `{"success": true}`. Dedupe key: `id`. The
/// `checksum` algorithm is not documented publicly, so it is not checked.
public struct Pay2SWebhook: PaymentWebhook {
    public static let provider = "pay2s"
    public let access: WebhookAccess

    public init(access: WebhookAccess) {
        self.access = access
    }

    public var provider: String { Self.provider }

    public func transactions(in body: Data, receivedAt: Date) throws(InputValidationError) -> [ReportedTransaction] {
        let object = try JSONField.object(from: body)
        return try JSONField.each(try JSONField.objects("transactions", in: object), in: "transactions") { transaction throws(InputValidationError) in
            let direction = try JSONField.requiredString("transferType", in: transaction, maximumLength: 8).uppercased()
            guard ["IN", "OUT"].contains(direction) else { throw InputValidationError("transferType must be IN or OUT") }
            guard direction == "IN" else { return nil }
            let amount = try JSONField.number("transferAmount", in: transaction)
            guard amount >= 0 else { throw InputValidationError("transferAmount must not be negative") }
            return ReportedTransaction(
                provider: Self.provider,
                transactionID: try JSONField.identifier("id", in: transaction),
                amount: amount,
                status: .success,
                reference: .transferContent(try JSONField.optionalString("content", in: transaction) ?? "", code: nil),
                receivedAt: receivedAt
            )
        }
    }
}
