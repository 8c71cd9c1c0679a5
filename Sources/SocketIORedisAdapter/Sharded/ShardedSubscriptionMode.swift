/// Which shard channels a sharded adapter uses, as Node's `subscriptionMode`: every node of a
/// cluster must use the same one, since the sender picks the channel and only its subscribers
/// hear it.
public enum ShardedSubscriptionMode: String, Sendable, Hashable, CaseIterable {
    /// Two channels per namespace (`socket.io#/#` and this node's response channel): the fewest
    /// subscriptions, for many or dynamic namespaces. Every broadcast reaches every node.
    case `static`
    /// Also one channel per public room (not a socket's own): a broadcast to one room goes to
    /// the room's channel, heard only by the nodes that have a socket in it. Node's default.
    case dynamic
    /// As `dynamic`, and sockets' own rooms too (one channel per socket): for mostly one-to-one
    /// messages.
    case dynamicPrivate = "dynamic-private"
}
