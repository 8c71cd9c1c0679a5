/// Makes session ids: 15 random bytes (120 bits) as 20 URL-safe base64 characters, so ids are
/// unguessable and can be put in a query string without escaping.
struct SessionIDGenerator: Sendable {
    private static let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_".utf8)

    func next() -> String {
        var generator = SystemRandomNumberGenerator()
        var bytes = [UInt8](repeating: 0, count: 15)
        for index in bytes.indices { bytes[index] = generator.next() }
        var characters = [UInt8]()
        characters.reserveCapacity(20)
        var index = 0
        while index < 15 {
            let chunk = UInt32(bytes[index]) << 16 | UInt32(bytes[index + 1]) << 8 | UInt32(bytes[index + 2])
            for shift in stride(from: 18, through: 0, by: -6) {
                characters.append(Self.alphabet[Int((chunk >> UInt32(shift)) & 0x3F)])
            }
            index += 3
        }
        return String(decoding: characters, as: UTF8.self)
    }
}
