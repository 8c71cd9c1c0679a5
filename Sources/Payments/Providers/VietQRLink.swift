import Foundation

/// A VietQR quick link (img.vietqr.io): an image of a bank-transfer QR code that banking apps
/// scan with the amount and memo filled in.
public struct VietQRLink: Sendable, Hashable {
    /// Where the money goes.
    public struct Account: Sendable, Hashable {
        /// Bank BIN, short name or code (e.g. `970422` or `MB`).
        public var bank: String
        public var number: String
        public var name: String?
        /// `compact2` (default), `compact`, `qr_only` or `print`.
        public var template: String

        public init(bank: String, number: String, name: String? = nil, template: String = "compact2") {
            self.bank = bank
            self.number = number
            self.name = name
            self.template = template
        }
    }

    /// Why a link cannot be made: VietQR's rules for memos and accounts.
    public struct InvalidInput: Error, Hashable, CustomStringConvertible {
        public let description: String
    }

    /// Memos longer than this, or with anything but ASCII letters and digits, are truncated or
    /// rewritten by banks, and then no longer match.
    public static let maximumMemoLength = 25

    /// Amounts have at most 13 digits (the VietQR generate API).
    private static let amountLimit = Decimal(sign: .plus, exponent: 13, significand: 1)

    public let url: URL

    public init(account: Account, amount: Decimal?, memo: String) throws(InvalidInput) {
        guard !memo.isEmpty, memo.count <= Self.maximumMemoLength, memo.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber) }) else {
            throw InvalidInput(description: "a transfer memo is 1–\(Self.maximumMemoLength) ASCII letters or digits")
        }
        // vietqr.io's Quick Link: letters or digits, at most 19 (aliases and virtual accounts too).
        guard !account.number.isEmpty, account.number.count <= 19, account.number.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber) }) else {
            throw InvalidInput(description: "an account number is 1–19 ASCII letters or digits")
        }
        let pathAllowed = CharacterSet.alphanumerics.union(CharacterSet(charactersIn: "_"))
        guard let bank = account.bank.addingPercentEncoding(withAllowedCharacters: pathAllowed),
            let template = account.template.addingPercentEncoding(withAllowedCharacters: pathAllowed)
        else { throw InvalidInput(description: "bank and template must be plain text") }
        var components = URLComponents()
        components.scheme = "https"
        components.host = "img.vietqr.io"
        components.percentEncodedPath = "/image/\(bank)-\(account.number)-\(template).png"
        var query: [URLQueryItem] = []
        if let amount {
            // A positive number (Quick Link), at most 13 digits (the VietQR generate API).
            guard amount > 0, amount.isWholeNumber, amount < Self.amountLimit else {
                throw InvalidInput(description: "an amount is a whole, positive number of đồng of at most 13 digits")
            }
            query.append(URLQueryItem(name: "amount", value: amount.description))
        }
        query.append(URLQueryItem(name: "addInfo", value: memo))
        if let name = account.name { query.append(URLQueryItem(name: "accountName", value: name)) }
        components.queryItems = query
        // `+` would be read as a space by some servers: encode it too.
        components.percentEncodedQuery = components.percentEncodedQuery?.replacingOccurrences(of: "+", with: "%2B")
        guard let url = components.url else { throw InvalidInput(description: "cannot build a URL from these settings") }
        self.url = url
    }
}
