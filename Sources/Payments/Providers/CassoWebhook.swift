import Foundation

/// Casso webhook v2 (public repository CassoHQ/casso-webhook-v2-verify-signature):
/// `X-Casso-Signature: t=<unix ms>,v1=<hex HMAC-SHA512>` (see `CassoSignatureAuthenticator`) and
/// `{"error":0,"data":{id, reference, description, amount, runningBalance, transactionDateTime,
/// accountNumber, bankName, bankAbbreviation, virtualAccountNumber, virtualAccountName,
/// counterAccountName, counterAccountNumber, counterAccountBankId, counterAccountBankName}}`.
/// `description` is the transfer content. A money-out transaction has a negative amount and is
/// left out; `data` as an array (several transactions) is read too. Dedupe key: `id`.
public struct CassoWebhook: PaymentWebhook {
    public static let provider = "casso"
    public let access: CredentialAccess

    public init(access: CredentialAccess) {
        self.access = access
    }

    public func transactions(in body: Data, receivedAt: Date) throws(InputValidationError) -> [ReportedTransaction] {
        let object = try JSONField.object(from: body)
        if case .number(let error) = object["error"], error != 0 {
            throw InputValidationError("error is \(error): Casso reports a failed delivery")
        }
        let entries: [[String: JSONField]]
        if case .object(let transaction) = object["data"] {
            entries = [transaction]
        } else {
            entries = try JSONField.objects("data", in: object)
        }
        return try JSONField.each(entries, in: "data") { transaction throws(InputValidationError) in
            let amount = try JSONField.number("amount", in: transaction)
            guard amount > 0 else { return nil }
            return try .incomingTransfer(provider: Self.provider, transaction, amount: amount, contentKey: "description", receivedAt: receivedAt)
        }
    }
}
