import Hummingbird

/// A page of a merchant API list: `?after=<cursor>&limit=<1…1000>` (default 100). The cursor is
/// the `next` of the previous page, an opaque whole number.
struct PageRequest: Sendable {
    static let defaultLimit = 100
    static let maximumLimit = 1000

    let after: Int64?
    let limit: Int

    /// A query parameter that cannot be used: answered 400 with its reason.
    struct Refusal: Error {
        let reason: String

        var response: Response { APIAnswer.refused(self.reason, status: .badRequest) }
    }

    static func parse(_ request: Request) -> Result<PageRequest, Refusal> {
        var after: Int64?
        if let text = request.uri.queryParameters["after"] {
            guard let cursor = Int64(text), cursor >= 0 else {
                return .failure(Refusal(reason: "after must be the next cursor of an earlier page (a whole number of at least 0)"))
            }
            after = cursor
        }
        return Self.limit(in: request).map { PageRequest(after: after, limit: $0) }
    }

    static func limit(in request: Request) -> Result<Int, Refusal> {
        guard let text = request.uri.queryParameters["limit"] else { return .success(Self.defaultLimit) }
        guard let value = Int(text), (1...Self.maximumLimit).contains(value) else {
            return .failure(Refusal(reason: "limit must be a whole number from 1 to \(Self.maximumLimit)"))
        }
        return .success(value)
    }

    /// What a page shows of `fetched` (read with `limit + 1`, to know whether more follow): its
    /// items, the cursor to read on from (the last item's, else the one asked after; null from
    /// the start) and whether more follow.
    func page<Item>(of fetched: [Item], sequence: (Item) -> Int64) -> (items: ArraySlice<Item>, next: Nullable<String>, hasMore: Bool) {
        let items = fetched.prefix(self.limit)
        return (items, Nullable((items.last.map(sequence) ?? self.after).map(String.init)), fetched.count > self.limit)
    }
}
