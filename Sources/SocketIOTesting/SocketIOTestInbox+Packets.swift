import SocketIO

extension SocketIOTestInbox.Item {
    /// What a packet from the server says to the socket of its namespace.
    init(_ packet: SocketIOPacket, transport: InProcessTransport) {
        switch packet.kind {
        case .connect:
            self = .connected(socketID: packet.payload?["sid"]?.stringValue ?? "")
        case .connectError:
            // `{"message":…,"data":…}`; a bare string from older servers.
            let message = packet.payload?["message"]?.stringValue ?? packet.payload?.stringValue ?? ""
            self = .refused(SocketIOConnectError(message, data: packet.payload?["data"]))
        case .event:
            let (name, arguments) = packet.eventNameAndArguments ?? ("", [])
            let ack = packet.ackID.map { id in
                SocketIOAcknowledgement(id: id, sender: SocketIOTestAcknowledger(transport: transport, namespace: packet.namespace))
            }
            self = .event(SocketIOEvent(name: name, arguments: arguments, ack: ack))
        case .ack:
            self = .ack(id: packet.ackID ?? -1, arguments: packet.payload?.arrayValue ?? [])
        case .disconnect:
            self = .disconnected(.ioServerDisconnect)
        }
    }
}
