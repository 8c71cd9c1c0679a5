import EngineIO
import Foundation
import HTTPTypes
import MessagePack
import NIOCore
import OrderedCollections
import SocketIO

extension SocketIOSocketSnapshot {
    /// A socket as Node's adapter answers `fetchSockets`: `{id, handshake, rooms, data}`, the
    /// handshake as Node's (`headers`, `time`, `address`, `xdomain`, `secure`, `issued`, `url`,
    /// `query`, `auth`).
    var wireValue: MessagePackValue {
        let handshake = self.handshake
        var headers = OrderedDictionary<String, MessagePackValue>()
        for field in handshake.headers { headers[field.name.canonicalName] = .string(field.value) }
        let query = OrderedDictionary(uniqueKeysWithValues: handshake.query.sorted { $0.key < $1.key }.map { ($0.key, MessagePackValue.string($0.value)) })
        let handshakeValue: MessagePackValue = .map([
            "headers": .map(headers),
            "time": .string(Self.javaScriptDateString(handshake.time)),
            "address": handshake.address.map(MessagePackValue.string) ?? .null,
            "xdomain": .bool(handshake.crossDomain),
            "secure": .bool(false),
            "issued": .int(Int(handshake.issued)),
            "url": .string(handshake.url),
            "query": .map(query),
            "auth": MessagePackValue(handshake.auth),
        ])
        return .map([
            "id": .string(self.id),
            "handshake": handshakeValue,
            "rooms": .array(self.rooms.sorted().map(MessagePackValue.string)),
            "data": MessagePackValue(self.data),
        ])
    }

    /// Another node's socket; nil without an id. The transport is not part of Node's
    /// handshake: a remote socket reads as opened on polling.
    init?(wireValue: MessagePackValue) {
        guard let id = wireValue["id"]?.stringValue else { return nil }
        let handshake = wireValue["handshake"] ?? .map([:])
        var headers = HTTPFields()
        if case .map(let members)? = handshake["headers"] {
            for (name, value) in members {
                guard let fieldName = HTTPField.Name(name), let text = value.stringValue else { continue }
                headers.append(HTTPField(name: fieldName, value: text))
            }
        }
        var query: [String: String] = [:]
        if case .map(let members)? = handshake["query"] {
            for (name, value) in members { query[name] = value.stringValue ?? SocketIOValue(value).jsonString }
        }
        let url = handshake["url"]?.stringValue ?? "/"
        let request = EngineIOConnectionRequest(
            path: String(url.prefix { $0 != "?" }),
            query: query,
            headers: headers,
            remoteAddress: handshake["address"]?.stringValue.flatMap { try? SocketAddress(ipAddress: $0, port: 0) },
            transport: .polling
        )
        let issued = handshake["issued"]?.intValue.map { Date(timeIntervalSince1970: Double($0) / 1000) } ?? Date()
        self.init(
            id: id,
            handshake: SocketIOHandshake(auth: handshake["auth"].map(SocketIOValue.init) ?? .object([:]), request: request, time: issued),
            rooms: Set((wireValue["rooms"]?.arrayValue ?? []).compactMap(\.stringValue)),
            data: wireValue["data"].map(SocketIOValue.init) ?? .null
        )
    }

    /// `String(new Date())` as Node writes `handshake.time`, in UTC.
    private static func javaScriptDateString(_ date: Date) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = .gmt
        let parts = calendar.dateComponents([.weekday, .month, .day, .year, .hour, .minute, .second], from: date)
        let weekdays = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"]
        let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
        func two(_ value: Int?) -> String { value.map { $0 < 10 ? "0\($0)" : "\($0)" } ?? "00" }
        return "\(weekdays[(parts.weekday ?? 1) - 1]) \(months[(parts.month ?? 1) - 1]) \(two(parts.day)) \(parts.year ?? 1970) "
            + "\(two(parts.hour)):\(two(parts.minute)):\(two(parts.second)) GMT+0000 (Coordinated Universal Time)"
    }
}
