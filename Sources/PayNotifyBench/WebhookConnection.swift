import NIOCore
import NIOHTTP1

/// One keep-alive connection of a `WebhookSender`: writes a webhook, and hands the response's
/// status (nil when the connection closed first) to whoever is waiting for it.
final class WebhookConnection: ChannelInboundHandler {
    typealias InboundIn = HTTPClientResponsePart
    typealias OutboundOut = HTTPClientRequestPart

    private var context: ChannelHandlerContext?
    private var status: HTTPResponseStatus?
    /// Set while a webhook is in flight.
    private var answer: ((HTTPResponseStatus?) -> Void)?
    private(set) var isOpen = true

    func handlerAdded(context: ChannelHandlerContext) {
        self.context = context
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        self.context = nil
    }

    /// Posts `body`; `answer` gets the response's status, or nil if the connection closes first.
    func post(_ head: HTTPRequestHead, body: ByteBuffer, answer: @escaping (HTTPResponseStatus?) -> Void) {
        guard let context, self.isOpen else { return answer(nil) }
        var head = head
        head.headers.add(name: "Content-Length", value: "\(body.readableBytes)")
        self.answer = answer
        context.write(Self.wrapOutboundOut(.head(head)), promise: nil)
        context.write(Self.wrapOutboundOut(.body(.byteBuffer(body))), promise: nil)
        context.writeAndFlush(Self.wrapOutboundOut(.end(nil)), promise: nil)
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch Self.unwrapInboundIn(data) {
        case .head(let head):
            self.status = head.status
        case .body:
            break
        case .end:
            let (answer, status) = (self.answer, self.status)
            (self.answer, self.status) = (nil, nil)
            answer?(status)
        }
    }

    func channelInactive(context: ChannelHandlerContext) {
        self.isOpen = false
        let answer = self.answer
        self.answer = nil
        answer?(nil)
        context.fireChannelInactive()
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        context.close(promise: nil)
    }
}
