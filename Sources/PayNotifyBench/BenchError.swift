/// Why a bench connection or scenario failed.
enum BenchError: Error, CustomStringConvertible {
    case subscriptionRefused(String)
    case connectRefused(String)
    case closedBeforeSubscribing
    case notSubscribedInTime
    case upgradeRefused
    case pollingFailed(String)
    case invalidURL(String)
    case processUnreadable(pid: Int32)
    case epollReaderUnavailable

    var description: String {
        switch self {
        case .subscriptionRefused(let ack): "subscription refused: \(ack)"
        case .connectRefused(let packet): "Socket.IO connect refused: \(packet)"
        case .closedBeforeSubscribing: "connection closed before it was subscribed"
        case .notSubscribedInTime: "not subscribed within 30 s of connecting"
        case .upgradeRefused: "the server refused the websocket upgrade"
        case .pollingFailed(let what): "long-polling failed: \(what)"
        case .invalidURL(let url): "not an http://host:port URL: \(url)"
        case .processUnreadable(let pid): "cannot read /proc/\(pid) (is the server's PID right?)"
        case .epollReaderUnavailable: "the epoll reader could not start (it needs Linux, an IPv4 address and memory for its connections)"
        }
    }
}
