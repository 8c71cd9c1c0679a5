import Testing

@testable import PayNotifyServer

@Suite("Metrics registry")
struct PayNotifyMetricsTests {
    @Test("Recorded values appear in the exposition with Prometheus names")
    func exposition() {
        let metrics = PayNotifyMetrics()
        metrics.webhookHandled(route: "/webhook/payment", outcome: .rateLimited)
        metrics.webhookHandled(route: "/webhook/payment", outcome: .new, duration: .milliseconds(3))
        metrics.ledgerWritten(in: .microseconds(400))
        metrics.pollerRequested(.paid)
        metrics.slowConsumerDisconnected()
        let text = metrics.exposition()
        #expect(text.contains(#"paynotify_webhooks_total{outcome="rate-limited",route="/webhook/payment"} 1"#))
        #expect(text.contains(#"paynotify_webhooks_total{outcome="new",route="/webhook/payment"} 1"#))
        #expect(text.contains(#"paynotify_webhook_duration_seconds_count{route="/webhook/payment"} 1"#))
        #expect(text.contains(#"paynotify_webhook_duration_seconds_bucket{route="/webhook/payment",le="0.005"} 1"#))
        #expect(text.contains(#"paynotify_ledger_write_duration_seconds_bucket{le="0.0005"} 1"#))
        #expect(text.contains(#"paynotify_poller_requests_total{outcome="paid"} 1"#))
        #expect(text.contains(#"paynotify_poller_requests_total{outcome="failed"} 0"#))
        #expect(text.contains("paynotify_slow_consumer_disconnects_total 1"))
        #expect(text.contains("paynotify_draining 0"))
    }

    @Test("Callback attempts are counted by outcome, every outcome from zero, and timed")
    func callbackAttempts() {
        let metrics = PayNotifyMetrics()
        #expect(metrics.exposition().contains(#"paynotify_callback_attempts_total{outcome="failed"} 0"#))
        metrics.callbackAttempted(.retry, duration: .milliseconds(3))
        metrics.callbackAttempted(.delivered, duration: .seconds(20))
        let text = metrics.exposition()
        #expect(text.contains(#"paynotify_callback_attempts_total{outcome="retry"} 1"#))
        #expect(text.contains(#"paynotify_callback_attempts_total{outcome="delivered"} 1"#))
        #expect(text.contains(#"paynotify_callback_attempts_total{outcome="failed"} 0"#))
        #expect(text.contains("paynotify_callback_attempt_duration_seconds_count 2"))
        #expect(text.contains(#"paynotify_callback_attempt_duration_seconds_bucket{le="30.0"} 2"#))
    }

    @Test("Two servers in one process keep their own counts")
    func separate() {
        let first = PayNotifyMetrics()
        let second = PayNotifyMetrics()
        first.slowConsumerDisconnected()
        #expect(first.exposition().contains("paynotify_slow_consumer_disconnects_total 1"))
        #expect(second.exposition().contains("paynotify_slow_consumer_disconnects_total 0"))
    }
}
