import Foundation
import Payments
import Testing

@testable import PayNotifyServer

@Suite("Provider configuration")
struct ProviderConfigurationTests {
    @Test("Defaults: no credentials, closed provider routes, BK memos, no bank account")
    func defaults() throws {
        let providers = try PayNotifyConfiguration.load(from: [:]).providers
        #expect(providers.pay2sToken == nil && providers.sepayAPIKey == nil && providers.cassoSecret == nil && providers.merchantAPIKey == nil)
        #expect(!providers.openWithoutCredentials)
        #expect(providers.memoMatcher.prefix == "BK")
        #expect(providers.memoMatcher.minimumCodeLength == 3 && providers.memoMatcher.maximumCodeLength == 20)
        #expect(providers.bankAccount == nil)
        #expect(Set(PayNotifyConfiguration.variables.map(\.name)).isSuperset(of: ProviderConfiguration.variables.map(\.name)))
    }

    @Test("Everything set")
    func configured() throws {
        let providers = try PayNotifyConfiguration.load(from: [
            "PAY2S_TOKEN": "pay2s-token-0123456789", "SEPAY_API_KEY": "sepay-key-0123456789", "CASSO_SECRET": "casso-secret-0123456789",
            "MERCHANT_API_KEY": "merchant-key-0123456789", "PROVIDER_WEBHOOKS_OPEN": "true", "MEMO_PREFIX": "dh", "MEMO_CODE_LENGTH": "4-8",
            "BANK_ID": "MB", "BANK_ACCOUNT_NUMBER": "0123456789", "BANK_ACCOUNT_NAME": "CONG TY A", "VIETQR_TEMPLATE": "qr_only",
        ]).providers
        #expect(providers.pay2sToken == "pay2s-token-0123456789")
        #expect(providers.openWithoutCredentials)
        #expect(providers.memoMatcher.bookingID(in: "thanh toan dh 20240115") == "DH20240115")
        #expect(providers.bankAccount == VietQRLink.Account(bank: "MB", number: "0123456789", name: "CONG TY A", template: "qr_only"))
    }

    @Test(
        "Invalid values stop start-up naming the variable",
        arguments: [
            (["PAY2S_TOKEN": "short"], "PAY2S_TOKEN: must be at least 16 characters (got 5)"),
            (["CASSO_SECRET": "short"], "CASSO_SECRET: must be at least 16 characters (got 5)"),
            (["MERCHANT_API_KEY": "short"], "MERCHANT_API_KEY: must be at least 16 characters (got 5)"),
            (["PROVIDER_WEBHOOKS_OPEN": "maybe"], "PROVIDER_WEBHOOKS_OPEN: 'maybe' is not true or false"),
            (["MEMO_PREFIX": "B-K"], "MEMO_PREFIX: 'B-K' is not 1–10 ASCII letters or digits"),
            (["MEMO_CODE_LENGTH": "20-3"], "MEMO_CODE_LENGTH: '20-3' is not min-max, e.g. 3-20"),
            (["MEMO_CODE_LENGTH": "3-30"], "MEMO_CODE_LENGTH: prefix and code must fit a 25-character transfer memo"),
            (["BANK_ID": "MB"], "BANK_ACCOUNT_NUMBER: VietQR links need both BANK_ID and BANK_ACCOUNT_NUMBER"),
            (["BANK_ACCOUNT_NAME": "A"], "BANK_ID: VietQR links need both BANK_ID and BANK_ACCOUNT_NUMBER"),
            (["BANK_ID": "M B", "BANK_ACCOUNT_NUMBER": "1"], "BANK_ID: 'M B' is not a bank BIN or short name (ASCII letters or digits)"),
            (["BANK_ID": "MB", "BANK_ACCOUNT_NUMBER": "12-34"], "BANK_ACCOUNT_NUMBER: an account number is 1–19 ASCII letters or digits"),
            (["VIETQR_TEMPLATE": "big"], "VIETQR_TEMPLATE: 'big' is not one of compact2, compact, qr_only, print"),
        ]
    )
    func invalid(variables: [String: String], message: String) {
        #expect {
            try PayNotifyConfiguration.load(from: variables)
        } throws: { error in
            (error as? ConfigurationError)?.description == message
        }
    }

    @Test("Open provider webhooks are refused in production")
    func openInProduction() {
        #expect {
            try ProviderConfiguration.load(from: ["PROVIDER_WEBHOOKS_OPEN": "true"], environment: .production)
        } throws: { error in
            (error as? ConfigurationError)?.description == "PROVIDER_WEBHOOKS_OPEN: is not allowed in production"
        }
    }
}
