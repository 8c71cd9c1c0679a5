public import NIOCore

/// A command as Redis reads it: an array of bulk strings, the command's name first.
///
/// ```swift
/// let reply = try await redis.send(RESPCommand("HGET", "payments", bookingID))
/// ```
public struct RESPCommand: Sendable, Hashable {
    var arguments: [ByteBuffer]

    /// A command whose arguments are bytes (binary payloads, such as a published broadcast).
    /// - Parameter arguments: The name, then the arguments.
    public init(_ arguments: [ByteBuffer]) {
        self.arguments = arguments
    }

    /// A command from text, written as UTF-8.
    /// - Parameter arguments: The name, then the arguments.
    public init(_ arguments: String...) {
        self.arguments = arguments.map { ByteBuffer(string: $0) }
    }

    /// A command whose arguments are built at run time (`EVAL` with its keys and values).
    /// - Parameters:
    ///   - name: The command's name.
    ///   - arguments: Its arguments, in order.
    public init(_ name: String, _ arguments: [String]) {
        self.arguments = [ByteBuffer(string: name)] + arguments.map { ByteBuffer(string: $0) }
    }

    /// The command's name, upper-cased, for logs and errors (never its arguments: they may be secrets).
    var name: String {
        self.arguments.first.map { String(buffer: $0).uppercased() } ?? ""
    }

    func encode(into buffer: inout ByteBuffer) {
        buffer.writeString("*\(self.arguments.count)\r\n")
        for argument in self.arguments {
            buffer.writeString("$\(argument.readableBytes)\r\n")
            buffer.writeImmutableBuffer(argument)
            buffer.writeStaticString("\r\n")
        }
    }
}
