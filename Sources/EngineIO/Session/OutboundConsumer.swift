/// A transport that writes frames as they are queued (the websocket), instead of asking for them
/// one batch at a time (a long-poll GET).
///
/// Told when frames are waiting; it then takes them with `EngineIOSession.takeStreamBatch()` on
/// its own event loop, so frames are written in queue order whichever thread queued them.
protocol OutboundFrameStream: AnyObject, Sendable {
    /// Frames are waiting, or the session ended. Not called again until the stream has taken them.
    func framesAvailable()
}

/// Who drains a session's outbound queue.
enum OutboundConsumer {
    /// A pending long-poll GET, answered once.
    case poll(CheckedContinuation<OutboundBatch, Never>)
    /// The websocket, for the rest of the session.
    case stream(any OutboundFrameStream)
}

/// Work to do once the session's lock is released: answer a poll, or tell the stream.
enum OutboundWake {
    case answer(CheckedContinuation<OutboundBatch, Never>, OutboundBatch)
    case notify(any OutboundFrameStream)

    func run() {
        switch self {
        case .answer(let continuation, let batch): continuation.resume(returning: batch)
        case .notify(let stream): stream.framesAvailable()
        }
    }
}
