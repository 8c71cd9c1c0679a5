/// Finds the booking a bank transfer pays, in the free text the customer's bank carried.
///
/// Banks add their own text around the memo (`MBVCB.123.BK12537.CT tu 0123…`,
/// `BK12537 GD 789604-040125 00:05:38`) and some put spaces or punctuation inside it
/// (`BK 12537`, `bk-12537`), so the code is matched case-insensitively as a prefix, optional
/// separators, then 3–20 letters or digits; the booking id is the prefix and the code, upper-cased
/// (`bk12537` → `BK12537`).
public struct MemoMatcher: Sendable {
    public let prefix: String
    public let minimumCodeLength: Int
    public let maximumCodeLength: Int

    public init(prefix: String = "BK", minimumCodeLength: Int = 3, maximumCodeLength: Int = 20) {
        precondition(!prefix.isEmpty && prefix.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber) }, "the memo prefix is ASCII letters or digits")
        precondition(minimumCodeLength >= 1 && maximumCodeLength >= minimumCodeLength, "invalid code lengths")
        self.prefix = prefix.uppercased()
        self.minimumCodeLength = minimumCodeLength
        self.maximumCodeLength = maximumCodeLength
    }

    /// The booking id named in `content`, or nil when no memo code is found.
    public func bookingID(in content: String) -> String? {
        let characters = Array(content.uppercased().unicodeScalars)
        let prefix = Array(self.prefix.unicodeScalars)
        var start = 0
        while start + prefix.count <= characters.count {
            defer { start += 1 }
            // The prefix must start a word: "SHOPBK123" is not a memo, "X.BK123" is.
            if start > 0, Self.isCodeCharacter(characters[start - 1]) { continue }
            guard Array(characters[start..<start + prefix.count]) == prefix else { continue }
            var index = start + prefix.count
            while index < characters.count, Self.isSeparator(characters[index]) { index += 1 }
            let codeStart = index
            while index < characters.count, Self.isCodeCharacter(characters[index]) { index += 1 }
            let length = index - codeStart
            guard (self.minimumCodeLength...self.maximumCodeLength).contains(length) else { continue }
            return self.prefix + String(String.UnicodeScalarView(characters[codeStart..<index]))
        }
        return nil
    }

    /// The pattern in words, for error messages: `BK followed by 3–20 letters or digits`.
    public var patternDescription: String {
        "\(self.prefix) followed by \(self.minimumCodeLength)–\(self.maximumCodeLength) letters or digits"
    }

    /// Whether `memo`, sent as a transfer's content, names exactly `bookingID`.
    public func recognises(_ memo: String, as bookingID: String) -> Bool {
        self.bookingID(in: memo) == bookingID
    }

    private static func isCodeCharacter(_ scalar: Unicode.Scalar) -> Bool {
        (scalar >= "A" && scalar <= "Z") || (scalar >= "0" && scalar <= "9")
    }

    private static func isSeparator(_ scalar: Unicode.Scalar) -> Bool {
        scalar == " " || scalar == "-" || scalar == "_" || scalar == "." || scalar == ":" || scalar == "#"
    }
}
