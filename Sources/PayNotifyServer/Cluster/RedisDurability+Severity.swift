import RedisLedger

extension RedisDurability {
    /// How PayNotify treats these settings: anything that can lose an acknowledged payment is a
    /// warning, and a Redis that keeps them in memory only is an error in production (the node
    /// refuses to start, and `/readyz` names it if the settings change later).
    func severity(in environment: SecurityConfiguration.Environment) -> ConfigurationDoctor.Finding.Severity {
        switch self {
        case .everyWrite: .ok
        case .everySecond, .whenTheKernelFlushes, .unknown: .warning
        case .memoryOnly: environment == .production ? .error : .warning
        }
    }
}
