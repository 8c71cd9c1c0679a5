/// What code that talks to Redis needs: send a command, get its reply. The seam where this small
/// client can be swapped for a maintained one.
public protocol RedisCommandExecutor: Sendable {
    func send(_ command: RESPCommand) async throws(RedisError) -> RESPValue
}
