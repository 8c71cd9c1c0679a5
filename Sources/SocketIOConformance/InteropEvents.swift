import EngineIO
import SocketIO

/// Events that let an interoperability test drive the parts of the library the official suites
/// do not reach. Each acknowledges when the client asks, so tests need no sleeps.
enum InteropEvents {
    static func register(on socket: SocketIOSocket, server: SocketIOServer) {
        // ["join", room] → joins; acks with the socket's rooms.
        socket.on("join") { event in
            guard let room = event.arguments.first?.stringValue else { return event.ack?("error: room name expected") ?? () }
            socket.join(room)
            event.ack?(.array(socket.rooms.sorted().map { .string($0) }))
        }
        socket.on("leave") { event in
            guard let room = event.arguments.first?.stringValue else { return event.ack?("error: room name expected") ?? () }
            socket.leave(room)
            event.ack?(.array(socket.rooms.sorted().map { .string($0) }))
        }
        // ["emit-to-room", room or [rooms], event, args…] → broadcast to the rooms (sender included).
        socket.on("emit-to-room") { event in
            guard event.arguments.count >= 2, let name = event.arguments[1].stringValue else {
                return event.ack?("error: rooms and event expected") ?? ()
            }
            let rooms = event.arguments[0].arrayValue?.compactMap(\.stringValue) ?? event.arguments[0].stringValue.map { [$0] } ?? []
            await server.main.to(rooms).emit(name, arguments: Array(event.arguments.dropFirst(2)))
            event.ack?("ok")
        }
        // ["broadcast", event, args…] → every other socket of the namespace.
        socket.on("broadcast") { event in
            guard let name = event.arguments.first?.stringValue else { return event.ack?("error: event expected") ?? () }
            await socket.broadcast.emit(name, arguments: Array(event.arguments.dropFirst()))
            event.ack?("ok")
        }
        // ["ask-client", args…] → server emits `server-question` with an ack request, then emits
        // `client-answer` with what the client acknowledged (or `["timeout"]`).
        socket.on("ask-client") { event in
            do {
                let answer = try await socket.emitWithAck("server-question", arguments: event.arguments, timeout: .seconds(2))
                socket.emit("client-answer", arguments: answer)
            } catch {
                socket.emit("client-answer", .string("\(error)"))
            }
        }
        // ["sum", {"a": Int, "b": Int}] → acks a + b; exercises typed handlers.
        socket.on("sum", as: Operands.self) { operands, event in
            event.ack?(.int(operands.a + operands.b))
        }
        socket.on("disconnect-me") { _ in
            socket.disconnect()
        }
        // Closes the Engine.IO connection without a Socket.IO DISCONNECT: the client sees a
        // transport close and reconnects.
        socket.on("drop-connection") { _ in
            socket.connection.close()
        }
    }
}

private struct Operands: Decodable, Sendable {
    let a: Int
    let b: Int
}
