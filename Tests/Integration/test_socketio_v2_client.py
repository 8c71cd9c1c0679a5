"""socket.io-client 2.x, the real one, against our server with `allowEIO3` on: its browser
bundle (`dist/socket.io.js` of the 2.x line of a fetched socketio/socket.io-client) in headless
Chromium, on polling, on websocket and on the default path (polling, then the upgrade).

The repository is found at SOCKETIO_CLIENT_GIT, or in MIRROR_DIR (default: the `.mirror` folder
beside this checkout) as `socketio+socket.io-client/repo`; without it these tests skip.
"""
import os
import subprocess
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from browser import open_browser
from conftest import REPO, start_conformance
from notifier import notifier_process, payment, post_webhook

CLIENT_GIT = Path(os.environ.get("SOCKETIO_CLIENT_GIT") or Path(os.environ.get("MIRROR_DIR") or REPO.parent / ".mirror") / "socketio+socket.io-client" / "repo")
TRANSPORTS = {"polling": ["polling"], "websocket": ["websocket"], "default": ["polling", "websocket"]}


def client_bundle() -> bytes:
    if not CLIENT_GIT.is_dir():
        pytest.skip(f"no socketio/socket.io-client repository at {CLIENT_GIT} (set SOCKETIO_CLIENT_GIT or MIRROR_DIR)")
    try:
        return subprocess.run(["git", "--git-dir", str(CLIENT_GIT), "show", "2.x:dist/socket.io.js"], check=True, capture_output=True, timeout=30).stdout
    except subprocess.CalledProcessError as error:
        pytest.skip(f"{CLIENT_GIT} has no 2.x branch with dist/socket.io.js: {error.stderr.decode().strip()}")


class PageServer:
    """Serves an empty page and the client bundle from an origin of its own, as a shop's site
    would: the client polls our server cross-origin, with credentials, as 2.x does by default."""

    def __init__(self, bundle: bytes):
        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def do_GET(self):
                body, kind = (bundle, "application/javascript") if self.path == "/socket.io-2.js" else (b'<!doctype html><script src="/socket.io-2.js"></script>', "text/html")
                self.send_response(200)
                self.send_header("Content-Type", kind)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def stop(self):
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture(scope="module")
def page_server():
    server = PageServer(client_bundle())
    yield server
    server.stop()


@pytest.fixture(scope="module")
def browser(page_server):
    driver = open_browser()
    driver.get(page_server.url)
    assert driver.execute_script("return io.protocol") == 4, "the bundle is socket.io-client 2.x (Socket.IO protocol 4)"
    yield driver
    driver.quit()


@pytest.fixture(scope="module")
def eio3_server(tmp_path_factory):
    server = start_conformance(tmp_path_factory, "--allow-eio3")
    yield server
    server.stop()


def run_in_page(browser, script, *arguments):
    """Runs `script` (an async function body with `url`, `transports` and the arguments in
    scope, its result returned) in the page; every socket it opens is closed afterwards."""
    return browser.execute_async_script(
        """
        const done = arguments[arguments.length - 1];
        const sockets = [];
        const connect = (url, options) => { const s = io(url, { forceNew: true, reconnection: false, ...options }); sockets.push(s); return s; };
        const once = (socket, event) => new Promise((resolve) => socket.once(event, (...args) => resolve(args)));
        const within = (promise, ms, what) => Promise.race([promise, new Promise((_, reject) => setTimeout(() => reject(new Error("no " + what + " within " + ms + " ms")), ms))]);
        (async (...args) => {""" + script + """})(...Array.from(arguments).slice(0, -1))
            .then((result) => done({ result }), (error) => done({ error: String(error && error.stack || error) }))
            .finally(() => sockets.forEach((s) => s.close()));
        """,
        *arguments,
    )


def result_of(outcome):
    assert "error" not in outcome, outcome["error"]
    return outcome["result"]


@pytest.mark.parametrize("transport", TRANSPORTS)
def test_events_acks_and_binary_both_ways(browser, eio3_server, transport):
    outcome = run_in_page(browser, """
        const [url, transports] = args;
        const socket = connect(url, { transports });
        const connected = once(socket, "connect");
        const [auth] = await within(once(socket, "auth"), 5000, "auth event");
        await within(connected, 5000, "connect");
        const ack = await within(new Promise((resolve) => socket.emit("message-with-ack", "héllo 😀", { a: [1, 2] }, (...answer) => resolve(answer))), 5000, "ack");
        socket.emit("message", new Uint8Array([0, 1, 2, 255]).buffer, "text");
        const [bytes, text] = await within(once(socket, "message-back"), 5000, "binary echo");
        socket.emit("ask-client", "question");
        socket.once("server-question", (question, answer) => answer(question + "?", 42));
        const clientAnswer = await within(once(socket, "client-answer"), 5000, "client-answer");
        if (transports.length > 1 && socket.io.engine.transport.name !== "websocket") await within(once(socket.io.engine, "upgrade"), 5000, "upgrade");
        return { auth, ack, bytes: Array.from(new Uint8Array(bytes)), text, clientAnswer,
                 id: socket.id, engineID: socket.io.engine.id, transport: socket.io.engine.transport.name };
    """, eio3_server.url, TRANSPORTS[transport])
    result = result_of(outcome)
    assert result["auth"] == {}, "the default namespace is connected without a CONNECT, with empty auth"
    assert result["ack"] == ["héllo 😀", {"a": [1, 2]}]
    assert result["bytes"] == [0, 1, 2, 255] and result["text"] == "text"
    assert result["clientAnswer"] == ["question?", 42]
    assert result["id"] == result["engineID"], "a 2.x client's socket id is its session id, as the client computes it"
    assert result["transport"] == ("polling" if transport == "polling" else "websocket")


@pytest.mark.parametrize("transport", TRANSPORTS)
def test_namespaces_take_their_auth_from_the_query_and_refusals_arrive_as_errors(browser, eio3_server, transport):
    outcome = run_in_page(browser, """
        const [url, transports] = args;
        const refused = connect(url + "/private", { transports, query: { token: "nope" } });
        const [refusal] = await within(once(refused, "error"), 5000, "refusal");
        const admitted = connect(url + "/private", { transports, query: { token: "letmein" } });
        const [welcome] = await within(once(admitted, "welcome"), 5000, "welcome");
        const custom = connect(url + "/custom", { transports, query: { shop: "s-1" } });
        const [auth] = await within(once(custom, "auth"), 5000, "auth");
        return { refusal, welcome, auth, id: admitted.id, engineID: admitted.io.engine.id };
    """, eio3_server.url, TRANSPORTS[transport])
    result = result_of(outcome)
    assert result["refusal"] == {"reason": "missing or wrong token"}, "the middleware's data, as Node sends it to 2.x clients"
    assert result["welcome"] == "private"
    assert result["auth"]["shop"] == "s-1", "the namespace's query is its handshake auth"
    assert result["id"] == "/private#" + result["engineID"]


@pytest.mark.parametrize("transport", ["polling", "websocket"])
def test_the_client_heartbeat_keeps_an_idle_connection_open(browser, eio3_server, transport):
    # pingInterval 300 ms, pingTimeout 200 ms: two seconds are four lifetimes of an unanswered
    # session; the client pings, we answer, nobody drops.
    outcome = run_in_page(browser, """
        const [url, transports] = args;
        const socket = connect(url, { transports });
        await within(once(socket, "connect"), 5000, "connect");
        let pongs = 0, disconnects = [];
        socket.io.engine.on("pong", () => pongs++);
        socket.on("disconnect", (reason) => disconnects.push(reason));
        await new Promise((resolve) => setTimeout(resolve, 2000));
        return { pongs, disconnects: disconnects.slice(), connected: socket.connected };
    """, eio3_server.url, TRANSPORTS[transport])
    result = result_of(outcome)
    assert result["disconnects"] == [] and result["connected"]
    assert result["pongs"] >= 4, result


def test_without_allow_eio3_a_2x_client_is_refused(browser, conformance_server):
    outcome = run_in_page(browser, """
        const [url] = args;
        const socket = connect(url, { transports: ["polling"] });
        const [error] = await within(once(socket, "connect_error"), 5000, "connect_error");
        return String(error && (error.description || error.message || error));
    """, conformance_server.url)
    assert result_of(outcome), "the client is told it cannot connect"


def test_a_2x_page_gets_its_payment_from_the_notifier(browser, page_server, tmp_path):
    origin = page_server.url.rstrip("/")
    server = notifier_process(tmp_path, env={"ALLOW_EIO3": "1", "FRONTEND_URL": origin}).start(ready_path="/healthz")
    try:
        browser.execute_script("""
            window.paid = [];
            window.notifier = io(arguments[0], { forceNew: true, transports: ["polling", "websocket"] });
            window.notifier.on("payment_confirmed", (event) => window.paid.push(event));
            window.notifier.emit("subscribe_booking", { bookingId: "BK-v2" }, (answer) => { window.subscribed = answer; });
        """, server.url)
        from browser import wait_until
        wait_until(browser, lambda: browser.execute_script("return window.subscribed !== undefined"), 10, "never subscribed")
        assert post_webhook(server, payment("BK-v2", "TXN-v2"))[0] == 200
        wait_until(browser, lambda: browser.execute_script("return window.paid.length") == 1, 10, "the payment never reached the 2.x page")
        assert browser.execute_script("return window.paid[0].bookingId") == "BK-v2"
    finally:
        browser.execute_script("window.notifier && window.notifier.close()")
        server.stop()


def _poll(server, query="", data=None, headers=None):
    import urllib.error
    import urllib.request

    request = urllib.request.Request(f"{server.url}/socket.io/?EIO=3&transport=polling{query}", data=data, headers=headers or {})
    try:
        with urllib.request.urlopen(request, timeout=5) as response:
            return response.status, response.headers["Content-Type"], response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.headers["Content-Type"], error.read()


def test_an_eio3_handshake_is_refused_unless_allowed(conformance_server):
    import json

    status, kind, body = _poll(conformance_server)
    assert (status, kind) == (400, "application/json")
    assert json.loads(body) == {"code": 5, "message": "Unsupported protocol version"}


def test_an_eio3_handshake_is_length_prefixed_and_connects_the_default_namespace(eio3_server):
    import json

    status, kind, body = _poll(eio3_server)
    assert status == 200 and kind.startswith("text/plain")
    length, _, packet = body.decode().partition(":")
    assert int(length) == len(packet) and packet.startswith("0{")
    sid = json.loads(packet[1:])["sid"]
    assert _poll(eio3_server, f"&sid={sid}")[2].startswith(b"2:40"), "the server connected / without being asked"


def test_a_malformed_eio3_payload_is_refused_and_ends_the_session(eio3_server):
    import json

    sid = json.loads(_poll(eio3_server)[2].decode().partition(":")[2][1:])["sid"]
    status, _, body = _poll(eio3_server, f"&sid={sid}", data="9:4hi".encode())
    assert status == 400 and json.loads(body)["message"] == "Bad request"
    status, _, body = _poll(eio3_server, f"&sid={sid}")
    assert status == 400 and json.loads(body) == {"code": 1, "message": "Session ID unknown"}
