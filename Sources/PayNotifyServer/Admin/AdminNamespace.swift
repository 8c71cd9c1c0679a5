import EngineIO
import Foundation
import Logging
import SocketIO

/// The dashboard's Socket.IO namespace, `/admin`, on the server's one endpoint: the session
/// cookie is in the handshake of a page on the dashboard's origin. Only a socket whose handshake carries a valid session connects; it is disconnected when the
/// session expires. Operators only listen: the namespace handles no events.
struct AdminNamespace: Sendable {
    static let name = "/admin"
    /// What a refused socket's `connect_error` says.
    static let refusal = "unauthorized: log in at /admin"

    let cookie: AdminSessionCookie
    let logger: Logger

    /// Creates the namespace with its middleware in one step, so it never exists unguarded.
    func make(on io: SocketIOServer) -> SocketIONamespace {
        let namespace = io.of(Self.name)
        namespace.use(self.authenticate)
        namespace.onConnection { socket in
            socket.logger.info("Operator connected to the dashboard feed")
            SocketAuthentication.disconnect(socket, at: socket.attributes[AdminSessionExpiryKey.self], saying: "session_expired", message: "session expired: log in again")
        }
        return namespace
    }

    func authenticate(_ context: inout SocketIOConnectionContext) async throws {
        do throws(AdminSessionError) {
            context.attributes[AdminSessionExpiryKey.self] = try self.cookie.verify(context.handshake.request.headers)
        } catch {
            self.logger.notice("Dashboard socket refused", metadata: ["reason": .string(error.description)])
            throw SocketIOConnectError(Self.refusal)
        }
    }
}

/// When a dashboard socket's session ends.
enum AdminSessionExpiryKey: SocketIOAttributeKey {
    typealias Value = Date
}
