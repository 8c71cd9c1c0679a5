/// The server's side of permessage-deflate's negotiation (RFC 7692 §5, §7): pure, over the
/// client's `Sec-WebSocket-Extensions` value.
enum WebSocketDeflateNegotiation {
    /// What the server answers when it accepts: no context takeover either way (which §7.1.1
    /// lets a server add to any offer), its window the full 15 bits.
    static let response = "permessage-deflate; server_no_context_takeover; client_no_context_takeover"

    /// Whether one of the client's offers can be accepted: the first permessage-deflate offer
    /// whose parameters are all known, valid, not repeated, and allow a 15-bit server window.
    static func accepts(offers: String?) -> Bool {
        guard let offers else { return false }
        return offers.split(separator: ",").contains { Self.isAcceptable(offer: $0) }
    }

    private static func isAcceptable(offer: Substring) -> Bool {
        let parts = offer.split(separator: ";").map(WebSocketHandshake.trimmed)
        guard parts.first?.lowercased() == "permessage-deflate" else { return false }
        var seen: Set<String> = []
        for parameter in parts.dropFirst() {
            let pieces = parameter.split(separator: "=", maxSplits: 1).map(WebSocketHandshake.trimmed)
            let name = pieces[0].lowercased()
            let value = pieces.count > 1 ? Self.unquoted(pieces[1]) : nil
            guard seen.insert(name).inserted else { return false }
            switch name {
            case "server_no_context_takeover", "client_no_context_takeover":
                guard value == nil else { return false }
            case "server_max_window_bits":
                // Our compressor's window is 15 bits; a client asking for less is declined.
                guard value.flatMap({ Int($0) }) == 15 else { return false }
            case "client_max_window_bits":
                // Our decompressor's 15-bit window reads any window the client uses.
                if let value { guard let bits = Int(value), (8...15).contains(bits) else { return false } }
            default:
                return false
            }
        }
        return true
    }

    /// A parameter value without the quotes RFC 7692 allows around it.
    private static func unquoted(_ value: Substring) -> Substring {
        value.count >= 2 && value.first == "\"" && value.last == "\"" ? value.dropFirst().dropLast() : value
    }
}
