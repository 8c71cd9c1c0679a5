import Foundation
import CoreMetrics
import Metrics
import Prometheus
import Synchronization

/// The metrics `/metrics` exports. They are recorded through swift-metrics into a Prometheus
/// registry owned by this object, never the global `MetricsSystem`, so several servers in one
/// process (tests) keep their own counts.
///
/// Counters and histograms move as things happen; gauges (connections, bookings, rooms) and the
/// Redis link's counts are sampled when `/metrics` is read (`MetricsSampler`).
public final class PayNotifyMetrics: Sendable {
    /// Every exported name, for the README and the tests.
    enum Name {
        static let openConnections = "paynotify_open_connections"
        static let subscribedBookings = "paynotify_subscribed_bookings"
        static let rooms = "paynotify_rooms"
        static let webhooks = "paynotify_webhooks_total"
        static let webhookDuration = "paynotify_webhook_duration_seconds"
        static let webhookToEmit = "paynotify_webhook_to_emit_seconds"
        static let ledgerWriteDuration = "paynotify_ledger_write_duration_seconds"
        static let pollerRequests = "paynotify_poller_requests_total"
        static let slowConsumerDisconnects = "paynotify_slow_consumer_disconnects_total"
        static let draining = "paynotify_draining"
        static let redisPublished = "paynotify_redis_published_total"
        static let redisReceived = "paynotify_redis_received_total"
        static let redisPublishFailures = "paynotify_redis_publish_failures_total"
        static let redisReconnects = "paynotify_redis_reconnects_total"
        static let callbackAttempts = "paynotify_callback_attempts_total"
        static let callbackAttemptDuration = "paynotify_callback_attempt_duration_seconds"
    }

    /// What a merchant callback attempt came to.
    enum CallbackAttemptOutcome: String, CaseIterable {
        case delivered
        case retry
        case failed
    }

    /// What a status API call of the poller came to.
    enum PollOutcome: String, CaseIterable {
        case paid
        case unpaid
        case failed
    }

    let registry: PrometheusCollectorRegistry
    private let factory: PrometheusMetricsFactory
    private let webhookToEmit: CoreMetrics.Timer
    private let ledgerWriteDuration: CoreMetrics.Timer
    private let slowConsumerDisconnects: CoreMetrics.Counter
    private let callbackAttemptDuration: CoreMetrics.Timer
    /// Per-webhook handles, made on first use: looking one up through the factory (labels
    /// sorted, registry locked) on every webhook was work repeated for the same few series.
    private let webhookSeries = Mutex<WebhookSeries>(WebhookSeries())
    /// The same outcomes per minute for the last hour, for the operator dashboard's chart.
    private let webhookHistory = Mutex(WebhookOutcomeHistory())

    private struct WebhookSeries {
        var counters: [String: [WebhookOutcome: CoreMetrics.Counter]] = [:]
        var timers: [String: CoreMetrics.Timer] = [:]
    }

    public init() {
        let registry = PrometheusCollectorRegistry()
        var factory = PrometheusMetricsFactory(registry: registry)
        // Webhooks and emits take milliseconds; a ledger write (an fsync) a fraction of one.
        let requestBuckets: [Duration] = [.milliseconds(1), .milliseconds(2), .milliseconds(5), .milliseconds(10), .milliseconds(25),
                                          .milliseconds(50), .milliseconds(100), .milliseconds(250), .milliseconds(500), .seconds(1),
                                          .milliseconds(2500), .seconds(5), .seconds(10)]
        factory.durationHistogramBuckets = [
            Name.webhookDuration: requestBuckets,
            Name.webhookToEmit: requestBuckets,
            Name.ledgerWriteDuration: [.microseconds(250), .microseconds(500)] + requestBuckets,
            Name.callbackAttemptDuration: requestBuckets + [.seconds(30), .seconds(60)],
        ]
        self.registry = registry
        self.factory = factory
        self.webhookToEmit = CoreMetrics.Timer(label: Name.webhookToEmit, factory: factory)
        self.ledgerWriteDuration = CoreMetrics.Timer(label: Name.ledgerWriteDuration, factory: factory)
        self.slowConsumerDisconnects = CoreMetrics.Counter(label: Name.slowConsumerDisconnects, factory: factory)
        self.callbackAttemptDuration = CoreMetrics.Timer(label: Name.callbackAttemptDuration, factory: factory)
        // Series that exist before anything happens, so dashboards and alerts see a zero.
        for outcome in PollOutcome.allCases {
            _ = self.counter(Name.pollerRequests, ["outcome": outcome.rawValue])
        }
        for outcome in CallbackAttemptOutcome.allCases {
            _ = self.counter(Name.callbackAttempts, ["outcome": outcome.rawValue])
        }
        self.setDraining(false)
    }

    /// One webhook answered: counted by route and outcome; the handling time of those that
    /// reached their route's handler, by route (refusals in front of it take next to none).
    func webhookHandled(route: String, outcome: WebhookOutcome, duration: Duration? = nil) {
        let (counter, timer) = self.webhookSeries.withLock { series in
            let counter = series.counters[route, default: [:]][outcome] ?? self.counter(Name.webhooks, ["route": route, "outcome": outcome.rawValue])
            series.counters[route, default: [:]][outcome] = counter
            let timer = series.timers[route] ?? CoreMetrics.Timer(label: Name.webhookDuration, dimensions: [("route", route)], factory: self.factory)
            series.timers[route] = timer
            return (counter, timer)
        }
        counter.increment()
        if let duration { timer.record(duration: duration) }
        self.webhookHistory.withLock { $0.record(outcome, at: Date()) }
    }

    /// The webhooks this node answered in the last hour, per minute and outcome, oldest first.
    func webhookOutcomesOfLastHour(endingAt now: Date = Date()) -> [WebhookOutcomeHistory.Minute] {
        self.webhookHistory.withLock { $0.lastHour(endingAt: now) }
    }

    /// A payment from a webhook was handed to the adapter, `duration` after the webhook arrived.
    func paymentAnnounced(afterWebhookFor duration: Duration) {
        self.webhookToEmit.record(duration: duration)
    }

    /// A payment was durably recorded in `duration`.
    func ledgerWritten(in duration: Duration) {
        self.ledgerWriteDuration.record(duration: duration)
    }

    func pollerRequested(_ outcome: PollOutcome) {
        self.counter(Name.pollerRequests, ["outcome": outcome.rawValue]).increment()
    }

    /// A merchant callback was attempted for `duration` and came to `outcome`.
    func callbackAttempted(_ outcome: CallbackAttemptOutcome, duration: Duration) {
        self.counter(Name.callbackAttempts, ["outcome": outcome.rawValue]).increment()
        self.callbackAttemptDuration.record(duration: duration)
    }

    /// A socket was disconnected because it did not read its outbound queue fast enough.
    func slowConsumerDisconnected() {
        self.slowConsumerDisconnects.increment()
    }

    func setDraining(_ draining: Bool) {
        self.setGauge(Name.draining, draining ? 1 : 0)
    }

    func setGauge(_ name: String, _ value: Int, _ labels: [String: String] = [:]) {
        CoreMetrics.Gauge(label: name, dimensions: Self.dimensions(labels), factory: self.factory).record(value)
    }

    func counter(_ name: String, _ labels: [String: String] = [:]) -> CoreMetrics.Counter {
        CoreMetrics.Counter(label: name, dimensions: Self.dimensions(labels), factory: self.factory)
    }

    /// The registry in Prometheus text format.
    func exposition() -> String {
        self.registry.emitToString()
    }

    private static func dimensions(_ labels: [String: String]) -> [(String, String)] {
        labels.sorted { $0.key < $1.key }.map { ($0.key, $0.value) }
    }
}
