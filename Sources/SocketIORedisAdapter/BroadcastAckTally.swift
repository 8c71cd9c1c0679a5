import SocketIO

/// What a broadcast with acknowledgements has heard from the other nodes: each node first says
/// how many of its sockets it asked, then relays their answers. Complete once every node has
/// counted and every counted socket answered; a node that never counted is one missing answer
/// (its sockets are unknown).
struct BroadcastAckTally: Sendable {
    private var nodesCounted = 0
    private var expected = 0
    private var answers: [SocketIOValue] = []

    mutating func counted(_ clientCount: Int) {
        self.nodesCounted += 1
        self.expected += clientCount
    }

    mutating func answered(_ answer: SocketIOValue) {
        self.answers.append(answer)
    }

    func isComplete(nodes: Int) -> Bool {
        self.nodesCounted >= nodes && self.answers.count >= self.expected
    }

    func results(nodes: Int) -> SocketIOAckResults {
        SocketIOAckResults(responses: self.answers, missing: max(0, self.expected - self.answers.count) + max(0, nodes - self.nodesCounted))
    }
}
