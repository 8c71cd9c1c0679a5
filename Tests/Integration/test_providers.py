"""Real provider webhooks against the built server: pay2s, SePay and Casso payloads built from
their documented fields, memo matching, unmatched transfers, expected amounts and VietQR links."""
import json
import urllib.parse

import pytest

from cluster import RedisServer, start_nodes
from conftest import run
from notifier import Page, booking_status, notifier_process, payment, post_webhook, post_webhook_async
from providers import (
    PROVIDER_ENV, api, casso_body, casso_headers, pay2s_body, pay2s_headers, pay2s_transaction, sepay_body,
    sepay_headers,
)


@pytest.fixture
def server(tmp_path):
    process = notifier_process(tmp_path, env=PROVIDER_ENV).start(ready_path="/healthz")
    yield process
    process.stop()


def test_pay2s_several_transactions_in_one_call_outgoing_ignored_retry_notifies_once(server):
    async def scenario():
        first, second, outgoing = await Page().open(server), await Page().open(server), await Page().open(server)
        await first.subscribe("BK1001")
        await second.subscribe("BK1002")
        await outgoing.subscribe("BK1003")
        body = pay2s_body(
            pay2s_transaction("1788052", "BK1001 GD 789604-040125 00:05:38", 50000),
            pay2s_transaction("1788053", "BK1003 hoan tien", 70000, transfer_type="OUT"),
            pay2s_transaction("1788054", "mbvcb.123.bk1002  .CT tu 0123456789", 120000),
        )
        # pay2s stops retrying only on HTTP 200 with {"success": true}.
        assert await post_webhook_async(server, body, path="/webhook/pay2s", headers=pay2s_headers()) == (200, {"success": True})
        success, confirmed = await first.payment_events()
        assert (success["bookingId"], success["transactionId"], success["amount"]) == ("BK1001", "1788052", 50000)
        assert confirmed == {"bookingId": "BK1001", "transactionId": "1788052", "amount": 50000, "confirmed": True}
        success, _ = await second.payment_events()
        assert (success["bookingId"], success["transactionId"], success["amount"]) == ("BK1002", "1788054", 120000)
        await outgoing.assert_no_event()
        # pay2s retries the same call: nobody is told twice.
        assert await post_webhook_async(server, body, path="/webhook/pay2s", headers=pay2s_headers()) == (200, {"success": True, "duplicate": True})
        await first.assert_no_event()
        await second.assert_no_event()
        for page in (first, second, outgoing):
            await page.close()

    run(scenario())
    assert booking_status(server, "BK1003") == "pending"


def test_sepay_code_when_present_else_content_and_money_out_ignored(server):
    async def scenario():
        page = await Page().open(server)
        await page.subscribe("BK2001")
        await page.subscribe("BK2002")
        with_code = sepay_body(92704, "MBVCB.3278907687.thanh toan don hang.CT tu 0123", code="BK2001")
        assert await post_webhook_async(server, with_code, path="/webhook/sepay", headers=sepay_headers()) == (200, {"success": True})
        success, _ = await page.payment_events()
        assert (success["bookingId"], success["transactionId"], success["amount"]) == ("BK2001", "92704", 2277000)
        from_content = sepay_body(92705, "NGUYEN VAN A chuyen tien bk 2002 ", amount=1500000)
        assert await post_webhook_async(server, from_content, path="/webhook/sepay", headers=sepay_headers()) == (200, {"success": True})
        success, _ = await page.payment_events()
        assert (success["bookingId"], success["transactionId"]) == ("BK2002", "92705")
        out = sepay_body(92706, "BK2003", transfer_type="out")
        assert await post_webhook_async(server, out, path="/webhook/sepay", headers=sepay_headers()) == (200, {"success": True})
        assert await post_webhook_async(server, with_code, path="/webhook/sepay", headers=sepay_headers()) == (200, {"success": True, "duplicate": True})
        await page.assert_no_event()
        await page.close()

    run(scenario())
    assert booking_status(server, "BK2003") == "pending"


def test_casso_signed_delivery_and_duplicate(server):
    async def scenario():
        page = await Page().open(server)
        await page.subscribe("BK3001")
        body = casso_body(218897, "BK3001 Thanh toán đơn phòng 2 đêm", amount=16775000)
        raw = json.dumps(body, ensure_ascii=False, indent=2).encode()  # Casso signs sorted keys, not these bytes
        assert await post_webhook_async(server, None, path="/webhook/casso", raw=raw, headers=casso_headers(body)) == (200, {"success": True})
        success, _ = await page.payment_events()
        assert (success["bookingId"], success["transactionId"], success["amount"]) == ("BK3001", "218897", 16775000)
        assert await post_webhook_async(server, None, path="/webhook/casso", raw=raw, headers=casso_headers(body)) == (200, {"success": True, "duplicate": True})
        await page.assert_no_event()
        await page.close()

    run(scenario())


def forged_casso(body):
    return casso_headers(body, secret="another-casso-secret-0123456789")


def tampered_casso(body):
    headers = casso_headers(body)
    body["data"]["amount"] = 1
    return headers


REFUSALS = {
    "pay2s without a token": ("/webhook/pay2s", lambda: pay2s_body(pay2s_transaction("9001", "BK9001")), lambda body: {}, "missing authorization header"),
    "pay2s with a wrong token": ("/webhook/pay2s", lambda: pay2s_body(pay2s_transaction("9001", "BK9001")), lambda body: pay2s_headers("wrong-token-0123456789abcdef"), "wrong credentials"),
    "pay2s with SePay's scheme": ("/webhook/pay2s", lambda: pay2s_body(pay2s_transaction("9001", "BK9001")), lambda body: sepay_headers(PROVIDER_ENV["PAY2S_TOKEN"]), "malformed authorization header"),
    "SePay with a wrong key": ("/webhook/sepay", lambda: sepay_body(9001, "BK9001"), lambda body: sepay_headers("wrong-key-0123456789abcdef"), "wrong credentials"),
    "SePay with a bearer token": ("/webhook/sepay", lambda: sepay_body(9001, "BK9001"), lambda body: pay2s_headers(PROVIDER_ENV["SEPAY_API_KEY"]), "malformed authorization header"),
    "Casso unsigned": ("/webhook/casso", lambda: casso_body(9001, "BK9001"), lambda body: {}, "missing x-casso-signature header"),
    "Casso signed with another secret": ("/webhook/casso", lambda: casso_body(9001, "BK9001"), forged_casso, "signature does not match"),
    "Casso body changed after signing": ("/webhook/casso", lambda: casso_body(9001, "BK9001"), tampered_casso, "signature does not match"),
    "Casso malformed signature": ("/webhook/casso", lambda: casso_body(9001, "BK9001"), lambda body: {"X-Casso-Signature": "v1=abc"}, "malformed x-casso-signature header"),
}


@pytest.mark.parametrize("case", list(REFUSALS))
def test_wrong_credentials_are_refused_and_record_nothing(server, case):
    path, make_body, make_headers, reason = REFUSALS[case]
    body = make_body()
    headers = make_headers(body)
    assert post_webhook(server, body, path=path, headers=headers) == (401, {"success": False, "error": f"unauthorized: {reason}"})
    assert booking_status(server, "BK9001") == "pending"
    assert api(server, "/api/unmatched") == (200, {"success": True, "transactions": []})


def test_unmatched_transfer_is_recorded_listed_and_logged(server):
    body = pay2s_body(
        pay2s_transaction("5001", "SHOPVPS12537 GD 789604-040125 00:05:38", 75000),
        pay2s_transaction("5002", "BK5002 GD 1", 10000),
    )
    assert post_webhook(server, body, path="/webhook/pay2s", headers=pay2s_headers()) == (200, {"success": True})
    status, answer = api(server, "/api/unmatched")
    assert status == 200
    [unmatched] = answer["transactions"]
    assert {key: unmatched[key] for key in ("provider", "transactionId", "amount", "content", "reason")} == {
        "provider": "pay2s", "transactionId": "5001", "amount": 75000, "content": "SHOPVPS12537 GD 789604-040125 00:05:38",
        "reason": "no booking code (BK…) in the transfer content",
    }
    # A retry of the same call records nothing new.
    assert post_webhook(server, body, path="/webhook/pay2s", headers=pay2s_headers()) == (200, {"success": True, "duplicate": True})
    assert len(api(server, "/api/unmatched")[1]["transactions"]) == 1
    casso = casso_body(5003, "chuyen khoan")
    assert post_webhook(server, casso, path="/webhook/casso", headers=casso_headers(casso)) == (200, {"success": True})
    assert [t["transactionId"] for t in api(server, "/api/unmatched")[1]["transactions"]] == ["5003", "5001"]
    assert api(server, "/api/unmatched?limit=1")[1]["transactions"][0]["transactionId"] == "5003"
    assert api(server, "/api/unmatched?limit=0") == (400, {"success": False, "error": "limit must be a whole number from 1 to 1000"})
    assert api(server, "/api/unmatched", key=None) == (401, {"success": False, "error": "unauthorized: missing authorization header"})
    assert api(server, "/api/unmatched", key="wrong-merchant-key-012345") == (401, {"success": False, "error": "unauthorized: wrong credentials"})
    assert "Unmatched transfer recorded" in server.log_path.read_text()


def test_underpaid_then_paid_and_overpaid(server):
    assert api(server, "/api/bookings", {"bookingId": "order-77", "amount": 500000, "memo": "bk7700"}) == (
        200, {"success": True, "bookingId": "order-77", "amount": 500000, "currency": "VND", "memo": "BK7700"}
    )
    assert api(server, "/api/bookings", {"bookingId": "order-78", "amount": 100000, "memo": "BK7800", "expiresAt": "2999-01-01T00:00:00Z"})[0] == 200

    async def scenario():
        page = await Page().open(server)
        await page.subscribe("order-77")
        await page.subscribe("order-78")
        short = pay2s_body(pay2s_transaction("7001", "BK7700 GD 789604", 300000))
        assert await post_webhook_async(server, short, path="/webhook/pay2s", headers=pay2s_headers()) == (200, {"success": True})
        assert await page.next_event() == ("payment_underpaid", {"bookingId": "order-77", "transactionId": "7001", "amount": 300000, "expected": 500000})
        await page.assert_no_event()
        assert (await page.subscribe("order-77"))["status"] == "underpaid"
        assert await post_webhook_async(server, short, path="/webhook/pay2s", headers=pay2s_headers()) == (200, {"success": True, "duplicate": True})
        await page.assert_no_event()
        full = pay2s_body(pay2s_transaction("7002", "BK7700 GD 789605", 500000))
        assert await post_webhook_async(server, full, path="/webhook/pay2s", headers=pay2s_headers()) == (200, {"success": True})
        success, _ = await page.payment_events()
        assert (success["bookingId"], success["transactionId"], success["amount"]) == ("order-77", "7002", 500000)
        more = sepay_body(7003, "thanh toan", amount=150000, code="BK7800")
        assert await post_webhook_async(server, more, path="/webhook/sepay", headers=sepay_headers()) == (200, {"success": True})
        success, _ = await page.payment_events()
        assert (success["bookingId"], success["amount"]) == ("order-78", 150000)
        await page.close()

    run(scenario())
    assert booking_status(server, "order-77") == "paid"
    log = server.log_path.read_text()
    assert "Underpaid booking" in log and "Overpaid booking" in log


def test_booking_registration_refusals(server):
    assert api(server, "/api/bookings", {"bookingId": "b1", "amount": 1}, key=None) == (401, {"success": False, "error": "unauthorized: missing authorization header"})
    assert api(server, "/api/bookings", {"bookingId": "b1", "amount": -1}) == (400, {"success": False, "error": "amount must be positive"})
    assert api(server, "/api/bookings", {"bookingId": "b1", "amount": 1, "memo": "dGVzdA=="}) == (
        400, {"success": False, "error": "memo must be BK followed by 3–20 letters or digits, e.g. BK12537"}
    )
    merchant = {"Authorization": f"Bearer {PROVIDER_ENV['MERCHANT_API_KEY']}"}
    assert post_webhook(server, None, path="/api/bookings", raw=b"{", headers=merchant) == (400, {"success": False, "error": "body is not valid JSON"})
    assert post_webhook(server, None, path="/api/bookings", raw=b" " * 20000, headers=merchant) == (400, {"success": False, "error": "body larger than 16384 bytes"})
    assert api(server, "/api/bookings", {"bookingId": "b1", "amount": 1, "memo": "BK111"})[0] == 200
    assert api(server, "/api/bookings", {"bookingId": "b2", "amount": 1, "memo": "BK111"}) == (409, {"success": False, "error": "memo BK111 is already used by booking b1"})
    # The same booking may change its registration.
    assert api(server, "/api/bookings", {"bookingId": "b1", "amount": 2, "memo": "BK112"})[1]["amount"] == 2
    assert api(server, "/api/bookings", {"bookingId": "b2", "amount": 1, "memo": "BK111"})[0] == 200


def qr(server, booking, amount=None):
    query = f"?amount={amount}" if amount is not None else ""
    return api(server, f"/api/bookings/{urllib.parse.quote(booking)}/qr{query}", key=None)


def test_vietqr_links(server):
    assert api(server, "/api/bookings", {"bookingId": "order-88", "amount": 500000, "memo": "BK8800"})[0] == 200
    assert qr(server, "order-88", amount=1) == (200, {
        "bookingId": "order-88", "memo": "BK8800", "amount": 500000,
        "url": "https://img.vietqr.io/image/MB-0123456789-compact2.png?amount=500000&addInfo=BK8800&accountName=CONG%20TY%20PAYNOTIFY",
    })
    assert qr(server, "BK12537", amount=250000)[1]["url"] == (
        "https://img.vietqr.io/image/MB-0123456789-compact2.png?amount=250000&addInfo=BK12537&accountName=CONG%20TY%20PAYNOTIFY"
    )
    assert qr(server, "BK12537") == (200, {
        "bookingId": "BK12537", "memo": "BK12537",
        "url": "https://img.vietqr.io/image/MB-0123456789-compact2.png?addInfo=BK12537&accountName=CONG%20TY%20PAYNOTIFY",
    })
    assert qr(server, "BK12537", amount="12.5") == (400, {"success": False, "error": "an amount is a whole, positive number of đồng of at most 13 digits"})
    assert qr(server, "BK12537", amount="0")[0] == 400
    assert qr(server, "BK12537", amount="abc") == (400, {"success": False, "error": "amount must be a whole number of đồng"})
    assert qr(server, "order-99") == (400, {"success": False, "error": "booking id order-99 cannot be a transfer memo: memos are BK followed by 3–20 letters or digits"})
    assert qr(server, "bk12537")[0] == 400


def test_routes_without_credentials_refuse_everything_unless_opened(tmp_path):
    closed = notifier_process(tmp_path, database="closed.sqlite").start(ready_path="/healthz")
    try:
        for path, body, variable in [
            ("/webhook/pay2s", pay2s_body(pay2s_transaction("1", "BK4001")), "PAY2S_TOKEN"),
            ("/webhook/sepay", sepay_body(1, "BK4001"), "SEPAY_API_KEY"),
            ("/webhook/casso", casso_body(1, "BK4001"), "CASSO_SECRET"),
        ]:
            assert post_webhook(closed, body, path=path, headers=pay2s_headers()) == (401, {"success": False, "error": f"unauthorized: not configured (set {variable})"})
        assert qr(closed, "BK4001") == (404, {"success": False, "error": "bank account not configured"})
        # In development the merchant API is open without a key (and says so at start-up).
        assert api(closed, "/api/unmatched", key=None) == (200, {"success": True, "transactions": []})
        log = closed.log_path.read_text()
        assert "Provider webhook /webhook/pay2s refuses everything until PAY2S_TOKEN is set" in log
        assert "The merchant API is not authenticated" in log
    finally:
        closed.stop()
    opened = notifier_process(tmp_path, env={"PROVIDER_WEBHOOKS_OPEN": "true"}, database="open.sqlite").start(ready_path="/healthz")
    try:
        assert post_webhook(opened, pay2s_body(pay2s_transaction("1", "BK4001")), path="/webhook/pay2s") == (200, {"success": True})
        assert "Provider webhook /webhook/pay2s is open (PROVIDER_WEBHOOKS_OPEN)" in opened.log_path.read_text()
    finally:
        opened.stop()


def test_the_reference_webhook_is_unchanged_next_to_the_providers(server):
    assert post_webhook(server, payment("BK6001", "t-6001")) == (200, {"success": True})
    assert post_webhook(server, payment("BK6001", "t-6001")) == (200, {"success": True, "duplicate": True})
    assert post_webhook(server, {"bookingId": "BK6001"}) == (400, {"success": False, "error": "transactionId is required"})
    assert booking_status(server, "BK6001") == "paid"


def test_payment_after_the_registration_expired_is_recorded_and_logged(server):
    import datetime
    import time

    expires = datetime.datetime.now(datetime.timezone.utc) + datetime.timedelta(seconds=1)
    registration = {"bookingId": "BK9900", "amount": 1000, "expiresAt": expires.isoformat(timespec="milliseconds").replace("+00:00", "Z")}
    assert api(server, "/api/bookings", registration)[0] == 200
    time.sleep(1.2)
    body = pay2s_body(pay2s_transaction("9900", "BK9900", 1000))
    assert post_webhook(server, body, path="/webhook/pay2s", headers=pay2s_headers()) == (200, {"success": True})
    assert booking_status(server, "BK9900") == "paid"
    assert "Payment after its booking's registration expired" in server.log_path.read_text()


def test_cluster_nodes_share_registrations_and_unmatched_transfers(tmp_path):
    """With REDIS_URL the Redis ledger holds registrations and unmatched transfers: a booking
    registered on one node is underpaid through a webhook on another, and either lists the
    unmatched transfer."""
    redis = RedisServer(tmp_path).start()
    a, b = start_nodes(tmp_path, redis, count=2, env=PROVIDER_ENV)
    try:
        assert api(a, "/api/bookings", {"bookingId": "order-c1", "amount": 500000, "memo": "BK5100"})[0] == 200
        assert api(b, "/api/bookings", {"bookingId": "order-c2", "amount": 1, "memo": "BK5100"})[0] == 409

        async def scenario():
            page = await Page().open(a)
            await page.subscribe("order-c1")
            body = pay2s_body(pay2s_transaction("c-1", "BK5100 GD 1", 200000), pay2s_transaction("c-2", "khong co ma", 9000))
            assert await post_webhook_async(b, body, path="/webhook/pay2s", headers=pay2s_headers()) == (200, {"success": True})
            assert await page.next_event() == ("payment_underpaid", {"bookingId": "order-c1", "transactionId": "c-1", "amount": 200000, "expected": 500000})
            assert await post_webhook_async(a, body, path="/webhook/pay2s", headers=pay2s_headers()) == (200, {"success": True, "duplicate": True})
            await page.assert_no_event()
            await page.close()

        run(scenario())
        assert [t["transactionId"] for t in api(a, "/api/unmatched")[1]["transactions"]] == ["c-2"]
        assert qr(b, "order-c1")[1]["memo"] == "BK5100"
    finally:
        for node in (a, b):
            node.stop()
        redis.stop()
