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
        let bits = UInt128(generator.next() as UInt64) << 64 | UInt128(generator.next() as UInt64)
        return String(unsafeUninitializedCapacity: 20) { characters in
            // 120 of the 128 drawn bits, 6 per character.
            for index in 0..<20 {
                characters[index] = Self.alphabet[Int(truncatingIfNeeded: bits >> (6 * index) & 0x3F)]
            }
            return 20
        }
    }
}
