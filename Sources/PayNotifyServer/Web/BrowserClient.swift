import Hummingbird

/// `GET /client/paynotify.js`: the browser client (`Web/paynotify.js`) for checkout pages to
/// import, from any origin (module scripts need CORS). Cached briefly, then revalidated by its
/// hash; the README publishes the same hash for Subresource Integrity.
enum BrowserClient {
    static let path = "/client/paynotify.js"
    static let script = StaticAsset(
        bytes: PackageResources.paynotify_js,
        contentType: "text/javascript; charset=utf-8",
        cacheControl: "public, max-age=300",
        allowsAnyOrigin: true
    )

    static func addRoutes<Context: RequestContext>(to router: Router<Context>) {
        Self.script.serve(at: Self.path, on: router)
    }
}
