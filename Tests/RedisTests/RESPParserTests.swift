import NIOCore
@testable import Redis
import Testing

@Suite("RESP parser")
struct RESPParserTests {
    private func parse(_ text: String) throws -> (RESPValue?, remaining: Int) {
        var buffer = ByteBuffer(string: text)
        let value = try RESPParser().parse(&buffer)
        return (value, buffer.readableBytes)
    }

    @Test(
        "Each RESP2 type",
        arguments: [
            ("+OK\r\n", RESPValue.simpleString("OK")),
            ("-ERR wrong type\r\n", .error("ERR wrong type")),
            (":42\r\n", .integer(42)),
            (":-7\r\n", .integer(-7)),
            ("$5\r\nhello\r\n", .bulkString(ByteBuffer(string: "hello"))),
            ("$0\r\n\r\n", .bulkString(ByteBuffer())),
            ("$-1\r\n", .bulkString(nil)),
            ("*-1\r\n", .array(nil)),
            ("*0\r\n", .array([])),
            ("*2\r\n$3\r\nfoo\r\n:1\r\n", .array([.bulkString(ByteBuffer(string: "foo")), .integer(1)])),
            ("*1\r\n*1\r\n+x\r\n", .array([.array([.simpleString("x")])])),
            ("$4\r\na\r\nb\r\n", .bulkString(ByteBuffer(string: "a\r\nb"))),
        ]
    )
    func parsesType(input: String, expected: RESPValue) throws {
        let (value, remaining) = try self.parse(input)
        #expect(value == expected)
        #expect(remaining == 0)
    }

    @Test("Incomplete input parses nothing and consumes nothing", arguments: ["", "+OK", "+OK\r", "$5\r\nhel", "$5\r\nhello", "*2\r\n:1\r\n", ":12"])
    func incomplete(input: String) throws {
        let (value, remaining) = try self.parse(input)
        #expect(value == nil)
        #expect(remaining == input.utf8.count)
    }

    @Test("Pipelined replies are read one at a time")
    func pipelined() throws {
        var buffer = ByteBuffer(string: "+OK\r\n:1\r\n$1\r\nx\r\n")
        let parser = RESPParser()
        #expect(try parser.parse(&buffer) == .simpleString("OK"))
        #expect(try parser.parse(&buffer) == .integer(1))
        #expect(try parser.parse(&buffer) == .bulkString(ByteBuffer(string: "x")))
        #expect(try parser.parse(&buffer) == nil)
    }

    @Test("Malformed input is an error", arguments: ["?x\r\n", ":abc\r\n", "$-2\r\n", "$x\r\n", "*-5\r\n", "$3\r\nabcXY"])
    func malformed(input: String) {
        #expect(throws: RESPParsingError.self) { try self.parse(input) }
    }

    @Test("Limits bound what a server can make the client allocate")
    func limits() {
        var parser = RESPParser()
        parser.maximumBulkLength = 4
        var bulk = ByteBuffer(string: "$5\r\nhello\r\n")
        #expect(throws: RESPParsingError.self) { try parser.parse(&bulk) }
        parser.maximumDepth = 2
        var deep = ByteBuffer(string: "*1\r\n*1\r\n*1\r\n*1\r\n:1\r\n")
        #expect(throws: RESPParsingError.self) { try parser.parse(&deep) }
    }

    @Test("Accessors")
    func accessors() {
        #expect(RESPValue.simpleString("PONG").string == "PONG")
        #expect(RESPValue.bulkString(ByteBuffer(string: "v")).string == "v")
        #expect(RESPValue.bulkString(nil).isNull)
        #expect(RESPValue.integer(3).integer == 3)
        #expect(RESPValue.array([.integer(1)]).array == [.integer(1)])
        #expect(RESPValue.error("x").string == nil)
    }
}

@Suite("RESP commands and configuration")
struct RESPCommandTests {
    @Test("A command is an array of bulk strings")
    func encoding() {
        var buffer = ByteBuffer()
        RESPCommand("SET", "key", "välue").encode(into: &buffer)
        #expect(String(buffer: buffer) == "*3\r\n$3\r\nSET\r\n$3\r\nkey\r\n$6\r\nvälue\r\n")
        #expect(RESPCommand("get", "k").name == "GET")
    }

    @Test(
        "REDIS_URL forms",
        arguments: [
            ("redis://localhost", "localhost", 6379, nil as String?, nil as String?, 0),
            ("redis://127.0.0.1:6380/2", "127.0.0.1", 6380, nil, nil, 2),
            ("redis://:s3cret@cache:7000", "cache", 7000, nil, "s3cret", 0),
            ("redis://app:p%40ss@cache/1", "cache", 6379, "app", "p@ss", 1),
        ]
    )
    func urls(url: String, host: String, port: Int, user: String?, password: String?, database: Int) throws {
        let configuration = try RedisConfiguration(url: url)
        #expect(configuration.host == host)
        #expect(configuration.port == port)
        #expect(configuration.username == user)
        #expect(configuration.password == password)
        #expect(configuration.database == database)
    }

    @Test("Invalid REDIS_URL", arguments: ["http://localhost", "redis://", "redis://h/abc", "redis://h:0", "localhost:6379"])
    func invalidURLs(url: String) {
        let error = #expect(throws: RedisError.self) { try RedisConfiguration(url: url) }
        #expect(error?.code == .invalidURL)
    }

    @Test("A Redis error's code names its kind; its description names the command, never its arguments")
    func errorCodesAndDescriptions() {
        let refused = RedisError.server(command: "INCR", message: "ERR value is not an integer or out of range")
        #expect(refused.code == .server)
        #expect(refused.command == "INCR")
        #expect(refused.message == "ERR value is not an integer or out of range")
        #expect(refused.description == "Redis refused INCR: ERR value is not an integer or out of range")
        #expect(RedisError.timeout(command: "DEBUG").description == "Redis did not answer DEBUG in time")
        #expect(RedisError.unavailable("connection closed").description == "Redis unavailable: connection closed")
        #expect(RedisError.invalidURL("port 0 is out of range").description == "invalid REDIS_URL: port 0 is out of range")
        #expect(RedisError.protocolViolation("bulk string not followed by CRLF").description == "Redis protocol violation: bulk string not followed by CRLF")
        #expect(RedisError.unavailable("a") != RedisError.unavailable("b"))
        #expect(RedisError.unavailable("a").code == RedisError.unavailable("b").code)
    }

    @Test("Backoff doubles from 100 ms up to 5 s")
    func backoff() {
        #expect(RedisClient.backoff(afterFailures: 1) == .milliseconds(100))
        #expect(RedisClient.backoff(afterFailures: 2) == .milliseconds(200))
        #expect(RedisClient.backoff(afterFailures: 4) == .milliseconds(800))
        #expect(RedisClient.backoff(afterFailures: 30) == .seconds(5))
    }
}
