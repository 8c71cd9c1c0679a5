import Foundation
import Payments
import Testing

@Suite("Memo matching")
struct MemoMatcherTests {
    @Test(
        "Booking codes inside realistic bank transfer contents",
        arguments: [
            ("BK12537 GD 789604-040125 00:05:38", "BK12537"),
            ("bk12537 GD 789604-040125 00:05:38", "BK12537"),
            ("MBVCB.3456789012.BK12537.CT tu 0123456789 NGUYEN VAN A", "BK12537"),
            ("NGUYEN VAN A chuyen tien  BK 12537  ", "BK12537"),
            ("thanh toan bk-a1b2c3", "BKA1B2C3"),
            ("IBFT BK_XYZ9 FT24012", "BKXYZ9"),
            ("BK12345678901234567890", "BK12345678901234567890"),
            ("ref:BK777", "BK777"),
            ("CT DEN:0123456789 bk12537   GD 789604-040125 00:05:38", "BK12537"),
            ("IBFT BK12537-NGUYEN VAN A chuyen khoan", "BK12537"),
            ("  Bk 12537 ", "BK12537"),
        ]
    )
    func matches(content: String, booking: String) {
        #expect(MemoMatcher().bookingID(in: content) == booking)
    }

    @Test(
        "No booking code",
        arguments: ["SHOPVPS12537 GD 789604", "", "BK12", "BOOKING 12537", "SHOPBK12537", "BK123456789012345678901", "chuyen tien"]
    )
    func noMatch(content: String) {
        #expect(MemoMatcher().bookingID(in: content) == nil)
    }

    @Test("The first code wins; a configured prefix replaces BK")
    func configuration() {
        #expect(MemoMatcher().bookingID(in: "BK001 and BK002") == "BK001")
        #expect(MemoMatcher(prefix: "dh", minimumCodeLength: 4, maximumCodeLength: 8).bookingID(in: "Thanh toan dh 20240115") == "DH20240115")
        #expect(MemoMatcher(prefix: "DH", minimumCodeLength: 4).bookingID(in: "DH12") == nil)
    }
}

@Suite("VietQR quick link")
struct VietQRLinkTests {
    @Test("The documented URL shape, with its query encoded")
    func url() throws {
        let link = try VietQRLink(
            account: .init(bank: "MB", number: "0123456789", name: "CONG TY A+B"),
            amount: 500_000,
            memo: "BK12537"
        )
        #expect(link.url.absoluteString == "https://img.vietqr.io/image/MB-0123456789-compact2.png?amount=500000&addInfo=BK12537&accountName=CONG%20TY%20A%2BB")
        let bare = try VietQRLink(account: .init(bank: "970422", number: "99", template: "qr_only"), amount: nil, memo: "BK1")
        #expect(bare.url.absoluteString == "https://img.vietqr.io/image/970422-99-qr_only.png?addInfo=BK1")
    }

    @Test(
        "Memos banks would rewrite are refused",
        arguments: ["", "BK 12537", "BK-12537", "ĐẶTPHÒNG1", String(repeating: "A", count: 26), "dGVzdA==", "0f8fad5b-d9cb-469f-a165-70867728950e"]
    )
    func invalidMemo(memo: String) {
        #expect(throws: VietQRLink.InvalidInput.self) { try VietQRLink(account: .init(bank: "MB", number: "1"), amount: 1, memo: memo) }
    }

    @Test("An account alias (letters and digits, vietqr.io Quick Link) and the largest amount are accepted")
    func aliasAccount() throws {
        let link = try VietQRLink(account: .init(bank: "970415", number: "PAYNOTIFY01"), amount: 9_999_999_999_999, memo: "BK1")
        #expect(link.url.absoluteString == "https://img.vietqr.io/image/970415-PAYNOTIFY01-compact2.png?amount=9999999999999&addInfo=BK1")
    }

    @Test("Accounts and amounts are checked")
    func invalidAccountOrAmount() {
        #expect(throws: VietQRLink.InvalidInput.self) { try VietQRLink(account: .init(bank: "MB", number: "12-ab"), amount: 1, memo: "BK1") }
        #expect(throws: VietQRLink.InvalidInput.self) { try VietQRLink(account: .init(bank: "MB", number: "1"), amount: 0, memo: "BK1") }
        #expect(throws: VietQRLink.InvalidInput.self) { try VietQRLink(account: .init(bank: "MB", number: "1"), amount: 10_000_000_000_000, memo: "BK1") }
        #expect(throws: VietQRLink.InvalidInput.self) { try VietQRLink(account: .init(bank: "MB", number: String(repeating: "1", count: 20)), amount: 1, memo: "BK1") }
        #expect(throws: VietQRLink.InvalidInput.self) { try VietQRLink(account: .init(bank: "MB", number: "1"), amount: -5, memo: "BK1") }
        #expect(throws: VietQRLink.InvalidInput.self) { try VietQRLink(account: .init(bank: "MB", number: "1"), amount: 10.5, memo: "BK1") }
    }
}
