import Foundation
import Logging
import Payments
import SocketIO

/// `subscribe_booking` / `unsubscribe_booking`: a page watches a booking by joining its room.
///
/// The room is joined before the ledger is read, so a payment recorded in between reaches the
/// page (perhaps twice, never zero times); a booking already paid is replayed to the socket at once.
/// With socket authentication on, a socket may only watch the bookings its token grants.
struct BookingSubscriptions: Sendable {
    static let subscribeEvent = "subscribe_booking"
    static let unsubscribeEvent = "unsubscribe_booking"

    let ledger: any PaymentLedger
    let watchList: BookingWatchList
    /// Nil: any socket may watch any booking (development without `JWT_SECRET`).
    let verifier: SocketTokenVerifier?
    let maximumSubscriptionsPerSocket: Int
    let logger: Logger

    func register(on namespace: SocketIONamespace) {
        namespace.on(Self.subscribeEvent) { socket, event in
            await self.subscribe(socket, event)
        }
        namespace.on(Self.unsubscribeEvent) { socket, event in
            self.unsubscribe(socket, event)
        }
        namespace.onDisconnecting { socket, _ in
            for room in socket.rooms {
                if let booking = BookingRoom(name: room) {
                    self.watchList.unwatch(bookingID: booking.bookingID)
                }
            }
        }
    }

    private func subscribe(_ socket: SocketIOSocket, _ event: SocketIOEvent) async {
        let request: SubscriptionRequest
        do {
            request = try SubscriptionRequest(event.arguments.first)
        } catch {
            socket.logger.info("Subscription refused", metadata: ["event": .string(event.name), "error": .string(error.message)])
            event.ack?(["ok": false, "error": .string(error.message)])
            return
        }
        var logger = socket.logger
        logger[metadataKey: "booking"] = .string(request.bookingID)
        let room = BookingRoom(bookingID: request.bookingID).name
        let rooms = socket.rooms
        if !rooms.contains(room) {
            if rooms.count(where: { BookingRoom(name: $0) != nil }) >= self.maximumSubscriptionsPerSocket {
                logger.notice("Subscription refused", metadata: ["reason": "too many subscriptions"])
                event.ack?(["ok": false, "error": "too many subscriptions"])
                return
            }
            if let refusal = await self.refusal(of: request, for: socket) {
                logger.warning("Subscription refused", metadata: ["reason": "forbidden", "detail": .string(refusal), "subject": .string(socket.attributes[SocketClaimsKey.self]?.subject ?? "none")])
                event.ack?(["ok": false, "error": "forbidden"])
                return
            }
            // A socket that disconnected meanwhile joined nothing and must not be counted as watching.
            guard socket.join(room) else { return }
            self.watchList.watch(WatchedBooking(bookingID: request.bookingID, memo: request.memo ?? request.bookingID))
        }
        do {
            let status = try await self.ledger.status(ofBooking: request.bookingID)
            if let confirmation = status.confirmation {
                self.watchList.markPaid(bookingID: request.bookingID)
                PaymentNotifications(confirmation: confirmation).send(to: socket)
            }
            logger.info("Subscribed", metadata: ["status": .string(status.summary)])
            event.ack?(["ok": true, "status": .string(status.summary)])
        } catch {
            // The socket is in the room: a payment from now on still reaches it.
            logger.error("Subscribed, but the booking status could not be read", metadata: ["error": "\(error)"])
            event.ack?(["ok": true, "status": "unknown"])
        }
    }

    /// Why the socket may not watch the booking, or nil when it may: the connection token's
    /// `bookings` claim lists it, or the subscription carries a token whose `booking` claim is it.
    /// A memo decides what the provider is asked about, so with authentication on it must come
    /// from a subscription token's `memo` claim, never from the page alone.
    private func refusal(of request: SubscriptionRequest, for socket: SocketIOSocket) async -> String? {
        guard let verifier = self.verifier else { return nil }
        let grantedByConnection = socket.attributes[SocketClaimsKey.self]?.bookings?.contains(request.bookingID) == true
        if grantedByConnection, request.memo == nil { return nil }
        guard let token = request.token else {
            return request.memo == nil ? "booking not granted by the connection token" : "a memo needs a subscription token granting it"
        }
        do {
            let claims = try await verifier.verify(token)
            guard claims.booking == request.bookingID else { return "subscription token is for another booking" }
            guard request.memo == nil || claims.memo == request.memo else { return "memo not granted by the subscription token" }
            return nil
        } catch {
            return "subscription token refused: \(error)"
        }
    }

    private func unsubscribe(_ socket: SocketIOSocket, _ event: SocketIOEvent) {
        let request: SubscriptionRequest
        do {
            request = try SubscriptionRequest(event.arguments.first)
        } catch {
            event.ack?(["ok": false, "error": .string(error.message)])
            return
        }
        let room = BookingRoom(bookingID: request.bookingID).name
        if socket.rooms.contains(room) {
            socket.leave(room)
            self.watchList.unwatch(bookingID: request.bookingID)
        }
        socket.logger.info("Unsubscribed", metadata: ["booking": .string(request.bookingID)])
        event.ack?(["ok": true])
    }
}

/// The payload of `subscribe_booking` / `unsubscribe_booking`: `{bookingId, memo?, token?}`.
struct SubscriptionRequest: Sendable {
    let bookingID: String
    let memo: String?
    /// A per-booking subscription token, for sockets whose connection token does not list the booking.
    let token: String?

    init(_ payload: SocketIOValue?) throws(InputValidationError) {
        guard let payload, payload.objectValue != nil else {
            throw InputValidationError("payload must be an object with a bookingId")
        }
        guard let bookingField = payload["bookingId"], !bookingField.isNull else {
            throw InputValidationError("bookingId is required")
        }
        guard case .string(let bookingID) = bookingField else { throw InputValidationError("bookingId must be a string") }
        if let problem = BookingID.problem(with: bookingID) { throw InputValidationError(problem) }
        self.bookingID = bookingID
        switch payload["memo"] {
        case nil, .null?:
            self.memo = nil
        case .string(let memo)?:
            if let problem = BookingID.problem(with: memo) { throw InputValidationError(problem.replacingOccurrences(of: "bookingId", with: "memo")) }
            self.memo = memo
        default:
            throw InputValidationError("memo must be a string")
        }
        switch payload["token"] {
        case nil, .null?:
            self.token = nil
        case .string(let token)?:
            self.token = token
        default:
            throw InputValidationError("token must be a string")
        }
    }
}
