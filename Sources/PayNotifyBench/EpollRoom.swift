import CBenchReader
import Foundation
import NIOCore

/// Fan-out members read by `CBenchReader` (epoll threads in C) instead of the SwiftNIO client,
/// which spends about 7 µs of CPU per frame: 5,000 members, two events each, would cost the
/// bench about 70 ms a round, on the cores the server needs.
final class EpollRoom: RoomMembers, @unchecked Sendable {
    // @unchecked: the reader's counters are C atomics; `reader` is freed once, by `close()`.
    private let reader: OpaquePointer
    private let bookings: [String]
    /// Members subscribed when the room was opened.
    let count: Int

    /// Opens `members` connections to `target` on `threads` threads, each subscribing to every
    /// booking, and returns once all are subscribed or have failed (bounded: 60 s).
    init(target: BenchTarget, members: Int, bookings: [String], threads: Int) async throws {
        guard let ip = target.address.ipAddress, let port = target.address.port else { throw BenchError.invalidURL(target.baseURL) }
        let names = bookings.map { strdup($0) }
        defer { names.forEach { free($0) } }
        let reader = names.map { UnsafePointer($0) }.withUnsafeBufferPointer { pointers in
            bench_reader_start(ip, Int32(port), Int32(members), pointers.baseAddress, Int32(bookings.count), Int32(max(1, threads)))
        }
        guard let reader else { throw BenchError.epollReaderUnavailable }
        do {
            try await BenchRun.wait(within: .seconds(60)) {
                bench_reader_subscribed(reader) + bench_reader_failed(reader) >= members
            }
        } catch {
            bench_reader_stop(reader)
            throw error
        }
        self.reader = reader
        self.bookings = bookings
        self.count = Int(bench_reader_subscribed(reader))
    }

    /// Connections that failed or closed, before or after subscribing.
    var failures: Int { Int(bench_reader_failed(self.reader)) }

    var tally: DeliveryTally {
        DeliveryTally(
            delivered: self.bookings.indices.reduce(0) { $0 + Int(bench_reader_delivered(self.reader, Int32($1))) },
            duplicates: Int(bench_reader_duplicates(self.reader)),
            unexpected: Int(bench_reader_unexpected(self.reader))
        )
    }

    var frames: Int { Int(bench_reader_frames(self.reader)) }

    func lastDelivery(of booking: String) -> NIODeadline? {
        guard let index = self.bookings.firstIndex(of: booking) else { return nil }
        let nanoseconds = bench_reader_last_delivery(self.reader, Int32(index))
        // CLOCK_MONOTONIC, the clock of NIODeadline on Linux.
        return nanoseconds > 0 ? .uptimeNanoseconds(UInt64(nanoseconds)) : nil
    }

    /// Stops the reader's threads and closes its connections.
    func close() {
        bench_reader_stop(self.reader)
    }
}
