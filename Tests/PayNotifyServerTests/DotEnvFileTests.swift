import Testing

@testable import PayNotifyServer

@Suite(".env file")
struct DotEnvFileTests {
    struct Case: Sendable, CustomTestStringConvertible {
        let name: String
        let text: String
        let expected: [String: String]
        var testDescription: String { self.name }
    }

    static let cases: [Case] = [
        .init(name: "plain", text: "PORT=3000\nHOST=0.0.0.0", expected: ["PORT": "3000", "HOST": "0.0.0.0"]),
        .init(name: "empty file", text: "", expected: [:]),
        .init(
            name: "comments and blank lines",
            text: "# settings\n\nPORT=3000\n   # indented comment\n\t\nHOST=h\n",
            expected: ["PORT": "3000", "HOST": "h"]
        ),
        .init(name: "export prefix", text: "export PORT=3000\nexport  HOST = h", expected: ["PORT": "3000", "HOST": "h"]),
        .init(name: "spaces around = and value", text: "  PORT =  3000  ", expected: ["PORT": "3000"]),
        .init(name: "empty value", text: "PAYMENT_API_KEY=", expected: ["PAYMENT_API_KEY": ""]),
        .init(name: "value containing =", text: "URL=https://x.example/?a=b&c=d", expected: ["URL": "https://x.example/?a=b&c=d"]),
        .init(name: "later line wins", text: "PORT=1\nPORT=2", expected: ["PORT": "2"]),
        .init(
            name: "double quotes with escapes",
            text: #"MESSAGE="line one\nline two"  "# + "\n" + #"QUOTE="say \"hi\"""# + "\n" + #"PATH_="C:\\dir""#,
            expected: ["MESSAGE": "line one\nline two", "QUOTE": #"say "hi""#, "PATH_": #"C:\dir"#]
        ),
        .init(name: "double quotes keep # and spaces", text: #"KEY=" a # b ""#, expected: ["KEY": " a # b "]),
        .init(name: "empty double quotes", text: #"KEY="""#, expected: ["KEY": ""]),
        .init(name: "single quotes are literal", text: #"KEY='a\nb "c" # d'"#, expected: ["KEY": #"a\nb "c" # d"#]),
        .init(name: "empty single quotes", text: "KEY=''", expected: ["KEY": ""]),
        .init(name: "inline comment after an unquoted value", text: "PORT=3000 # the port\nHOST=h   #  spaced", expected: ["PORT": "3000", "HOST": "h"]),
        .init(name: "# inside an unquoted value", text: "COLOR=#fff\nTAG=a#b", expected: ["COLOR": "#fff", "TAG": "a#b"]),
        .init(name: "inline comment after a double-quoted value", text: #"KEY="value" # comment"#, expected: ["KEY": "value"]),
        .init(name: "inline comment after a single-quoted value", text: "KEY='value' # comment", expected: ["KEY": "value"]),
        .init(name: "CRLF line endings", text: "PORT=3000\r\nHOST=h\r\n", expected: ["PORT": "3000", "HOST": "h"]),
        .init(
            name: "CRLF with comments and quotes",
            text: "# c\r\n\r\nexport A=\"x y\"\r\nB='z'\r\nC=1 # c\r\n",
            expected: ["A": "x y", "B": "z", "C": "1"]
        ),
    ]

    @Test("Valid files", arguments: cases)
    func parse(_ testCase: Case) throws {
        #expect(try DotEnvFile.parse(testCase.text) == testCase.expected)
    }

    @Test(
        "Invalid lines are reported with their line number",
        arguments: [
            ("PORT=3000\nnot a setting", ".env line 2", "expected KEY=value"),
            ("# comment\n\nPORT", ".env line 3", "expected KEY=value"),
            ("=value", ".env line 1", "'' is not a variable name"),
            ("A=1\nMY-VAR=1", ".env line 2", "'MY-VAR' is not a variable name"),
            ("A=1\r\nB=2\r\nMY VAR=1\r\n", ".env line 3", "'MY VAR' is not a variable name"),
            (#"KEY="unterminated"#, ".env line 1", "unterminated double quote"),
            (#"KEY=""#, ".env line 1", "unterminated double quote"),
            ("A=1\nKEY='unterminated", ".env line 2", "unterminated single quote"),
            ("KEY='", ".env line 1", "unterminated single quote"),
        ]
    )
    func invalid(text: String, variable: String, message: String) {
        #expect(throws: ConfigurationError(variable: variable, message)) {
            try DotEnvFile.parse(text)
        }
    }

    @Test("A closing double quote that is escaped does not terminate the value")
    func escapedClosingQuote() {
        #expect(throws: ConfigurationError(variable: ".env line 1", "unterminated double quote")) {
            try DotEnvFile.parse(#"KEY="abc\""#)
        }
    }
}
