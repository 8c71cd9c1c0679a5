import HTTPTypes
import Hummingbird

/// The dashboard's files: `GET /admin` (one page: the login form, then the panels), its script
/// and style sheet, compiled into the binary. The page runs no inline script or style, so its
/// Content-Security-Policy allows only its own files and its own origin's API and socket.
enum AdminPage {
    static let securityHeaders: HTTPFields = [
        .contentSecurityPolicy: "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; connect-src 'self'; "
            + "base-uri 'none'; form-action 'self'; frame-ancestors 'none'",
        .xFrameOptions: "DENY",
        .referrerPolicy: "no-referrer",
    ]
    static let page = StaticAsset(bytes: PackageResources.admin_html, contentType: "text/html; charset=utf-8", cacheControl: "no-cache", headers: Self.securityHeaders)
    static let script = StaticAsset(bytes: PackageResources.admin_js, contentType: "text/javascript; charset=utf-8", cacheControl: "no-cache")
    static let styleSheet = StaticAsset(bytes: PackageResources.admin_css, contentType: "text/css; charset=utf-8", cacheControl: "no-cache")

    static func addRoutes<Context: RequestContext>(to router: Router<Context>) {
        Self.page.serve(at: "/admin", on: router)
        Self.script.serve(at: "/admin/admin.js", on: router)
        Self.styleSheet.serve(at: "/admin/admin.css", on: router)
    }
}

extension HTTPField.Name {
    static let xFrameOptions = HTTPField.Name("X-Frame-Options")!
    static let referrerPolicy = HTTPField.Name("Referrer-Policy")!
}
