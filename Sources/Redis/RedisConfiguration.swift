import Foundation

/// Where Redis is and how to log in: read from a `redis://[[user]:password@]host[:port][/db]` URL.
public struct RedisConfiguration: Sendable, Hashable {
    /// The server's host name or address.
    public var host: String
    /// The server's TCP port.
    public var port: Int
    /// The ACL user to log in as (`AUTH user password`); nil for the default user.
    public var username: String?
    /// The password to log in with; nil sends no `AUTH`.
    public var password: String?
    /// The database to `SELECT` after connecting.
    public var database: Int
    /// Time limit of one command; the connection is dropped and re-made after a timeout.
    public var commandTimeout: Duration
    /// Time limit of opening the TCP connection (logging in is a command, under `commandTimeout`).
    public var connectTimeout: Duration

    /// Each parameter sets the property of the same name; the defaults are a local Redis's.
    public init(
        host: String = "127.0.0.1",
        port: Int = 6379,
        username: String? = nil,
        password: String? = nil,
        database: Int = 0,
        commandTimeout: Duration = .seconds(2),
        connectTimeout: Duration = .seconds(2)
    ) {
        self.host = host
        self.port = port
        self.username = username
        self.password = password
        self.database = database
        self.commandTimeout = commandTimeout
        self.connectTimeout = connectTimeout
    }

    /// Reads a `redis://[[user]:password@]host[:port][/db]` URL, with Redis's default port and
    /// database where it names none; user and password may be percent-encoded.
    /// - Parameter url: The URL, as `REDIS_URL` holds it.
    /// - Throws: `RedisError.invalidURL(_:)` when the URL is not of that form.
    public init(url: String) throws(RedisError) {
        guard let components = URLComponents(string: url), components.scheme == "redis", let host = components.host, !host.isEmpty else {
            throw RedisError.invalidURL("expected redis://[:password@]host[:port][/db]")
        }
        var database = 0
        let path = components.path.trimmingCharacters(in: CharacterSet(charactersIn: "/"))
        if !path.isEmpty {
            guard let number = Int(path), number >= 0 else { throw RedisError.invalidURL("database '\(path)' is not a number") }
            database = number
        }
        let port = components.port ?? 6379
        guard (1...65_535).contains(port) else { throw RedisError.invalidURL("port \(port) is out of range") }
        self.init(
            host: host,
            port: port,
            username: components.user.flatMap { $0.isEmpty ? nil : $0.removingPercentEncoding },
            password: components.password?.removingPercentEncoding,
            database: database
        )
    }

    /// The commands a new connection sends before anything else.
    var handshake: [RESPCommand] {
        var commands: [RESPCommand] = []
        if let password {
            commands.append(self.username.map { RESPCommand("AUTH", $0, password) } ?? RESPCommand("AUTH", password))
        }
        if self.database != 0 { commands.append(RESPCommand("SELECT", String(self.database))) }
        return commands
    }
}
