import Hummingbird
import SocketIO
import SocketIOHummingbird

/// The README's "Using the Socket.IO library on its own" example, here so that it compiles and
/// runs in the tests; `ReadmeExampleTests` checks the README shows these lines, in this order.
/// Only the address differs: a free port for the test.
func readmeChatServer(address: BindAddress) -> (some ApplicationProtocol, SocketIOServer) {
    // README begin
    let io = SocketIOServer()
    io.main.use { context in  // connection middleware: sees the CONNECT auth
        guard context.handshake.auth["token"]?.stringValue != nil else {
            throw SocketIOConnectError("unauthorized")  // the client gets connect_error
        }
    }
    io.main.onConnection { socket in
        socket.join("lobby")
        socket.on("chat") { event in
            await io.to("lobby").emit("chat", arguments: event.arguments)
            event.ack?("delivered")
        }
    }
    let app = Application(router: Router(), server: .socketIO(io), configuration: .init(address: address))
    // README end
    return (app, io)
}
