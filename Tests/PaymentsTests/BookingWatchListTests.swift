import Payments
import Testing

@Suite("Booking watch list")
struct BookingWatchListTests {
    @Test("A watched booking awaits payment; an unknown one does not")
    func watch() {
        let list = BookingWatchList()
        #expect(list.awaitingPayment.isEmpty)
        #expect(!list.isAwaitingPayment(bookingID: "b1"))
        list.watch(WatchedBooking(bookingID: "b1", memo: "m1"))
        #expect(list.awaitingPayment == [WatchedBooking(bookingID: "b1", memo: "m1")])
        #expect(list.isAwaitingPayment(bookingID: "b1"))
        #expect(!list.isAwaitingPayment(bookingID: "b2"))
        #expect(list.watchedCount == 1)
    }

    @Test("Watchers are counted: the booking stays until its last watcher leaves")
    func countedWatchers() {
        let list = BookingWatchList()
        list.watch(WatchedBooking(bookingID: "b1", memo: "b1"))
        list.watch(WatchedBooking(bookingID: "b1", memo: "b1"))
        #expect(list.watchedCount == 1)

        list.unwatch(bookingID: "b1")
        #expect(list.isAwaitingPayment(bookingID: "b1"))
        #expect(list.watchedCount == 1)

        list.unwatch(bookingID: "b1")
        #expect(!list.isAwaitingPayment(bookingID: "b1"))
        #expect(list.awaitingPayment.isEmpty)
        #expect(list.watchedCount == 0)
    }

    @Test("Unwatching more often than watched, or an unknown booking, changes nothing else")
    func extraUnwatch() {
        let list = BookingWatchList()
        list.unwatch(bookingID: "never")
        list.watch(WatchedBooking(bookingID: "b1", memo: "b1"))
        list.unwatch(bookingID: "b1")
        list.unwatch(bookingID: "b1")
        list.watch(WatchedBooking(bookingID: "b1", memo: "b1"))
        #expect(list.isAwaitingPayment(bookingID: "b1"))
        list.unwatch(bookingID: "b1")
        #expect(list.watchedCount == 0)
    }

    @Test("A paid booking no longer awaits payment but its watchers still count")
    func markPaid() {
        let list = BookingWatchList()
        list.watch(WatchedBooking(bookingID: "b1", memo: "b1"))
        list.watch(WatchedBooking(bookingID: "b1", memo: "b1"))
        list.watch(WatchedBooking(bookingID: "b2", memo: "b2"))
        list.markPaid(bookingID: "b1")
        #expect(!list.isAwaitingPayment(bookingID: "b1"))
        #expect(list.awaitingPayment == [WatchedBooking(bookingID: "b2", memo: "b2")])
        #expect(list.watchedCount == 2)

        list.unwatch(bookingID: "b1")
        #expect(list.watchedCount == 2)
        list.unwatch(bookingID: "b1")
        #expect(list.watchedCount == 1)
    }

    @Test("Marking an unwatched booking paid does not add it")
    func markPaidUnwatched() {
        let list = BookingWatchList()
        list.markPaid(bookingID: "b1")
        #expect(list.watchedCount == 0)
        list.watch(WatchedBooking(bookingID: "b1", memo: "b1"))
        #expect(list.isAwaitingPayment(bookingID: "b1"))
    }

    @Test("The first watcher's memo stays: a later page cannot redirect the polling")
    func memoSticks() {
        let list = BookingWatchList()
        list.watch(WatchedBooking(bookingID: "b1", memo: "first"))
        list.watch(WatchedBooking(bookingID: "b1", memo: "second"))
        #expect(list.awaitingPayment == [WatchedBooking(bookingID: "b1", memo: "first")])
        list.unwatch(bookingID: "b1")
        list.unwatch(bookingID: "b1")
        list.watch(WatchedBooking(bookingID: "b1", memo: "new"))
        #expect(list.awaitingPayment == [WatchedBooking(bookingID: "b1", memo: "new")])
    }

    @Test("Several bookings are tracked independently")
    func severalBookings() {
        let list = BookingWatchList()
        for index in 0..<5 {
            list.watch(WatchedBooking(bookingID: "b\(index)", memo: "m\(index)"))
        }
        list.unwatch(bookingID: "b0")
        list.markPaid(bookingID: "b1")
        #expect(Set(list.awaitingPayment.map(\.bookingID)) == ["b2", "b3", "b4"])
        #expect(list.watchedCount == 4)
    }
}
