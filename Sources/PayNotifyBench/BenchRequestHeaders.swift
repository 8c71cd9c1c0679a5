import NIOHTTP1

/// The headers each bench request carries beside `Host` and the upgrade's own: a server's memory
/// per connection can depend on how long the requests that opened it were.
public enum BenchRequestHeaders: String, Sendable, CaseIterable {
    /// None: NIO's client alone, about 200 bytes per upgrade request (as short as Node's and
    /// Python's clients write them).
    case minimal
    /// Those a desktop Chrome adds to a websocket upgrade from a page (but not
    /// `Sec-WebSocket-Extensions`: the bench reads no compressed frames): about 370 bytes more.
    case browser

    func add(to headers: inout HTTPHeaders) {
        guard self == .browser else { return }
        headers.add(contentsOf: [
            ("Pragma", "no-cache"),
            ("Cache-Control", "no-cache"),
            ("User-Agent", "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36"),
            ("Origin", "https://booking.example.com"),
            ("Accept-Encoding", "gzip, deflate, br, zstd"),
            ("Accept-Language", "vi-VN,vi;q=0.9,en-US;q=0.8,en;q=0.7"),
            ("Cookie", "_ga=GA1.1.1234567890.1733212800; session=4f6b1c2d9e8a7b3c5d1e2f3a4b5c6d7e"),
        ])
    }
}
