/// Makes identifiers from 15 random bytes (120 bits) written as 20 URL-safe base64 characters:
/// unguessable, and usable in a query string without escaping. Engine.IO session ids and
/// Socket.IO socket ids both come from here, and so do the app's node and request ids: `package`,
/// shared within this package, no part of the Engine.IO library's API.
package struct RandomIDGenerator: Sendable {
    private static let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_".utf8)

    package init() {}

    /// A new identifier; every call draws fresh random bytes.
    package func next() -> String {
        var generator = SystemRandomNumberGenerator()
        var characters = [UInt8]()
        characters.reserveCapacity(20)
        for _ in 0..<5 {
            let chunk = UInt32(truncatingIfNeeded: generator.next() as UInt32) & 0xFF_FFFF
            for shift in stride(from: 18, through: 0, by: -6) {
                characters.append(Self.alphabet[Int((chunk >> UInt32(shift)) & 0x3F)])
            }
        }
        return String(decoding: characters, as: UTF8.self)
    }
}
