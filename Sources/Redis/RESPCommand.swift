public import NIOCore

/// A command as Redis reads it: an array of bulk strings.
public struct RESPCommand: Sendable, Hashable {
    var arguments: [ByteBuffer]

    public init(_ arguments: [ByteBuffer]) {
        self.arguments = arguments
    }

    public init(_ arguments: String...) {
        self.arguments = arguments.map { ByteBuffer(string: $0) }
    }

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
