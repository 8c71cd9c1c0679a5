import EngineIO
import HTTPTypes
import Hummingbird
import Logging

/// Gives every HTTP request an id: the caller's `X-Request-ID` when it is sane (1–128 letters,
/// digits, `-`, `_`, `.`, `:`), a new random one otherwise. The id goes into the request's logger
/// metadata (`request`), so every line logged about the request carries it, and back to the
/// caller as `X-Request-ID`.
struct RequestIDMiddleware<Context: RequestContext>: RouterMiddleware {
    let ids = RandomIDGenerator()

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let id = request.headers[.xRequestID].flatMap(RequestID.sane) ?? self.ids.next()
        var context = context
        // One id per request in the logs: this one replaces the one Hummingbird made up.
        context.logger[metadataKey: "hb.request.id"] = nil
        context.logger[metadataKey: RequestID.metadataKey] = .string(id)
        do {
            var response = try await next(request, context)
            response.headers[.xRequestID] = id
            return response
        } catch let error as any HTTPResponseError {
            // Errors become responses further out; the id still goes back with them.
            var response = try error.response(from: request, context: context)
            response.headers[.xRequestID] = id
            return response
        }
    }

}

/// What makes a request id.
enum RequestID {
    static let metadataKey = "request"
    private static let punctuation: [UInt8] = Array("-_.:".utf8)

    /// The id if it may be used as it is: 1–128 of `A-Z a-z 0-9 - _ . :`.
    static func sane(_ id: String) -> String? {
        guard (1...128).contains(id.utf8.count),
            id.utf8.allSatisfy({ byte in
                (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte) || (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(byte)
                    || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) || Self.punctuation.contains(byte)
            })
        else { return nil }
        return id
    }

}

extension HTTPField.Name {
    static let xRequestID = HTTPField.Name("X-Request-ID")!
}
