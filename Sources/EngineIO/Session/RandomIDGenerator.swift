/// Makes identifiers from 15 random bytes (120 bits) written as 20 URL-safe base64 characters:
/// unguessable, and usable in a query string without escaping. Engine.IO session ids and
/// Socket.IO socket ids both come from here, and so do the app's node and request ids: `package`,
/// shared within this package, no part of the Engine.IO library's API.
package struct RandomIDGenerator: Sendable {
    private static let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_".utf8)

    package init() {}

    /// A new identifier; every call draws fresh random bytes: two 64-bit draws (each one
    /// `getrandom` call), of which 120 bits are used.
    package func next() -> String {
        var generator = SystemRandomNumberGenerator()
        let low: UInt64 = generator.next()
        let high: UInt64 = generator.next()
        return String(unsafeUninitializedCapacity: 20) { characters in
            // Five 24-bit chunks of the 128 drawn bits, four characters each.
            for (index, chunk) in [low, low >> 24, low >> 48 | high << 16, high >> 8, high >> 32].enumerated() {
                for position in 0..<4 {
                    characters[index * 4 + position] = Self.alphabet[Int(chunk >> UInt64(18 - 6 * position) & 0x3F)]
                }
            }
            return 20
        }
    }
}
