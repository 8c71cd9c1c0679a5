import Foundation

extension Decimal {
    /// Whether the amount has no fractional part (JSON integers stay integers, VietQR amounts
    /// are whole đồng).
    public var isWholeNumber: Bool {
        var value = self
        var rounded = Decimal()
        NSDecimalRound(&rounded, &value, 0, .plain)
        return rounded == self
    }
}
