import EngineIO
import Foundation
import HTTPTypes
import NIOCore
import SocketIO

/// The raw Engine.IO server the official engine.io-client test suite is written against
/// (`packages/engine.io-client/test/support/hooks.js` upstream).
enum EngineIOClientSuite {
    /// `pingInterval` 500 ms and a 100-byte payload limit, Node's other defaults.
    static let configuration = EngineIOConfiguration(path: "/engine.io/", pingInterval: .milliseconds(500), maxPayload: 100)

    /// The cookies its polling handshake answers set (Node's `initial_headers` hook upstream):
    /// the client's cookie jar must send back only the first two.
    static func handshakeCookies(now: Date = .now) -> HTTPFields {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "GMT")
        formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss 'GMT'"
        let expires = formatter.string(from: now)
        var fields = HTTPFields()
        for cookie in ["1=1; Max-Age=86400", "2=2; Path=/; HttpOnly; Secure; SameSite=Strict", "3=3; Max-Age=0", "4=4; Expires=\(expires)"] {
            fields.append(HTTPField(name: .setCookie, value: cookie))
        }
        return fields
    }

    /// The headers of the polling POST being delivered: a message's delegate call runs in the
    /// task of the POST that carried it (see `EngineIOSessionDelegate`), which sets this.
    @TaskLocal static var postHeaders: HTTPFields?

    /// Refuses a handshake whose query has `deny` (upstream's `allowRequest`).
    struct DenyPolicy: EngineIOAdmissionPolicy {
        func admit(_ request: EngineIOConnectionRequest) -> EngineIOAdmission {
            request.query["deny"] == nil ? .admitted(release: {}) : .refused(EngineIORequestError(.forbidden))
        }
    }

    /// Says `hi`, answers `give binary`, `give utf8` and `sendHeaders`, and echoes everything
    /// else unchanged, text as text and binary as binary.
    struct Delegate: EngineIOSessionDelegate {
        init(session: EngineIOSession) {
            session.send(.message("hi"))
        }

        func session(_ session: EngineIOSession, didReceive message: EngineIOMessage) {
            switch message {
            case .text("give binary"):
                session.send(EngineIOPacket.message(.binary(ByteBuffer(bytes: [0, 1, 2, 3, 4]))).frame)
            case .text("give utf8"):
                session.send(.message("пойду спать всем спокойной ночи"))
            case .text("sendHeaders"):
                // Upstream sends the headers of the transport's last POST; over websocket there is none.
                let headers = EngineIOClientSuite.postHeaders.map { NodeHandshake.headers($0).jsonString }
                session.send(.message(headers ?? "undefined"))
            default:
                session.send(EngineIOPacket.message(message).frame)
            }
        }

        func session(_ session: EngineIOSession, didCloseWith reason: EngineIOCloseReason) {}
    }
}
