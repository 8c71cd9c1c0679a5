import NIOCore
import NIOWebSocket
import Testing

@testable import EngineIO

private func frame(_ opcode: WebSocketOpcode, _ text: String, fin: Bool = true) -> WebSocketFrame {
    WebSocketFrame(fin: fin, opcode: opcode, data: ByteBuffer(string: text))
}

@Suite("Websocket message reassembly")
struct WebSocketMessageAssemblerTests {
    @Test("A whole frame is a message at once")
    func wholeFrame() throws {
        var assembler = WebSocketMessageAssembler(maximumSize: 100)
        let message = try #require(try assembler.append(frame(.text, "4hello")))
        #expect(message.opcode == .text)
        #expect(String(buffer: message.data) == "4hello")
    }

    @Test("Fragments make one message with the first frame's opcode, then the next starts afresh")
    func fragments() throws {
        var assembler = WebSocketMessageAssembler(maximumSize: 100)
        #expect(try assembler.append(frame(.binary, "ab", fin: false)) == nil)
        #expect(try assembler.append(frame(.continuation, "cd", fin: false)) == nil)
        let message = try #require(try assembler.append(frame(.continuation, "e")))
        #expect(message.opcode == .binary)
        #expect(String(buffer: message.data) == "abcde")
        #expect(String(buffer: try #require(try assembler.append(frame(.text, "4next"))).data) == "4next")
    }

    @Test("A message over the limit is refused, whole or in fragments")
    func tooLarge() throws {
        var whole = WebSocketMessageAssembler(maximumSize: 4)
        #expect(throws: WebSocketMessageAssembler.Failure.tooLarge) { try whole.append(frame(.text, "12345")) }
        var fragmented = WebSocketMessageAssembler(maximumSize: 4)
        _ = try fragmented.append(frame(.text, "123", fin: false))
        #expect(throws: WebSocketMessageAssembler.Failure.tooLarge) { try fragmented.append(frame(.continuation, "45")) }
    }

    @Test("Continuation without a start, or a new message inside another, is out of order")
    func outOfOrder() throws {
        var stray = WebSocketMessageAssembler(maximumSize: 100)
        #expect(throws: WebSocketMessageAssembler.Failure.outOfOrder) { try stray.append(frame(.continuation, "x")) }
        var interleaved = WebSocketMessageAssembler(maximumSize: 100)
        _ = try interleaved.append(frame(.text, "4a", fin: false))
        #expect(throws: WebSocketMessageAssembler.Failure.outOfOrder) { try interleaved.append(frame(.text, "4b")) }
    }
}
