import CZlib
import NIOCore

/// One zlib stream, compressing or decompressing whole messages: reset after each one, so the
/// state (a few hundred kilobytes for deflate) is allocated once and reused.
///
/// Not thread-safe, as zlib's streams are not: each event loop has its own (see
/// `EngineIOCompression`), used only on that loop's thread.
final class ZlibStream: @unchecked Sendable {
    enum Kind {
        /// Raw deflate with a sync flush: a permessage-deflate message (RFC 7692).
        case rawDeflate(level: Int32)
        /// Raw inflate of a permessage-deflate message.
        case rawInflate
        /// An HTTP body: `Content-Encoding: gzip`.
        case gzip(level: Int32)
        /// An HTTP body: `Content-Encoding: deflate` (the zlib format, as browsers read it).
        case zlib(level: Int32)
    }

    /// The tail a sync flush ends with, which permessage-deflate leaves out of the frame.
    static let syncFlushTail: [UInt8] = [0x00, 0x00, 0xFF, 0xFF]

    private let stream: UnsafeMutablePointer<z_stream>
    private let inflating: Bool

    init(_ kind: Kind) {
        self.stream = .allocate(capacity: 1)
        self.stream.initialize(to: z_stream())
        let status: Int32
        switch kind {
        case .rawDeflate(let level):
            status = czlib_deflate_init_raw(self.stream, level, 15)
            self.inflating = false
        case .rawInflate:
            status = czlib_inflate_init_raw(self.stream, 15)
            self.inflating = true
        case .gzip(let level):
            status = czlib_deflate_init_gzip(self.stream, level)
            self.inflating = false
        case .zlib(let level):
            status = czlib_deflate_init_zlib(self.stream, level)
            self.inflating = false
        }
        // Only memory exhaustion makes an init with valid constants fail.
        precondition(status == Z_OK, "zlib stream init failed: \(status)")
    }

    deinit {
        if self.inflating { inflateEnd(self.stream) } else { deflateEnd(self.stream) }
        self.stream.deinitialize(count: 1)
        self.stream.deallocate()
    }

    /// Compresses one message: the whole of it, finished (`Z_FINISH`) for an HTTP body, or
    /// sync-flushed with its 4-byte tail removed for a permessage-deflate frame.
    func compress(_ input: ByteBuffer, syncFlush: Bool, allocator: ByteBufferAllocator) -> ByteBuffer {
        defer { deflateReset(self.stream) }
        var output = allocator.buffer(capacity: Int(deflateBound(self.stream, uLong(input.readableBytes))) + 16)
        input.withUnsafeReadableBytes { source in
            self.stream.pointee.next_in = UnsafeMutablePointer(mutating: source.bindMemory(to: Bytef.self).baseAddress)
            self.stream.pointee.avail_in = uInt(source.count)
            let flush = syncFlush ? Z_SYNC_FLUSH : Z_FINISH
            repeat {
                if output.writableBytes == 0 { output.reserveCapacity(minimumWritableBytes: max(64, output.capacity)) }
                output.writeWithUnsafeMutableBytes(minimumWritableBytes: 0) { target in
                    self.stream.pointee.next_out = target.bindMemory(to: Bytef.self).baseAddress
                    self.stream.pointee.avail_out = uInt(target.count)
                    deflate(self.stream, flush)
                    return target.count - Int(self.stream.pointee.avail_out)
                }
            } while self.stream.pointee.avail_out == 0
        }
        if syncFlush, output.readableBytes >= 4 {
            output.moveWriterIndex(to: output.writerIndex - 4)
        }
        return output
    }

    enum InflateFailure: Error, Equatable {
        /// The message inflates past the size limit (a decompression bomb, or just too big).
        case tooLarge
        /// Not valid deflate data.
        case corrupt
    }

    /// Decompresses one permessage-deflate message (its tail added back), refusing to produce
    /// more than `maximumSize` bytes.
    func decompress(_ input: ByteBuffer, maximumSize: Int, allocator: ByteBufferAllocator) throws(InflateFailure) -> ByteBuffer {
        defer { inflateReset(self.stream) }
        var compressed = input
        compressed.writeBytes(Self.syncFlushTail)
        // One byte past the limit is room enough to tell a message that is too large.
        let limit = maximumSize + 1
        var output = allocator.buffer(capacity: min(limit, max(256, input.readableBytes * 4)))
        var failure: InflateFailure?
        compressed.withUnsafeReadableBytes { source in
            self.stream.pointee.next_in = UnsafeMutablePointer(mutating: source.bindMemory(to: Bytef.self).baseAddress)
            self.stream.pointee.avail_in = uInt(source.count)
            while self.stream.pointee.avail_in > 0 {
                if output.writableBytes == 0 {
                    output.reserveCapacity(minimumWritableBytes: min(limit - output.writerIndex, max(256, output.capacity)))
                }
                let room = min(output.writableBytes, limit - output.writerIndex)
                let availableBefore = self.stream.pointee.avail_in
                var status: Int32 = Z_OK
                let written = output.writeWithUnsafeMutableBytes(minimumWritableBytes: 0) { target in
                    self.stream.pointee.next_out = target.bindMemory(to: Bytef.self).baseAddress
                    self.stream.pointee.avail_out = uInt(room)
                    status = inflate(self.stream, Z_SYNC_FLUSH)
                    return room - Int(self.stream.pointee.avail_out)
                }
                if output.readableBytes > maximumSize {
                    failure = .tooLarge
                    return
                }
                if status == Z_STREAM_END { return }
                guard status == Z_OK || status == Z_BUF_ERROR, written > 0 || self.stream.pointee.avail_in < availableBefore else {
                    failure = .corrupt
                    return
                }
            }
        }
        if let failure { throw failure }
        return output
    }
}
