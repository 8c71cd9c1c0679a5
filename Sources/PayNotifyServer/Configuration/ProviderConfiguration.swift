import Foundation
import Payments

/// The payment providers' webhooks (pay2s, SePay, Casso), the merchant API, memo matching and
/// the bank account VietQR links pay into.
public struct ProviderConfiguration: Sendable {
    public var pay2sToken: String?
    public var sepayAPIKey: String?
    public var cassoSecret: String?
    /// Development only: provider routes without a credential accept anything instead of nothing.
    public var openWithoutCredentials = false
    /// Guards `/api/*` (`Authorization: Bearer <key>`); unset: open in development, closed in production.
    public var merchantAPIKey: String?
    public var memoMatcher = MemoMatcher()
    /// Where VietQR links pay into; nil: no QR links.
    public var bankAccount: VietQRLink.Account?

    public init() {}

    static let templates = ["compact2", "compact", "qr_only", "print"]

    public static let variables: [(name: String, help: String)] = [
        ("PAY2S_TOKEN", "token pay2s sends as Authorization: Bearer (at least 16 characters); unset: /webhook/pay2s refuses everything"),
        ("SEPAY_API_KEY", "key SePay sends as Authorization: Apikey (at least 16 characters); unset: /webhook/sepay refuses everything"),
        ("CASSO_SECRET", "Casso webhook v2 secret for X-Casso-Signature (at least 16 characters); unset: /webhook/casso refuses everything"),
        ("PROVIDER_WEBHOOKS_OPEN", "development only: true makes provider routes without a credential accept unauthenticated webhooks"),
        ("MERCHANT_API_KEY", "key the merchant's backend sends to /api/* as Authorization: Bearer (at least 16 characters)"),
        ("MEMO_PREFIX", "prefix of booking codes in transfer contents (default BK)"),
        ("MEMO_CODE_LENGTH", "letters or digits after the prefix, min-max (default 3-20)"),
        ("BANK_ID", "bank BIN or short name of the account VietQR links pay into (e.g. 970422 or MB)"),
        ("BANK_ACCOUNT_NUMBER", "that account's number or alias (letters or digits, at most 19)"),
        ("BANK_ACCOUNT_NAME", "the account holder's name shown on the QR (optional)"),
        ("VIETQR_TEMPLATE", "compact2 (default), compact, qr_only or print"),
    ]

    static func load(from variables: [String: String], environment: SecurityConfiguration.Environment) throws(ConfigurationError) -> ProviderConfiguration {
        var configuration = ProviderConfiguration()
        let reader = VariableReader(variables: variables)
        configuration.pay2sToken = try Self.secret("PAY2S_TOKEN", reader)
        configuration.sepayAPIKey = try Self.secret("SEPAY_API_KEY", reader)
        configuration.cassoSecret = try Self.secret("CASSO_SECRET", reader)
        configuration.merchantAPIKey = try Self.secret("MERCHANT_API_KEY", reader)
        if let value = reader.text("PROVIDER_WEBHOOKS_OPEN") {
            guard let open = ["true": true, "1": true, "yes": true, "false": false, "0": false, "no": false][value.lowercased()] else {
                throw ConfigurationError(variable: "PROVIDER_WEBHOOKS_OPEN", "'\(value)' is not true or false")
            }
            guard !open || environment == .development else {
                throw ConfigurationError(variable: "PROVIDER_WEBHOOKS_OPEN", "is not allowed in production")
            }
            configuration.openWithoutCredentials = open
        }
        configuration.memoMatcher = try Self.memoMatcher(reader)
        configuration.bankAccount = try Self.bankAccount(reader)
        return configuration
    }

    /// Shared tokens are compared as they are; short ones are guessable, so refused.
    private static func secret(_ name: String, _ reader: VariableReader) throws(ConfigurationError) -> String? {
        guard let value = reader.text(name) else { return nil }
        guard value.utf8.count >= 16 else { throw ConfigurationError(variable: name, "must be at least 16 characters (got \(value.utf8.count))") }
        return value
    }

    private static func memoMatcher(_ reader: VariableReader) throws(ConfigurationError) -> MemoMatcher {
        let prefix = reader.text("MEMO_PREFIX") ?? "BK"
        guard (1...10).contains(prefix.count), prefix.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber) }) else {
            throw ConfigurationError(variable: "MEMO_PREFIX", "'\(prefix)' is not 1–10 ASCII letters or digits")
        }
        var lengths = 3...20
        if let value = reader.text("MEMO_CODE_LENGTH") {
            let bounds = value.split(separator: "-", omittingEmptySubsequences: false).map { Int($0.trimmingCharacters(in: .whitespaces)) }
            guard bounds.count == 2, let minimum = bounds[0], let maximum = bounds[1], minimum >= 1, minimum <= maximum else {
                throw ConfigurationError(variable: "MEMO_CODE_LENGTH", "'\(value)' is not min-max, e.g. 3-20")
            }
            lengths = minimum...maximum
        }
        guard prefix.count + lengths.upperBound <= VietQRLink.maximumMemoLength else {
            throw ConfigurationError(variable: "MEMO_CODE_LENGTH", "prefix and code must fit a \(VietQRLink.maximumMemoLength)-character transfer memo")
        }
        return MemoMatcher(prefix: prefix, minimumCodeLength: lengths.lowerBound, maximumCodeLength: lengths.upperBound)
    }

    private static func bankAccount(_ reader: VariableReader) throws(ConfigurationError) -> VietQRLink.Account? {
        let template = reader.text("VIETQR_TEMPLATE") ?? "compact2"
        guard Self.templates.contains(template) else {
            throw ConfigurationError(variable: "VIETQR_TEMPLATE", "'\(template)' is not one of \(Self.templates.joined(separator: ", "))")
        }
        let bank = reader.text("BANK_ID")
        let number = reader.text("BANK_ACCOUNT_NUMBER")
        guard let bank, let number else {
            if bank != nil || number != nil || reader.text("BANK_ACCOUNT_NAME") != nil {
                throw ConfigurationError(variable: bank == nil ? "BANK_ID" : "BANK_ACCOUNT_NUMBER", "VietQR links need both BANK_ID and BANK_ACCOUNT_NUMBER")
            }
            return nil
        }
        guard bank.count <= 20, bank.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber) }) else {
            throw ConfigurationError(variable: "BANK_ID", "'\(bank)' is not a bank BIN or short name (ASCII letters or digits)")
        }
        let account = VietQRLink.Account(bank: bank, number: number, name: reader.text("BANK_ACCOUNT_NAME"), template: template)
        do {
            _ = try VietQRLink(account: account, amount: nil, memo: "CHECK")
        } catch {
            throw ConfigurationError(variable: "BANK_ACCOUNT_NUMBER", error.description)
        }
        return account
    }
}
