import Foundation

/// pay2s (docs.pay2s.vn, webhook technical document): `Authorization: Bearer <token>` and
/// `{"transactions":[{id, gateway, transactionDate, transactionNumber, accountNumber, content,
/// transferType: "IN" | "OUT", transferAmount, checksum}]}`, several transactions per call.
/// pay2s stops retrying only on HTTP 200 with `{"success": true}`. Dedupe key: `id`. The
/// `checksum` algorithm is not documented publicly, so it is not checked.
public struct Pay2SWebhook: PaymentWebhook {
    public static let provider = "pay2s"
    public let access: CredentialAccess

    public init(access: CredentialAccess) {
        self.access = access
    }

    public func transactions(in body: Data, receivedAt: Date) throws(InputValidationError) -> [ReportedTransaction] {
        let object = try JSONField.object(from: body)
        return try JSONField.each(try JSONField.objects("transactions", in: object), in: "transactions") { transaction throws(InputValidationError) in
            guard let amount = try JSONField.incomingAmount(in: transaction, incoming: "IN", outgoing: "OUT") else { return nil }
            return try .incomingTransfer(provider: Self.provider, transaction, amount: amount, contentKey: "content", receivedAt: receivedAt)
        }
    }
}
