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
}
