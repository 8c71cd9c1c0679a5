import Foundation
import NIOCore

extension SocketIOValue {
    /// Parses JSON text. Binary data cannot appear in JSON; placeholders stay plain objects.
    public init(json: some StringProtocol) throws(JSONParsingError) {
        self = try JSONParser.parse(Substring(json))
    }

    /// The value as compact JSON. Binary values are written as attachment placeholders.
    public var jsonString: String {
        var serializer = JSONSerializer()
        var buffer = ByteBufferAllocator().buffer(capacity: 64)
        serializer.write(self, into: &buffer)
        return String(buffer: buffer)
    }

    /// Converts any `Encodable` (a payload struct, say) into a value, via its JSON form.
    public init(encoding value: some Encodable) throws {
        let data = try JSONEncoder().encode(value)
        self = try JSONParser.parse(Array(data))
    }

    /// Decodes the value into a `Decodable` type, via its JSON form.
    public func decode<T: Decodable>(as type: T.Type = T.self) throws -> T {
        try JSONDecoder().decode(T.self, from: Data(self.jsonString.utf8))
    }
}
