import HTTPTypes
import Logging
import NIOCore

/// The HTTP side of an endpoint: the polling transport, polling handshakes, CORS preflight, and
/// protocol errors answered with their JSON body. Framework-neutral: an integration turns its
/// request into an `EngineIOHTTPRequest` and writes the `EngineIOHTTPResponse` back.
extension EngineIOServer {
    /// Answers an HTTP request addressed to this endpoint's path (see `matches(path:)`).
    ///
    /// A long-poll `GET` returns once the session has something to send (or its heartbeat is
    /// due), so run each request in its own task. Never throws: refusals are answered with the
    /// protocol's JSON error body.
    /// - Parameter request: The request, its body unread.
    /// - Returns: The complete response to write.
    public func respond(to request: EngineIOHTTPRequest) async -> EngineIOHTTPResponse {
        let origin = request.head.headerFields[.origin]
        if request.head.method == .options {
            return self.preflightResponse(origin: origin)
        }
        let target = Target(request.head.path ?? "/")
        do {
            let (status, answer) = try await self.handle(request, target: target)
            var body = answer.bytes
            var headers = HTTPFields()
            headers[.contentType] = answer.isBinary ? "application/octet-stream" : "text/plain; charset=UTF-8"
            if let compressed = self.httpCompressor?.compress(body, acceptEncoding: request.head.headerFields[.acceptEncoding]) {
                body = compressed.body
                headers[.contentEncoding] = compressed.encoding.rawValue
                headers[.vary] = "Accept-Encoding"
            }
            self.configuration.cors.apply(to: &headers, origin: origin, preflight: false)
            return EngineIOHTTPResponse(head: HTTPResponse(status: status, headerFields: headers), body: body)
        } catch {
            // The path only: the query may carry a token.
            self.logger.debug("Engine.IO request refused", metadata: ["error": "\(error)", "path": .string(String(target.path))])
            var headers = HTTPFields()
            if !error.body.isEmpty { headers[.contentType] = "application/json" }
            self.configuration.cors.apply(to: &headers, origin: origin, preflight: false)
            return EngineIOHTTPResponse(head: HTTPResponse(status: error.status, headerFields: headers), body: ByteBuffer(string: error.body))
        }
    }

    /// A request target split at its `?`.
    private struct Target {
        let path: Substring
        let query: Substring?

        init(_ target: String) {
            let queryStart = target.firstIndex(of: "?")
            self.path = target[..<(queryStart ?? target.endIndex)]
            self.query = queryStart.map { target[target.index(after: $0)...] }
        }
    }

    private func preflightResponse(origin: String?) -> EngineIOHTTPResponse {
        var headers = HTTPFields()
        self.configuration.cors.apply(to: &headers, origin: origin, preflight: true)
        guard headers[.accessControlAllowOrigin] != nil else {
            let error = EngineIORequestError(.forbidden, detail: "origin \(origin ?? "none") not allowed")
            return EngineIOHTTPResponse(head: HTTPResponse(status: error.status), body: ByteBuffer(string: error.body))
        }
        return EngineIOHTTPResponse(head: HTTPResponse(status: .noContent, headerFields: headers), body: ByteBuffer())
    }

    private func handle(_ request: EngineIOHTTPRequest, target: Target) async throws(EngineIORequestError) -> (HTTPResponse.Status, PollingBody) {
        let method = request.head.method
        let query = EngineIOConnectionRequest.parseQuery(target.query)
        let transport = try self.validateTransport(query)
        guard let sid = query["sid"] else {
            guard method == .get else {
                throw EngineIORequestError(.badHandshakeMethod, detail: "\(method)")
            }
            _ = try self.validateHandshakeQuery(query)
            guard transport == .polling else {
                throw EngineIORequestError(.badRequest, detail: "websocket handshake without an Upgrade header")
            }
            return (.ok, try self.openPollingSession(request, path: target.path, query: target.query))
        }
        guard let session = self.registry.session(id: sid) else {
            throw EngineIORequestError(.unknownSessionID, detail: "sid=\(sid)")
        }
        guard transport == .polling else {
            throw EngineIORequestError(.badRequest, detail: "websocket request without an Upgrade header")
        }
        switch method {
        case .get:
            return (.ok, try await session.poll())
        case .post:
            try await self.receivePost(request, session: session)
            return (.ok, PollingBody(bytes: ByteBuffer(string: "ok")))
        default:
            throw EngineIORequestError(.badRequest, detail: "method \(method) on a session")
        }
    }

    private func openPollingSession(_ request: EngineIOHTTPRequest, path: Substring, query: Substring?) throws(EngineIORequestError) -> PollingBody {
        let connectionRequest = EngineIOConnectionRequest(
            path: String(path),
            rawQuery: query,
            headers: request.head.headerFields,
            remoteAddress: request.remoteAddress,
            transport: .polling
        )
        let release = try self.admit(connectionRequest)
        let session = self.makeSession(for: connectionRequest, release: release)
        let upgrades: [EngineIOTransportKind] = self.configuration.transports.contains(.websocket) ? [.websocket] : []
        let handshake = EngineIOPacket.open(session.handshakeJSON(upgrades: upgrades)).frame
        self.start(session)
        return session.pollingBody([handshake])
    }

    private func receivePost(_ request: EngineIOHTTPRequest, session: EngineIOSession) async throws(EngineIORequestError) {
        try session.beginPost()
        defer { session.endPost() }
        let body: ByteBuffer
        do {
            body = try await request.readBody(self.configuration.maxPayload)
        } catch {
            // The session stays open, as with Node's server: the client, told 413, closes it
            // itself. Closing it here would answer (or refuse) the client's pending poll too,
            // and the client could read that before the 413 and never learn why.
            throw EngineIORequestError(.badRequest, detail: "body over maxPayload (\(self.configuration.maxPayload) bytes)", status: .contentTooLarge)
        }
        try session.deliverPost(body, isBinary: request.head.headerFields[.contentType] == "application/octet-stream")
    }
}
