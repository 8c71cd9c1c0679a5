import Payments
import SQLiteLedger
import SocketIO
import Testing

@testable import PayNotifyServer

@Suite("Booking subscriptions and the Socket.IO announcer: the same room")
struct BookingSubscriptionsTests {
    @Test("A page that subscribed receives both events of the confirmation, in one poll")
    func subscribedPageReceivesConfirmation() async throws {
        try await withSQLiteLedger { ledger in
            let io = SocketIOServer(logger: quietLogger)
            Self.subscriptions(ledger).register(on: io.main)
            let page = try await PollingPage.connect(to: io.engine)
            try await page.send(#"421["subscribe_booking",{"bookingId":"b9"}]"#)
            let acknowledged = try await page.poll(until: "431")
            #expect(acknowledged == [#"431[{"ok":true,"status":"pending"}]"#])

            let processor = PaymentProcessor(testing: ledger, announcer: SocketIOPaymentAnnouncer(io: io))
            try await processor.process(paymentEvent("t9", booking: "b9"))
            let announced = try await page.poll()
            #expect(announced.count == 2)
            #expect(announced.first?.hasPrefix(#"42["transaction_success",{"#) == true)
            #expect(announced.last == #"42["payment_confirmed",{"bookingId":"b9","transactionId":"t9","amount":500000,"confirmed":true}]"#)
        }
    }

    @Test("A page that subscribes after the payment gets it replayed before the acknowledgement")
    func lateSubscriberGetsReplay() async throws {
        try await withSQLiteLedger { ledger in
            let io = SocketIOServer(logger: quietLogger)
            Self.subscriptions(ledger).register(on: io.main)
            let announcer = RecordingAnnouncer()
            try await PaymentProcessor(testing: ledger, announcer: announcer).process(paymentEvent("t10", booking: "b10"))

            let page = try await PollingPage.connect(to: io.engine)
            try await page.send(#"421["subscribe_booking",{"bookingId":"b10"}]"#)
            let packets = try await page.poll(until: "431")
            #expect(packets.count == 3)
            #expect(packets.first?.hasPrefix(#"42["transaction_success",{"bookingId":"b10""#) == true)
            #expect(packets.dropFirst().first?.hasPrefix(#"42["payment_confirmed""#) == true)
            #expect(packets.last == #"431[{"ok":true,"status":"paid"}]"#)
            #expect(await announcer.confirmations.count == 1)
        }
    }

    private static func subscriptions(_ ledger: some PaymentLedger) -> BookingSubscriptions {
        BookingSubscriptions(ledger: ledger, watchList: BookingWatchList(), verifier: nil, maximumSubscriptionsPerSocket: 10, logger: quietLogger)
    }
}
