/// Credentials an authenticator accepted: for a webhook, proof that it came from the provider.
public struct AcceptedCredentials: Sendable, Hashable {
    /// An id unique to this delivery of this message, when the scheme has one: a second
    /// delivery with the same id is a replay (or a retry) and is not processed again.
    public let messageID: String?

    public init(messageID: String?) {
        self.messageID = messageID
    }
}
