import NIOCore

/// Opens many subscribed connections with bounded concurrency, spreading them over local
/// addresses 127.0.0.1, 127.0.0.2, … so no single address runs out of ephemeral ports.
struct ConnectionPool: Sendable {
    struct Opened: Sendable {
        var channels: [any Channel]
        var handshakeLatencies: [Duration]
        var failures: [String: Int]
        var elapsed: Duration
    }

    let connector: BenchConnector
    /// Connection attempts in flight at once.
    let concurrency: Int
    /// Connections per local address before moving to the next.
    let connectionsPerAddress: Int

    /// Opens connections `indices` (a later call continues where an earlier one stopped);
    /// connection `i` subscribes to `bookings(i)`.
    func open(_ indices: Range<Int>, bookings: @escaping @Sendable (Int) -> [String]) async throws -> Opened {
        let started = ContinuousClock.now
        var opened = Opened(channels: [], handshakeLatencies: [], failures: [:], elapsed: .zero)
        opened.channels.reserveCapacity(indices.count)
        // The first block uses the default source address; later ones 127.0.0.2, .3, …
        let addresses: [SocketAddress?] = try (0...(indices.upperBound / self.connectionsPerAddress)).map { index in
            index == 0 ? nil : try SocketAddress(ipAddress: "127.0.0.\(index + 1)", port: 0)
        }
        let first = indices.lowerBound
        await forEachIndex(below: indices.count, concurrently: self.concurrency) { offset -> Result<(any Channel, Duration), any Error> in
            let index = first + offset
            do {
                return .success(try await self.connector.connect(from: addresses[index / self.connectionsPerAddress], bookings: bookings(index)))
            } catch {
                return .failure(error)
            }
        } collect: { result in
            switch result {
            case .success(let (channel, latency)):
                opened.channels.append(channel)
                opened.handshakeLatencies.append(latency)
            case .failure(let error):
                opened.failures["\(error)", default: 0] += 1
            }
        }
        opened.elapsed = ContinuousClock.now - started
        return opened
    }
}
