/// One figure of a comparison: the Node reference's value beside PayNotify's, how many times
/// better PayNotify is, and whether that meets the row's goal.
struct ComparisonRow: Sendable {
    enum Goal: Sendable {
        /// PayNotify at least this many times better than Node.
        case factor(Double)
        /// PayNotify's value at most this (in the row's unit), whatever Node's.
        case atMost(Double)
        /// Shown beside the others for context (e.g. the load generator's own CPU).
        case none
    }

    let figure: String
    let unit: String
    let lowerIsBetter: Bool
    let goal: Goal
    let node: Double?
    let paynotify: Double?
    /// What makes the figures untrustworthy (a lost or duplicated delivery, failed
    /// connections), naming the server; any fails the row.
    var problems: [String] = []
    /// Context for the reader, e.g. which step ended a ramp.
    var note: String?

    /// How many times better PayNotify is; below 1 it is worse. Infinite when PayNotify's
    /// value is ideal (zero cost, or Node's rate zero), zero when Node's is; nil when a value is
    /// missing or both are zero.
    var factor: Double? {
        guard let node, let paynotify else { return nil }
        let (better, worse) = self.lowerIsBetter ? (node, paynotify) : (paynotify, node)
        if worse == 0 { return better == 0 ? nil : .infinity }
        return better / worse
    }

    /// Whether PayNotify meets the goal; nil for rows without one.
    var met: Bool? {
        switch self.goal {
        case .none:
            return nil
        case .factor(let wanted):
            guard self.problems.isEmpty, let factor = self.factor else { return false }
            return factor >= wanted
        case .atMost(let limit):
            guard self.problems.isEmpty, let paynotify = self.paynotify else { return false }
            return paynotify <= limit
        }
    }
}
