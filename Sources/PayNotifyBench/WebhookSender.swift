import AsyncHTTPClient
import NIOCore
import NIOHTTP1

/// Posts the reference design's payment webhook at a steady rate with bounded concurrency, over
/// keep-alive connections, and records when each was sent.
struct WebhookSender: Sendable {
    struct Outcome: Sendable {
        var sent = 0
        var accepted = 0
        var refused: [String: Int] = [:]
        var elapsed: Duration = .zero
    }

    let client: HTTPClient
    let url: String
    let recorder: BenchRecorder

    /// Sends one `success` webhook per booking, the i-th at `i / rate` seconds after the start
    /// (or as soon as a sender is free, when the server falls behind).
    func send(to bookings: [String], rate: Double, concurrency: Int) async -> Outcome {
        let started = ContinuousClock.now
        var outcome = Outcome()
        await forEachIndex(below: bookings.count, concurrently: concurrency) { index in
            try? await Task.sleep(until: started + .nanoseconds(Int64(Double(index) / rate * 1e9)))
            return await self.post(booking: bookings[index], transaction: "txn-\(bookings[index])")
        } collect: { accepted, refusal in
            outcome.sent += 1
            if accepted { outcome.accepted += 1 }
            if let refusal { outcome.refused[refusal, default: 0] += 1 }
        }
        outcome.elapsed = ContinuousClock.now - started
        return outcome
    }

    private func post(booking: String, transaction: String) async -> (Bool, String?) {
        var request = HTTPClientRequest(url: self.url)
        request.method = .POST
        request.headers.add(name: "Content-Type", value: "application/json")
        request.body = .bytes(ByteBuffer(string: #"{"bookingId":"\#(booking)","transactionId":"\#(transaction)","amount":500000,"status":"success"}"#))
        self.recorder.webhookSent(for: booking, at: .now())
        do {
            let response = try await self.client.execute(request, timeout: .seconds(30))
            _ = try await response.body.collect(upTo: 1 << 16)
            return response.status == .ok ? (true, nil) : (false, "HTTP \(response.status.code)")
        } catch {
            return (false, "\(error)")
        }
    }
}
