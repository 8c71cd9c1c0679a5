import Hummingbird

/// `GET /openapi.json`: the OpenAPI 3.1 document of the merchant-facing HTTP API (webhooks, the
/// merchant API, health, metrics, and the callbacks PayNotify sends), compiled into the binary.
/// `Tests/Integration/test_openapi.py` keeps it true: every route the server has is in it,
/// everything in it is a route, and the answers match its schemas.
enum OpenAPIDocument {
    static let path = "/openapi.json"
    static let document = StaticAsset(
        bytes: PackageResources.openapi_json,
        contentType: "application/json",
        cacheControl: "public, max-age=300",
        allowsAnyOrigin: true
    )

    static func addRoutes<Context: RequestContext>(to router: Router<Context>) {
        Self.document.serve(at: Self.path, on: router)
    }
}
