import Foundation
import Hummingbird

/// The demo checkout page, `/demo?booking=ID&amount=N`, with its script and style sheet: the
/// whole product in one browser tab (QR code, live status, and in development mode a button
/// that simulates the provider's webhook). Served only when `DEMO=1` or in development mode.
struct DemoPage<Context: RemoteAddressRequestContext>: Sendable {
    /// Nil: no simulate button (anything but development mode).
    let simulator: PaymentSimulator<Context>?
    let page: StaticAsset
    let script = StaticAsset(bytes: PackageResources.demo_js, contentType: "text/javascript; charset=utf-8", cacheControl: "no-cache")
    let styleSheet = StaticAsset(bytes: PackageResources.demo_css, contentType: "text/css; charset=utf-8", cacheControl: "no-cache")

    init(simulator: PaymentSimulator<Context>?) {
        self.simulator = simulator
        // The page's script offers the simulate button only when its body says so.
        let html = String(decoding: PackageResources.demo_html, as: UTF8.self)
            .replacingOccurrences(of: #"data-simulate="off""#, with: #"data-simulate="\#(simulator == nil ? "off" : "on")""#)
        self.page = StaticAsset(bytes: Array(html.utf8), contentType: "text/html; charset=utf-8", cacheControl: "no-cache")
    }

    /// `GET /demo`, its assets, and `POST /demo/simulate` behind the webhook routes' guard.
    func addRoutes(to router: Router<Context>, webhookGuard: WebhookGuard<Context>) {
        self.page.serve(at: "/demo", on: router)
        self.script.serve(at: "/demo/demo.js", on: router)
        self.styleSheet.serve(at: "/demo/demo.css", on: router)
        if let simulator = self.simulator {
            router.group("/demo/simulate").add(middleware: webhookGuard).post { request, _ in
                await simulator.simulate(request)
            }
        }
    }
}
