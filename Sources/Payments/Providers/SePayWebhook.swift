import Foundation

/// SePay (developer.sepay.vn, "SePay webhooks"): `Authorization: Apikey <key>` and one
/// transaction per call: `{id, gateway, transactionDate, accountNumber, code, content,
/// transferType: "in" | "out", transferAmount, accumulated, subAccount, referenceCode,
/// description}`. `code` is the payment code SePay extracted with the merchant's configured
/// pattern (null when none): it names the booking when present, else the content does.
/// SePay retries anything but a 2xx. Dedupe key: `id`.
public struct SePayWebhook: PaymentWebhook {
    public static let provider = "sepay"
    public let access: WebhookAccess

    public init(access: WebhookAccess) {
        self.access = access
    }

    public var provider: String { Self.provider }

    public func transactions(in body: Data, receivedAt: Date) throws(InputValidationError) -> [ReportedTransaction] {
        let transaction = try JSONField.object(from: body)
        let direction = try JSONField.requiredString("transferType", in: transaction, maximumLength: 8).lowercased()
        guard ["in", "out"].contains(direction) else { throw InputValidationError("transferType must be in or out") }
        guard direction == "in" else { return [] }
        let amount = try JSONField.number("transferAmount", in: transaction)
        guard amount >= 0 else { throw InputValidationError("transferAmount must not be negative") }
        let code = try JSONField.optionalString("code", in: transaction)?.trimmingCharacters(in: .whitespaces)
        return [
            ReportedTransaction(
                provider: Self.provider,
                transactionID: try JSONField.identifier("id", in: transaction),
                amount: amount,
                status: .success,
                reference: .transferContent(
                    try JSONField.optionalString("content", in: transaction) ?? "",
                    code: code.flatMap { $0.isEmpty ? nil : $0 }
                ),
                receivedAt: receivedAt
            )
        ]
    }
}
