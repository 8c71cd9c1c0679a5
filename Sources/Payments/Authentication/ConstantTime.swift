/// Byte comparison whose time does not depend on where the inputs differ, so a forger cannot
/// learn a valid signature or token byte by byte from response times.
enum ConstantTime {
    static func equals(_ left: some Collection<UInt8>, _ right: some Collection<UInt8>) -> Bool {
        guard left.count == right.count else { return false }
        var difference: UInt8 = 0
        for (a, b) in zip(left, right) { difference |= a ^ b }
        return difference == 0
    }
}
