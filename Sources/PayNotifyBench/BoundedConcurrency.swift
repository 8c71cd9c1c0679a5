/// Runs `operation` for indices `0..<count` with at most `limit` in flight, starting the next
/// as each finishes, and hands every result to `collect` (on the caller's task) as it arrives.
func forEachIndex<Result: Sendable>(
    below count: Int,
    concurrently limit: Int,
    _ operation: @escaping @Sendable (Int) async -> Result,
    collect: (Result) -> Void
) async {
    await withTaskGroup(of: Result.self) { group in
        var next = 0
        func startNext() {
            let index = next
            next += 1
            group.addTask { await operation(index) }
        }
        while next < min(count, limit) { startNext() }
        while let result = await group.next() {
            collect(result)
            if next < count { startNext() }
        }
    }
}
