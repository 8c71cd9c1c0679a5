/// What code that talks to Redis needs: send a command, get its reply. The seam where this small
/// client can be swapped for a maintained one.
public protocol RedisCommandExecutor: Sendable {
    /// Sends a command and waits for its reply.
    /// - Parameter command: The command.
    /// - Returns: Redis's reply (never an error reply: that is thrown).
    /// - Throws: `RedisError` when the command did not succeed.
    func send(_ command: RESPCommand) async throws(RedisError) -> RESPValue
}
