import HTTPTypes
import Logging
import Hummingbird
import NIOCore

/// The HTTP side of an endpoint: the polling transport, polling handshakes, CORS preflight, and
/// protocol errors answered with their JSON body.
extension EngineIOServer {
    /// Answers an HTTP request addressed to this endpoint's path.
    public func respond(to request: Request, remoteAddress: SocketAddress?) async -> Response {
        let origin = request.headers[.origin]
        if request.method == .options {
            return self.preflightResponse(origin: origin)
        }
        do {
            let (status, body) = try await self.handle(request, remoteAddress: remoteAddress)
            var headers = HTTPFields()
            headers[.contentType] = "text/plain; charset=UTF-8"
            self.configuration.cors.apply(to: &headers, origin: origin, preflight: false)
            return Response(status: status, headers: headers, body: .init(byteBuffer: body))
        } catch {
            // The path only: the query may carry a token.
            self.logger.debug("Engine.IO request refused", metadata: ["error": "\(error)", "path": .string(request.uri.path)])
            var headers = HTTPFields()
            headers[.contentType] = "application/json"
            self.configuration.cors.apply(to: &headers, origin: origin, preflight: false)
            return Response(status: error.status, headers: headers, body: .init(byteBuffer: ByteBuffer(string: error.body)))
        }
    }

    private func preflightResponse(origin: String?) -> Response {
        var headers = HTTPFields()
        self.configuration.cors.apply(to: &headers, origin: origin, preflight: true)
        guard headers[.accessControlAllowOrigin] != nil else {
            let error = EngineIORequestError(.forbidden, detail: "origin \(origin ?? "none") not allowed")
            return Response(status: error.status, body: .init(byteBuffer: ByteBuffer(string: error.body)))
        }
        return Response(status: .noContent, headers: headers)
    }

    private func handle(
        _ request: Request,
        remoteAddress: SocketAddress?
    ) async throws(EngineIORequestError) -> (HTTPResponse.Status, ByteBuffer) {
        let query = EngineIOConnectionRequest.parseQuery(request.uri.query.map { Substring($0) })
        let transport = try self.validateTransport(query)
        guard let sid = query["sid"] else {
            guard request.method == .get else {
                throw EngineIORequestError(.badHandshakeMethod, detail: "\(request.method)")
            }
            _ = try self.validateHandshakeQuery(query)
            guard transport == .polling else {
                throw EngineIORequestError(.badRequest, detail: "websocket handshake without an Upgrade header")
            }
            return (.ok, try self.openPollingSession(request, query: query, remoteAddress: remoteAddress))
        }
        guard let session = self.registry.session(id: sid) else {
            throw EngineIORequestError(.unknownSessionID, detail: "sid=\(sid)")
        }
        guard transport == .polling else {
            throw EngineIORequestError(.badRequest, detail: "websocket request without an Upgrade header")
        }
        switch request.method {
        case .get:
            return (.ok, try await session.poll())
        case .post:
            try await self.receivePost(request, session: session)
            return (.ok, ByteBuffer(string: "ok"))
        default:
            throw EngineIORequestError(.badRequest, detail: "method \(request.method) on a session")
        }
    }

    private func openPollingSession(
        _ request: Request,
        query: [String: String],
        remoteAddress: SocketAddress?
    ) throws(EngineIORequestError) -> ByteBuffer {
        let connectionRequest = EngineIOConnectionRequest(
            path: request.uri.path,
            query: query,
            headers: request.headers,
            remoteAddress: remoteAddress,
            transport: .polling
        )
        let release = try self.admit(connectionRequest)
        let session = self.makeSession(for: connectionRequest, release: release)
        let upgrades: [EngineIOTransportKind] = self.configuration.transports.contains(.websocket) ? [.websocket] : []
        let handshake = EngineIOPacket.open(session.handshakeJSON(upgrades: upgrades)).frame
        self.start(session)
        return PollingPayload.encode([handshake])
    }

    private func receivePost(_ request: Request, session: EngineIOSession) async throws(EngineIORequestError) {
        try session.beginPost()
        defer { session.endPost() }
        let body: ByteBuffer
        do {
            body = try await request.body.collect(upTo: self.configuration.maxPayload)
        } catch {
            session.close(reason: .payloadTooLarge)
            throw EngineIORequestError(.badRequest, detail: "body over maxPayload (\(self.configuration.maxPayload) bytes)", status: .contentTooLarge)
        }
        try session.deliverPost(body)
    }
}
