import EngineIO
import Foundation
import HTTPTypes
import JWTKit
import Logging
import NIOCore
import SocketIO

/// The verified claims of a socket's connection token.
enum SocketClaimsKey: SocketIOAttributeKey {
    typealias Value = SocketTokenClaims
}

/// Connection middleware requiring a valid token when socket authentication is on. The token
/// travels in the CONNECT auth (`auth: {token}`), an `Authorization: Bearer` header, or a
/// `token` query parameter, in that order of preference.
struct SocketAuthentication: Sendable {
    let verifier: SocketTokenVerifier
    let logger: Logger

    func authenticate(_ context: inout SocketIOConnectionContext) async throws {
        guard let token = Self.token(in: context.handshake) else {
            self.logger.info("Socket refused", metadata: ["reason": "no token"])
            throw SocketIOConnectError(SocketTokenError.missing.clientMessage)
        }
        do {
            context.attributes[SocketClaimsKey.self] = try await self.verifier.verify(token)
        } catch {
            self.logger.info("Socket refused", metadata: ["reason": "\(error)"])
            throw SocketIOConnectError(error.clientMessage)
        }
    }

    static func token(in handshake: SocketIOHandshake) -> String? {
        if let token = handshake.auth["token"]?.stringValue, !token.isEmpty { return token }
        if let header = handshake.request.headers[.authorization], header.lowercased().hasPrefix("bearer ") {
            return String(header.dropFirst("bearer ".count)).trimmingCharacters(in: .whitespaces)
        }
        if let token = handshake.request.query["token"], !token.isEmpty { return token }
        return nil
    }

    /// Disconnects the socket when its token expires, after telling it why; it may reconnect
    /// with a fresh token.
    static func disconnectAtExpiry(_ socket: SocketIOSocket) {
        Self.disconnect(socket, at: socket.attributes[SocketClaimsKey.self]?.exp?.value, saying: "token_expired", message: "token expired")
    }

    /// Disconnects the socket at `expiration` (nil: never), first emitting `event`
    /// `{"message": message}` so the client knows to authenticate again.
    static func disconnect(_ socket: SocketIOSocket, at expiration: Date?, saying event: String, message: String) {
        guard let expiration else { return }
        let delay = max(0, expiration.timeIntervalSinceNow)
        let timer = socket.connection.eventLoop.scheduleTask(in: .milliseconds(Int64(delay * 1000))) {
            guard socket.isConnected else { return }
            socket.logger.info("Credentials expired, disconnecting socket", metadata: ["event": .string(event)])
            socket.emit(event, ["message": .string(message)])
            socket.disconnect()
        }
        socket.onDisconnect { _, _ in timer.cancel() }
    }
}
