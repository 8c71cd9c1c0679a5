"""The operator dashboard's server side against the built server: off without a token; login by
the token in the body only, a signed HttpOnly/SameSite=Strict cookie, rate-limited wrong
tokens, logout; the data API behind the cookie (and a header for what changes something); the
/admin Socket.IO namespace refused without the cookie and fed live with it."""
import asyncio
import time

import pytest
import socketio

from admin import ADMIN_TOKEN, CSRF_HEADER, Operator, admin_env, admin_request, dashboard_server, log_in, set_cookie
from callbacks import MerchantReceiver
from conftest import run
from notifier import notifier_process, payment, post_webhook
from providers import MERCHANT_API_KEY, sepay_body, sepay_headers


@pytest.fixture
def receiver():
    # Refused: the payment's event fails after two attempts (the schedule has one wait).
    merchant = MerchantReceiver(script=[410])
    yield merchant
    merchant.stop()


@pytest.fixture
def server(tmp_path, receiver):
    process = dashboard_server(tmp_path, receiver, schedule="200ms")
    yield process
    process.stop()


def test_without_a_token_there_is_no_dashboard_and_no_admin_namespace(tmp_path):
    server = notifier_process(tmp_path).start(ready_path="/healthz")
    try:
        for method, path in [("GET", "/admin"), ("POST", "/admin/login"), ("GET", "/admin/api/overview"), ("GET", "/admin/admin.js")]:
            assert admin_request(server, method, path)[0] == 404, path

        async def scenario():
            # Neither through the dashboard's endpoint (absent) nor through the customers' one.
            with pytest.raises(socketio.exceptions.ConnectionError):
                await Operator().open(server)
            client = socketio.AsyncClient(reconnection=False)
            errors = asyncio.Queue()
            client.on("connect_error", errors.put_nowait, namespace="/admin")
            with pytest.raises(socketio.exceptions.ConnectionError):
                await client.connect(server.url, namespaces=["/admin"], transports=["websocket"], wait_timeout=5)
            assert await asyncio.wait_for(errors.get(), 5) == {"message": "Invalid namespace"}
            await client.disconnect()

        run(scenario())
        assert "The operator dashboard is off" in server.log_path.read_text()
    finally:
        server.stop()


def test_the_page_is_served_with_a_content_security_policy(server):
    status, headers, page = admin_request(server, "GET", "/admin")
    assert status == 200 and headers["Content-Type"] == "text/html; charset=utf-8"
    assert "script-src 'self'" in headers["Content-Security-Policy"] and "frame-ancestors 'none'" in headers["Content-Security-Policy"]
    assert '<label for="token">Admin token</label>' in page
    assert "<script>" not in page and " style=" not in page, "the CSP forbids inline script and style"
    for asset in ("/admin/admin.js", "/admin/admin.css", "/client/paynotify.js"):
        assert admin_request(server, "GET", asset)[0] == 200


def test_a_wrong_token_is_refused_with_401_and_no_cookie(server):
    for body in ({"token": "wrong-token-0123456789abcdef"}, {"token": ADMIN_TOKEN[:-1]}, {"token": MERCHANT_API_KEY}):
        status, headers, answer = admin_request(server, "POST", "/admin/login", body)
        assert (status, answer) == (401, {"success": False, "error": "wrong admin token"})
        assert set_cookie(headers) is None
    status, headers, answer = admin_request(server, "POST", "/admin/login", form="token=nope")
    assert status == 401 and set_cookie(headers) is None


def test_the_token_is_taken_from_the_body_only_never_the_query_string(server):
    status, headers, answer = admin_request(server, "POST", f"/admin/login?token={ADMIN_TOKEN}")
    assert status == 400 and "token" in answer["error"]
    assert set_cookie(headers) is None


def test_the_right_token_sets_a_signed_httponly_strict_cookie(server):
    for kwargs in ({"body": {"token": ADMIN_TOKEN}}, {"form": f"token={ADMIN_TOKEN}"}):
        status, headers, answer = admin_request(server, "POST", "/admin/login", **kwargs)
        assert status == 200 and answer["success"] is True and answer["expiresAt"].endswith("Z")
        cookie = set_cookie(headers)
        assert cookie["httponly"] and cookie["samesite"] == "Strict" and cookie["path"] == "/"
        assert int(cookie["max-age"]) == 12 * 3600
        assert not cookie["secure"], "plain HTTP: a Secure cookie would not be kept"
        assert ADMIN_TOKEN not in cookie.value
        assert admin_request(server, "GET", "/admin/api/overview", session=cookie.value)[0] == 200
    _, headers, _ = admin_request(server, "POST", "/admin/login", {"token": ADMIN_TOKEN}, headers={"X-Forwarded-Proto": "https"})
    assert set_cookie(headers)["secure"], "behind a TLS proxy the cookie is Secure"
    assert ADMIN_TOKEN not in server.log_path.read_text()


def test_the_merchant_key_logs_in_only_when_no_admin_token_is_set(tmp_path):
    server = notifier_process(tmp_path, env={"MERCHANT_API_KEY": MERCHANT_API_KEY}).start(ready_path="/healthz")
    try:
        assert admin_request(server, "POST", "/admin/login", {"token": MERCHANT_API_KEY})[0] == 200
        assert "Operator dashboard at /admin, logged in with MERCHANT_API_KEY" in server.log_path.read_text()
    finally:
        server.stop()


def test_wrong_tokens_are_rate_limited_per_address(server):
    statuses = [admin_request(server, "POST", "/admin/login", {"token": f"guess-{n:020d}"})[0] for n in range(12)]
    assert statuses[:10] == [401] * 10
    status, headers, answer = admin_request(server, "POST", "/admin/login", {"token": ADMIN_TOKEN})
    assert status == 429 and int(headers["Retry-After"]) >= 1 and "too many" in answer["error"]


def test_the_api_needs_the_cookie_and_changes_need_the_header(server):
    for path in ("/admin/api/overview", "/admin/api/callbacks", "/admin/api/unmatched"):
        status, _, answer = admin_request(server, "GET", path)
        assert (status, answer) == (401, {"success": False, "error": "unauthorized: log in at /admin"})
        assert admin_request(server, "GET", path, session="v1.9999999999.AAAA.AAAA")[0] == 401
    session = log_in(server)
    tampered = session.split(".")
    tampered[1] = str(int(tampered[1]) + 3600)
    assert admin_request(server, "GET", "/admin/api/overview", session=".".join(tampered))[0] == 401
    event = "/admin/api/events/evt_" + "0" * 32 + "/redeliver"
    assert admin_request(server, "POST", event)[0] == 401
    status, _, answer = admin_request(server, "POST", event, session=session)
    assert status == 403 and "X-PayNotify-Admin" in answer["error"]
    assert admin_request(server, "POST", event, session=session, headers=CSRF_HEADER)[0] == 404


def test_logout_clears_the_cookie(server):
    status, headers, _ = admin_request(server, "POST", "/admin/logout", session=log_in(server))
    cookie = set_cookie(headers)
    assert status == 200 and cookie.value == "" and cookie["max-age"] == "0" and cookie["path"] == "/"


def test_the_panels_read_the_node_the_undelivered_callbacks_and_the_unmatched_transfers(server, receiver):
    session = log_in(server)
    assert post_webhook(server, payment("BK-panel", "t-panel")) == (200, {"success": True})
    assert post_webhook(server, sepay_body(4242, "no code here", 90000), path="/webhook/sepay", headers=sepay_headers())[0] == 200
    deadline = time.monotonic() + 10
    while True:
        _, _, callbacks = admin_request(server, "GET", "/admin/api/callbacks", session=session)
        if [event["state"] for event in callbacks["events"]] == ["failed", "failed"] or time.monotonic() > deadline:
            break
        time.sleep(0.1)
    assert [(event["type"], event["state"]) for event in callbacks["events"]] == [("transfer.unmatched", "failed"), ("payment.confirmed", "failed")]
    _, _, unmatched = admin_request(server, "GET", "/admin/api/unmatched", session=session)
    assert [(t["transactionId"], t["amount"]) for t in unmatched["transactions"]] == [("4242", 90000)]
    _, _, overview = admin_request(server, "GET", "/admin/api/overview", session=session)
    assert overview["callbacksEnabled"] is True and overview["sessionExpiresAt"].endswith("Z")
    node = overview["node"]
    assert node["node"]["id"] and node["sockets"] == 0 and node["watchedBookings"] == 0
    assert sum(minute["counts"].get("new", 0) for minute in node["webhookMinutes"]) == 1
    assert sum(minute["counts"].get("unmatched", 0) for minute in node["webhookMinutes"]) == 1
    assert admin_request(server, "GET", "/admin/api/callbacks?limit=0", session=session)[0] == 400


def test_the_namespace_refuses_sockets_without_a_valid_session(server):
    async def scenario():
        for session in (None, "v1.1.AAAA.AAAA"):
            operator = Operator()
            with pytest.raises(socketio.exceptions.ConnectionError):
                await operator.open(server, session=session)
            assert await asyncio.wait_for(operator.errors.get(), 5) == {"message": "unauthorized: log in at /admin"}
            await operator.close()

    run(scenario())


@pytest.mark.parametrize("transports", [("websocket",), ("polling",)])
def test_an_operator_hears_payments_unmatched_transfers_callback_attempts_and_node_reports(server, transports):
    session = log_in(server)

    async def scenario():
        operator = await Operator().open(server, session=session, transports=transports)
        report = await operator.next("node", timeout=8)
        assert report["node"]["id"] and report["operators"] == 1
        started = time.monotonic()
        assert (await asyncio.get_running_loop().run_in_executor(None, post_webhook, server, payment("BK-live", "t-live", 750000)))[0] == 200
        message = await operator.next("payment")
        assert time.monotonic() - started < 1
        assert message["payment"]["bookingId"] == "BK-live" and message["payment"]["amount"] == 750000
        assert message["payment"]["role"] == "confirmation" and message["event"]["type"] == "payment.confirmed"
        # 410 counts toward giving up: retried once (the schedule has one wait), then failed.
        attempts = [await operator.next("callback"), await operator.next("callback")]
        assert {attempt["event"]["id"] for attempt in attempts} == {message["event"]["id"]}
        assert [(a["event"]["state"], a["attempt"]["number"], a["attempt"]["statusCode"]) for a in attempts] == [("pending", 1, 410), ("failed", 2, 410)]
        assert attempts[0]["event"]["nextAttemptAt"].endswith("Z") and attempts[1]["event"]["nextAttemptAt"] is None
        await asyncio.get_running_loop().run_in_executor(
            None, lambda: post_webhook(server, sepay_body(777, "nothing", 5000), path="/webhook/sepay", headers=sepay_headers())
        )
        unmatched = await operator.next("unmatched")
        assert unmatched["transaction"]["transactionId"] == "777" and unmatched["event"]["type"] == "transfer.unmatched"
        await operator.close()

    run(scenario())


def test_in_a_cluster_an_operator_on_one_node_hears_the_other_nodes(tmp_path, redis):
    from cluster import start_nodes

    a, b = start_nodes(tmp_path, redis, count=2, env=admin_env())
    try:
        # The session signed on node b is accepted on node a: one token, one key.
        session = log_in(b)

        async def scenario():
            operator = await Operator().open(a, session=session)
            reported = set()
            while len(reported) < 2:
                reported.add((await operator.next("node", timeout=8))["node"]["id"])
            assert (await asyncio.get_running_loop().run_in_executor(None, post_webhook, b, payment("BK-cluster", "t-cluster")))[0] == 200
            message = await operator.next("payment")
            assert message["payment"]["bookingId"] == "BK-cluster"
            await operator.close()
            return reported, message["node"]

        reported, sender = run(scenario())
        _, _, overview_a = admin_request(a, "GET", "/admin/api/overview", session=session)
        _, _, overview_b = admin_request(b, "GET", "/admin/api/overview", session=session)
        assert reported == {overview_a["node"]["node"]["id"], overview_b["node"]["node"]["id"]}
        assert sender == overview_b["node"]["node"]["id"], "the payment was told by the node that recorded it"
    finally:
        for node in (a, b):
            node.stop()
