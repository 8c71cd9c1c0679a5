import AsyncHTTPClient
import Foundation
import Logging
import NIOCore
import NIOHTTP1
import Payments
import ServiceLifecycle
import Synchronization

/// Delivers the outbox's events to the merchant's backend: claims the due ones (a lease, so one
/// node attempts each), POSTs each signed the Standard Webhooks way, and settles it by the
/// retry policy. At most `concurrency` attempts are in flight; the webhook path never waits for
/// any of them. Events still pending when a node stops (or is killed) are due again once their
/// lease lapses, on whichever node runs next: at least once, never zero.
struct CallbackDeliveryService: Service {
    let outbox: any CallbackOutbox
    let url: String
    let signer: StandardWebhooksSigner
    let policy: CallbackRetryPolicy
    let timeout: Duration
    let concurrency: Int
    let wakeup: CallbackWakeup
    let metrics: PayNotifyMetrics
    let logger: Logger
    /// Told of every attempt stored, for the operator dashboard.
    var operatorFeed: (any OperatorFeed)? = nil
    /// How often the outbox is asked for due events when nothing woke the worker.
    var pollInterval: Duration = .milliseconds(500)

    /// Long enough for an attempt to time out and be settled; a node that dies mid-attempt
    /// delays that event by this much.
    var lease: Duration { self.timeout * 2 + .seconds(5) }

    /// Its own client: a refused connection must fail the attempt at once (the schedule retries
    /// it), not be retried inside the attempt until its time limit; redirects are not followed
    /// (a 3xx is retried like a 5xx); one connection per attempt in flight at most.
    static func makeClient(timeout: Duration, concurrency: Int) -> HTTPClient {
        var configuration = HTTPClient.Configuration(redirectConfiguration: .disallow, timeout: .init(connect: .nanoseconds(Int64(timeout / .nanoseconds(1)))))
        configuration.connectionPool.retryConnectionEstablishment = false
        configuration.connectionPool.concurrentHTTP1ConnectionsPerHostSoftLimit = concurrency
        return HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration)
    }

    func run() async throws {
        self.logger.info("Merchant callbacks on", metadata: ["url": .string(self.url), "concurrency": "\(self.concurrency)"])
        let client = Self.makeClient(timeout: self.timeout, concurrency: self.concurrency)
        let inFlight = InFlightAttempts()
        await cancelWhenGracefulShutdown {
            await withDiscardingTaskGroup { group in
                while !Task.isCancelled {
                    let free = self.concurrency - inFlight.count.load(ordering: .acquiring)
                    var claimed: [OutboxEntry] = []
                    if free > 0 {
                        do {
                            claimed = try await self.outbox.claimDueCallbacks(now: Date(), limit: free, lease: self.lease)
                        } catch {
                            self.logger.error("Due callbacks not read; retrying", metadata: ["error": "\(error)"])
                        }
                    }
                    for entry in claimed {
                        inFlight.count.add(1, ordering: .acquiringAndReleasing)
                        group.addTask {
                            await self.attempt(entry, client: client)
                            inFlight.count.subtract(1, ordering: .acquiringAndReleasing)
                            self.wakeup.signal()
                        }
                    }
                    // A full batch: more may be due at once.
                    if free > 0, claimed.count == free { continue }
                    await self.wakeup.wait(upTo: self.pollInterval)
                }
            }
        }
        try? await client.shutdown()
    }

    /// One attempt of a claimed event, settled in the outbox.
    func attempt(_ entry: OutboxEntry, client: HTTPClient) async {
        let event = entry.event
        let startedAt = Date()
        let started = ContinuousClock.now
        let (answer, statusCode, failure) = await self.post(event, at: startedAt, client: client)
        let duration = ContinuousClock.now - started
        let outcome = self.policy.outcome(of: entry, answer: answer, now: Date())
        let attempt = CallbackAttempt(number: entry.attempts, startedAt: startedAt, statusCode: statusCode, error: failure, duration: duration)
        var metadata: Logger.Metadata = [
            "event": .string(event.id), "type": .string(event.kind.rawValue), "attempt": "\(attempt.number)",
            "durationMs": "\(attempt.milliseconds)",
        ]
        if let bookingID = event.bookingID { metadata["booking"] = .string(bookingID) }
        if let statusCode { metadata["status"] = "\(statusCode)" }
        if let failure { metadata["error"] = .string(failure) }
        switch outcome {
        case .delivered:
            self.metrics.callbackAttempted(.delivered, duration: duration)
            self.logger.info("Callback delivered", metadata: metadata)
        case .retry(let at, _):
            self.metrics.callbackAttempted(.retry, duration: duration)
            metadata["nextAttemptAt"] = .string(PaymentNotifications.timestamp(at))
            self.logger.warning("Callback not accepted; will retry", metadata: metadata)
        case .failed:
            self.metrics.callbackAttempted(.failed, duration: duration)
            self.logger.error("Callback failed for good; redeliver it with POST /api/events/{id}/redeliver", metadata: metadata)
        }
        do {
            if try await self.outbox.settle(entry, attempt: attempt, outcome: outcome) {
                self.operatorFeed?.callbackAttempted(entry, attempt: attempt, outcome: outcome)
            }
        } catch {
            // Its lease lapses and it is attempted again: a repeat, never a loss.
            self.logger.error("Callback attempt not stored; it will be attempted again", metadata: ["event": .string(event.id), "error": "\(error)"])
        }
    }

    /// POSTs the event's body; the answer, its status code, or why there was none.
    private func post(_ event: CallbackEvent, at date: Date, client: HTTPClient) async -> (CallbackRetryPolicy.Answer, Int?, String?) {
        let body = Data(event.body.utf8)
        var request = HTTPClientRequest(url: self.url)
        request.method = .POST
        request.headers.add(name: "content-type", value: "application/json")
        request.headers.add(name: "user-agent", value: "paynotify-callbacks")
        for (name, value) in self.signer.headers(for: body, id: event.id, timestamp: date) {
            request.headers.add(name: name, value: value)
        }
        request.body = .bytes(ByteBuffer(bytes: body))
        do {
            let response = try await client.execute(request, timeout: .nanoseconds(Int64(self.timeout / .nanoseconds(1))))
            // The answer's body is not needed; read a little so the connection can be reused.
            _ = try? await response.body.collect(upTo: 4096)
            let code = Int(response.status.code)
            return (.status(code), code, nil)
        } catch let error as HTTPClientError where error == .deadlineExceeded || error == .readTimeout || error == .connectTimeout {
            return (.noAnswer, nil, "timed out after \(Int(self.timeout / .milliseconds(1))) ms")
        } catch {
            return (.noAnswer, nil, "\(error)")
        }
    }
}

/// How many attempts are in flight, shared by the worker and its attempt tasks.
private final class InFlightAttempts: Sendable {
    let count = Atomic<Int>(0)
}
