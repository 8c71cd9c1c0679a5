import Foundation

/// SePay (developer.sepay.vn, "SePay webhooks"): `Authorization: Apikey <key>` and one
/// transaction per call: `{id, gateway, transactionDate, accountNumber, code, content,
/// transferType: "in" | "out", transferAmount, accumulated, subAccount, referenceCode,
/// description}`. `code` is the payment code SePay extracted with the merchant's configured
/// pattern (null when none): it names the booking when present, else the content does.
/// SePay retries anything but a 2xx. Dedupe key: `id`.
public struct SePayWebhook: PaymentWebhook {
    public static let provider = "sepay"
    public let access: CredentialAccess

    public init(access: CredentialAccess) {
        self.access = access
    }

    public func transactions(in body: Data, receivedAt: Date) throws(InputValidationError) -> [ReportedTransaction] {
        let transaction = try JSONField.object(from: body)
        guard let amount = try JSONField.incomingAmount(in: transaction, incoming: "in", outgoing: "out") else { return [] }
        let code = try JSONField.optionalString("code", in: transaction)?.trimmingCharacters(in: .whitespaces)
        return [
            try .incomingTransfer(
                provider: Self.provider, transaction, amount: amount, contentKey: "content", code: code.flatMap { $0.isEmpty ? nil : $0 }, receivedAt: receivedAt
            )
        ]
    }
}
