import HTTPTypes
import Testing

@testable import EngineIO

@Suite("Handshake query parsing")
struct QueryParsingTests {
    @Test("Pairs split on & and =, later keys winning, a key without = has an empty value")
    func pairs() {
        #expect(EngineIOConnectionRequest.parseQuery("EIO=4&transport=polling&t=x&flag&EIO=3") == ["EIO": "3", "transport": "polling", "t": "x", "flag": ""])
        #expect(EngineIOConnectionRequest.parseQuery(nil) == [:])
        #expect(EngineIOConnectionRequest.parseQuery("") == [:])
        #expect(EngineIOConnectionRequest.parseQuery("a==b") == ["a": "=b"])
    }

    @Test(
        "Percent escapes and + decode; a malformed escape or invalid UTF-8 keeps the escapes",
        arguments: [
            ("abc", "abc"), ("a+b", "a b"), ("a%20b", "a b"), ("%E3%81%A6%E3%81%99", "てす"), ("%26%3D%3Fa", "&=?a"),
            ("%2b", "+"), ("%zz+x", "%zz x"), ("50%", "50%"), ("%4", "%4"), ("%E3%81", "%E3%81"), ("", ""),
        ]
    )
    func percentDecoding(encoded: String, decoded: String) {
        #expect(EngineIOConnectionRequest.percentDecode(encoded[...]) == decoded)
    }

    @Test("A handshake kept as its query string reads as the parsed one, whole or one parameter at a time")
    func rawQueryReadsAsParsed() {
        let raw = "EIO=4&transport=websocket&token=a%2Bb+c&flag&EIO=3"
        let request = EngineIOConnectionRequest(path: "/socket.io/", rawQuery: raw[...], headers: [:], remoteAddress: nil, transport: .websocket)
        #expect(request.query == EngineIOConnectionRequest.parseQuery(raw[...]))
        #expect(request.queryValue("EIO") == "3", "the last occurrence wins")
        #expect(request.queryValue("token") == "a+b c")
        #expect(request.queryValue("flag") == "")
        #expect(request.queryValue("sid") == nil)
        let empty = EngineIOConnectionRequest(path: "/socket.io/", rawQuery: nil, headers: [:], remoteAddress: nil, transport: .polling)
        #expect(empty.query.isEmpty)
        #expect(empty.queryValue("EIO") == nil)
    }
}
