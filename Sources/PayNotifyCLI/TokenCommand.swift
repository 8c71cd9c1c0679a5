import ArgumentParser
import Foundation
import PayNotifyServer

/// Mints a socket token for development, signed with `JWT_SECRET` (from the environment or .env).
struct TokenCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "token",
        abstract: "Mint a socket token (HS256 with JWT_SECRET) granting bookings, for development."
    )

    @Option(help: "A booking the token grants (repeatable).")
    var booking: [String] = []

    @Flag(help: "Mint a per-booking subscription token (sent with subscribe_booking) instead of a connection token.")
    var subscription = false

    @Option(help: "Subject (the user or session the token is for).")
    var sub: String?

    @Option(help: "Lifetime: 15m, 1h, 900 (seconds).")
    var ttl = "15m"

    func validate() throws {
        guard !self.booking.isEmpty else { throw ValidationError("give at least one --booking") }
        if self.subscription, self.booking.count != 1 { throw ValidationError("a subscription token grants exactly one --booking") }
    }

    func run() async throws {
        let configuration: PayNotifyConfiguration
        do {
            configuration = try PayNotifyConfiguration.load(
                flags: [:],
                environment: ProcessInfo.processInfo.environment,
                dotEnvText: try? String(contentsOfFile: ".env", encoding: .utf8)
            )
        } catch {
            throw ValidationError("invalid configuration: \(error)")
        }
        guard let secret = configuration.security.jwtSecret else {
            throw ValidationError("JWT_SECRET is not set (environment or .env)")
        }
        guard let lifetime = PayNotifyConfiguration.duration(self.ttl), lifetime > .zero else {
            throw ValidationError("--ttl '\(self.ttl)' is not a duration like 15m, 1h or 900")
        }
        let issuer = SocketTokenIssuer(secret: secret, issuer: configuration.security.jwtIssuer, audience: configuration.security.jwtAudience)
        let token = self.subscription
            ? try await issuer.subscriptionToken(subject: self.sub, booking: self.booking[0], lifetime: lifetime)
            : try await issuer.connectionToken(subject: self.sub, bookings: self.booking, lifetime: lifetime)
        print(token)
    }
}
