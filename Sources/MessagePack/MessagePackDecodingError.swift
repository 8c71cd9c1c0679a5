/// Why bytes are not a MessagePack value: where it went wrong, and how.
public struct MessagePackDecodingError: Error, Sendable, Hashable, CustomStringConvertible {
    /// What was wrong.
    public enum Reason: Sendable, Hashable {
        /// The bytes end inside a value.
        case truncated
        /// A first byte no MessagePack format starts with (`0xc1`, the one never used).
        case unknownFormat(UInt8)
        /// A string that is not UTF-8.
        case invalidUTF8
        /// A map key that is not a string: JavaScript objects have string keys only.
        case nonStringKey
        /// Arrays and maps nested deeper than the decoder allows.
        case tooDeep
        /// Bytes left after the value.
        case trailingBytes(Int)
    }

    /// What was wrong.
    public let reason: Reason
    /// The offset of the byte where it was found.
    public let offset: Int

    /// An error found at `offset` bytes into the value.
    public init(reason: Reason, offset: Int) {
        self.reason = reason
        self.offset = offset
    }

    /// The reason and its offset.
    public var description: String { "invalid MessagePack at byte \(self.offset): \(self.reason)" }
}
