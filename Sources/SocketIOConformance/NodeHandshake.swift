import Foundation
import HTTPTypes
import OrderedCollections
import SocketIO

/// A socket's handshake in the shape Node's `socket.handshake` has, for tests that read it back:
/// `{headers, time, address, xdomain, secure, issued, url, query, auth}`.
enum NodeHandshake {
    static func value(of handshake: SocketIOHandshake) -> SocketIOValue {
        [
            "headers": Self.headers(handshake.headers),
            "time": .string(Self.dateString(handshake.time)),
            "address": handshake.address.map { .string($0) } ?? .null,
            "xdomain": .bool(handshake.crossDomain),
            // The library does not say whether the connection was TLS; this server listens on plain HTTP.
            "secure": false,
            "issued": .int(Int(handshake.issued)),
            "url": .string(handshake.url),
            "query": .object(.init(uniqueKeysWithValues: handshake.query.sorted { $0.key < $1.key }.map { ($0.key, .string($0.value)) })),
            "auth": handshake.auth,
        ]
    }

    /// Node's `IncomingMessage.headers`: lower-case names; a repeated header's values joined
    /// with ", " (`cookie` with "; "), `set-cookie` as an array.
    static func headers(_ fields: HTTPFields) -> SocketIOValue {
        var values: [(String, [String])] = []
        for field in fields {
            let name = field.name.canonicalName
            if let index = values.firstIndex(where: { $0.0 == name }) {
                values[index].1.append(field.value)
            } else {
                values.append((name, [field.value]))
            }
        }
        return .object(
            .init(
                uniqueKeysWithValues: values.map { name, all -> (String, SocketIOValue) in
                    switch name {
                    case "set-cookie": (name, .array(all.map { .string($0) }))
                    case "cookie": (name, .string(all.joined(separator: "; ")))
                    default: (name, .string(all.joined(separator: ", ")))
                    }
                }
            )
        )
    }

    /// JavaScript's `String(date)` in UTC, e.g. `Tue Jan 02 2024 10:00:00 GMT+0000 (Coordinated Universal Time)`.
    private static func dateString(_ date: Date) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "EEE MMM dd yyyy HH:mm:ss 'GMT+0000 (Coordinated Universal Time)'"
        return formatter.string(from: date)
    }
}
