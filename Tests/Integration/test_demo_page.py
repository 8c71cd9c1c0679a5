"""The browser client and the demo page over HTTP: what is served when, with which headers,
and the simulate button's webhook with every bad input refused and nothing recorded."""
import base64
import hashlib
import re
import urllib.error
import urllib.request

import pytest

from conftest import REPO, run
from notifier import Page, notifier_process, post_webhook
from security import JWT_SECRET, STANDARD_SECRET

CLIENT_FILE = REPO / "Sources" / "PayNotifyServer" / "Web" / "paynotify.js"
PRODUCTION = {"PAYNOTIFY_ENV": "production", "WEBHOOK_SECRET": STANDARD_SECRET, "JWT_SECRET": JWT_SECRET, "FRONTEND_URL": "https://shop.example"}


def integrity(data: bytes) -> str:
    return "sha384-" + base64.b64encode(hashlib.sha384(data).digest()).decode()


def fetch(server, path, method="GET", headers=None, data=None):
    request = urllib.request.Request(server.url + path, method=method, headers=headers or {}, data=data)
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, response.headers, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.headers, error.read()


@pytest.fixture
def server(tmp_path):
    process = notifier_process(tmp_path).start(ready_path="/healthz")
    yield process
    process.stop()


def start(tmp_path, env):
    return notifier_process(tmp_path, env=env).start(ready_path="/healthz")


def test_client_script_is_served_with_cache_headers_and_its_published_hash(server):
    status, headers, body = fetch(server, "/client/paynotify.js")
    assert status == 200
    assert body == CLIENT_FILE.read_bytes()
    assert headers["Content-Type"] == "text/javascript; charset=utf-8"
    assert headers["Cache-Control"] == "public, max-age=300"
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["Access-Control-Allow-Origin"] == "*", "a checkout page on another origin imports it"
    assert headers["ETag"] == f'"{integrity(body)}"'
    published = re.findall(r'href="https://pay\.example/client/paynotify\.js" integrity="(sha384-[A-Za-z0-9+/=]+)"', (REPO / "README.md").read_text())
    assert published == [integrity(body)], f"README's integrity hash is stale: publish {integrity(body)}"


def test_head_answers_the_headers_of_get_without_the_body(server):
    _, get_headers, body = fetch(server, "/client/paynotify.js")
    status, headers, head_body = fetch(server, "/client/paynotify.js", method="HEAD")
    assert (status, head_body) == (200, b"")
    assert headers["ETag"] == get_headers["ETag"]
    assert headers["Content-Length"] == str(len(body))


def test_client_script_is_revalidated_by_its_etag(server):
    _, headers, _ = fetch(server, "/client/paynotify.js")
    etag = headers["ETag"]
    for condition in (etag, f"W/{etag}", f'"other", {etag}', "*"):
        status, headers, body = fetch(server, "/client/paynotify.js", headers={"If-None-Match": condition})
        assert (status, body, headers["ETag"]) == (304, b"", etag), condition
    status, _, body = fetch(server, "/client/paynotify.js", headers={"If-None-Match": '"sha384-stale"'})
    assert status == 200 and body == CLIENT_FILE.read_bytes()


def test_demo_page_in_development_offers_the_simulate_button(server):
    status, headers, body = fetch(server, "/demo?booking=BK123&amount=500000")
    assert status == 200
    assert headers["Content-Type"] == "text/html; charset=utf-8"
    assert b'data-simulate="on"' in body
    for path, content_type in (("/demo/demo.js", "text/javascript; charset=utf-8"), ("/demo/demo.css", "text/css; charset=utf-8")):
        status, headers, _ = fetch(server, path)
        assert (status, headers["Content-Type"], headers["Cache-Control"]) == (200, content_type, "no-cache")


def test_demo_zero_turns_the_page_off_but_not_the_client(tmp_path):
    server = start(tmp_path, {"DEMO": "0"})
    try:
        assert fetch(server, "/demo")[0] == 404
        assert fetch(server, "/demo/simulate", method="POST", data=b'{"bookingId":"b","amount":1}')[0] == 404
        assert fetch(server, "/client/paynotify.js")[0] == 200
    finally:
        server.stop()


def test_production_serves_the_demo_only_with_demo_one_and_never_the_simulate_button(tmp_path):
    server = start(tmp_path, PRODUCTION)
    try:
        assert fetch(server, "/demo")[0] == 404
    finally:
        server.stop()
    server = start(tmp_path, {**PRODUCTION, "DEMO": "1"})
    try:
        status, _, body = fetch(server, "/demo?booking=BK1&amount=1")
        assert status == 200 and b'data-simulate="off"' in body
        assert fetch(server, "/demo/simulate", method="POST", data=b'{"bookingId":"BK1","amount":1}')[0] == 404
    finally:
        server.stop()


def test_an_invalid_demo_value_stops_start_up_naming_it(tmp_path):
    server = notifier_process(tmp_path, env={"DEMO": "maybe"})
    with pytest.raises(RuntimeError, match="server exited"):
        server.start(ready_path="/healthz")
    server.stop()
    assert "DEMO: 'maybe' is not 1 or 0" in (tmp_path / "serve.log").read_text()


def simulate(server, raw):
    return post_webhook(server, None, path="/demo/simulate", raw=raw)


def test_simulate_records_like_a_webhook_notifies_once_and_a_second_press_is_a_duplicate(server):
    async def scenario():
        page = await Page().open(server)
        assert await page.subscribe("BK-sim") == {"ok": True, "status": "pending"}
        assert simulate(server, b'{"bookingId":"BK-sim","amount":500000}') == (200, {"success": True})
        success, confirmed = await page.payment_events()
        assert success["transactionId"] == confirmed["transactionId"]
        assert re.fullmatch(r"demo-[0-9a-f]{16}", success["transactionId"])
        assert confirmed["amount"] == 500000
        assert simulate(server, b'{"bookingId":"BK-sim","amount":500000}') == (200, {"success": True, "duplicate": True})
        await page.assert_no_event()
        await page.close()

    run(scenario())


@pytest.mark.parametrize(
    "raw, error",
    [
        (b"not json", 'body must be a JSON object like {"bookingId":"BK123","amount":500000}'),
        (b'["BK-bad", 1]', 'body must be a JSON object like {"bookingId":"BK123","amount":500000}'),
        (b'{"amount":1}', "bookingId is required"),
        (b'{"bookingId":"","amount":1}', "bookingId must not be empty"),
        (b'{"bookingId":"BK-bad"}', "amount is required"),
        (b'{"bookingId":"BK-bad","amount":"500000"}', "amount must be a number, not a string"),
        (b'{"bookingId":"BK-bad","amount":-1}', "amount must not be negative"),
        (b'{"bookingId":"' + b"x" * 5000 + b'","amount":1}', "body larger than 4096 bytes"),
    ],
)
def test_simulate_refuses_bad_input_and_records_nothing(server, raw, error):
    assert simulate(server, raw) == (400, {"success": False, "error": error})

    async def still_pending():
        page = await Page().open(server)
        assert await page.subscribe("BK-bad") == {"ok": True, "status": "pending"}
        await page.close()

    run(still_pending())


def test_simulate_signs_with_the_webhook_secret_that_unsigned_posts_lack(tmp_path):
    server = start(tmp_path, {"WEBHOOK_SECRET": STANDARD_SECRET})
    try:
        assert post_webhook(server, {"bookingId": "BK-signed", "transactionId": "t", "amount": 1, "status": "success"})[0] == 401
        assert simulate(server, b'{"bookingId":"BK-signed","amount":1}') == (200, {"success": True})
    finally:
        server.stop()
