import CoreMetrics
import EngineIO
import Payments
import Redis
import SocketIO
import SocketIORedisAdapter
import Synchronization

/// Brings the sampled metrics up to date just before `/metrics` is read: the gauges from the
/// live objects, and the Redis link's running totals into Prometheus counters.
final class MetricsSampler: Sendable {
    private let figures: NodeFigures
    private let redis: RedisLink?
    /// The Redis totals already added to their counters, by metric name.
    private let mirrored = Mutex<[String: Int]>([:])

    private var metrics: PayNotifyMetrics { self.figures.metrics }

    init(figures: NodeFigures, redis: RedisLink?) {
        self.figures = figures
        self.redis = redis
        self.sample()
    }

    func sample() {
        typealias Name = PayNotifyMetrics.Name
        for (transport, count) in self.figures.io.engine.sessionCountsByTransport {
            self.metrics.setGauge(Name.openConnections, count, ["transport": transport.rawValue])
        }
        self.metrics.setGauge(Name.subscribedBookings, self.figures.watchList.watchedCount)
        if let rooms = self.figures.io.main.adapter as? any SocketIORoomCounting {
            self.metrics.setGauge(Name.rooms, rooms.roomCount)
        }
        guard let redis else { return }
        let counts = redis.adapters.counts
        self.mirror(Name.redisPublished, total: counts.published)
        self.mirror(Name.redisReceived, total: counts.received)
        self.mirror(Name.redisPublishFailures, total: counts.publishFailures)
        self.mirror(Name.redisReconnects, total: redis.subscriber.reconnects)
    }

    /// Adds to the counter what the running total gained since the last sample.
    private func mirror(_ name: String, total: Int) {
        let gained = self.mirrored.withLock { mirrored in
            defer { mirrored[name] = total }
            return max(0, total - mirrored[name, default: 0])
        }
        self.metrics.counter(name).increment(by: gained)
    }
}
