import Logging

/// What every session of one endpoint shares: its configuration, the registry of its open
/// sessions and the server's logger. The server makes one; each session points to it instead of
/// holding copies (the configuration alone is about 150 bytes, per connection).
final class SessionEndpoint: Sendable {
    let configuration: EngineIOConfiguration
    let registry: SessionRegistry
    let logger: Logger

    init(configuration: EngineIOConfiguration, registry: SessionRegistry = SessionRegistry(), logger: Logger) {
        self.configuration = configuration
        self.registry = registry
        self.logger = logger
    }
}
