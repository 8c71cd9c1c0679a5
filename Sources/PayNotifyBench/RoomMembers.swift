import NIOCore

/// The members of a fan-out room, however the bench reads them: the SwiftNIO client's
/// channels, or `EpollRoom`.
protocol RoomMembers {
    /// Members subscribed.
    var count: Int { get }
    /// Deliveries counted per member and booking, over all the room's bookings.
    var tally: DeliveryTally { get }
    /// Websocket text frames the members received.
    var frames: Int { get }
    /// When the last member's first copy of `booking`'s event arrived.
    func lastDelivery(of booking: String) -> NIODeadline?
}

/// Members on the SwiftNIO client: what their handlers told the recorder.
struct ChannelRoom: RoomMembers {
    let recorder: BenchRecorder
    let count: Int

    var tally: DeliveryTally { self.recorder.tally }
    var frames: Int { self.recorder.framesReceived }

    func lastDelivery(of booking: String) -> NIODeadline? {
        self.recorder.lastDelivery(of: booking)
    }
}
