import Testing

@testable import Payments

@Suite("Constant-time comparison")
struct ConstantTimeTests {
    @Test(
        "Equal only for the same bytes in the same order and length",
        arguments: [
            ([UInt8](), [UInt8](), true),
            ([1, 2, 3], [1, 2, 3], true),
            ([1, 2, 3], [1, 2, 4], false),
            ([0, 2, 3], [1, 2, 3], false),
            ([1, 2, 3], [1, 2], false),
            ([1, 2], [1, 2, 3], false),
            ([], [0], false),
            ([0xFF], [0x7F], false),
        ] as [([UInt8], [UInt8], Bool)]
    )
    func equals(left: [UInt8], right: [UInt8], equal: Bool) {
        #expect(ConstantTime.equals(left, right) == equal)
        #expect(ConstantTime.equals(right, left) == equal)
    }
}
