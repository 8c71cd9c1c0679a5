extension EngineIOServer {
    /// Open sessions by the transport carrying each now (every transport present, zero or
    /// not), e.g. for a metrics gauge. Reads each session once; costs O(sessions).
    public var sessionCountsByTransport: [EngineIOTransportKind: Int] {
        var counts = Dictionary(uniqueKeysWithValues: EngineIOTransportKind.allCases.map { ($0, 0) })
        for session in self.registry.all where session.isOpen {
            counts[session.transport, default: 0] += 1
        }
        return counts
    }
}
