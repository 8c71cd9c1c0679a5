import Foundation
public import JSONParsing
import NIOCore

extension SocketIOValue {
    /// Parses JSON text. Binary data cannot appear in JSON; placeholders stay plain objects.
    public init(json: some StringProtocol) throws(JSONParsingError) {
        self = try Self.parse(json.utf8)
    }

    /// The value as compact JSON. Binary values are written as attachment placeholders.
    public var jsonString: String {
        var serializer = JSONSerializer()
        var buffer = ByteBufferAllocator().buffer(capacity: 64)
        serializer.write(self, into: &buffer)
        return String(buffer: buffer)
    }

    /// Converts any `Encodable` (a payload struct, say) into a value, via its JSON form. Dates
    /// become ISO 8601 strings with milliseconds, as JavaScript's `Date.toJSON()` writes them.
    public init(encoding value: some Encodable) throws {
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .custom { date, encoder in
            var container = encoder.singleValueContainer()
            try container.encode(Self.javaScriptJSON(date))
        }
        self = try Self.parse(try encoder.encode(value))
    }

    /// Each value converted as `init(encoding:)` does: an emit's arguments.
    static func encodingEach<each Value: Encodable>(_ values: repeat each Value) throws -> [SocketIOValue] {
        var converted: [SocketIOValue] = []
        for value in repeat each values {
            converted.append(try SocketIOValue(encoding: value))
        }
        return converted
    }

    /// Decodes the value into a `Decodable` type, via its JSON form. Dates are read from ISO 8601
    /// strings, with or without fractional seconds (what a JavaScript client sends for a `Date`),
    /// to the millisecond.
    public func decode<T: Decodable>(as type: T.Type = T.self) throws -> T {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .custom { decoder in
            let container = try decoder.singleValueContainer()
            let text = try container.decode(String.self)
            if let date = (try? Self.javaScriptDate.parse(text)) ?? (try? Date.ISO8601FormatStyle().parse(text)) {
                // To the millisecond, as the client's Date held it: the parser's float is off by a little.
                return Date(timeIntervalSince1970: (date.timeIntervalSince1970 * 1000).rounded() / 1000)
            }
            throw DecodingError.dataCorruptedError(in: container, debugDescription: "not an ISO 8601 date: \(text)")
        }
        return try decoder.decode(T.self, from: Data(self.jsonString.utf8))
    }

    private static let javaScriptDate = Date.ISO8601FormatStyle(includingFractionalSeconds: true)

    /// `2026-12-02T00:15:09.123Z`: rounded to the millisecond, where the format style truncates
    /// (a date read from `…09.123Z` holds 09.12299… and would come back as `.122`).
    private static func javaScriptJSON(_ date: Date) -> String {
        let milliseconds = Int64((date.timeIntervalSince1970 * 1000).rounded())
        let (seconds, fraction) = milliseconds.quotientAndRemainder(dividingBy: 1000)
        let (wholeSeconds, millisecond) = fraction < 0 ? (seconds - 1, fraction + 1000) : (seconds, fraction)
        let whole = Date(timeIntervalSince1970: TimeInterval(wholeSeconds)).formatted(Date.ISO8601FormatStyle())
        let digits = String(millisecond)
        return whole.dropLast() + "." + String(repeating: "0", count: 3 - digits.count) + digits + "Z"
    }
}
