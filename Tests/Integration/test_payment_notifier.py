"""The payment notifier end to end: `paynotify serve` with a real SQLite ledger file, pages as
python-socketio clients, webhooks over real HTTP."""
import asyncio
import datetime
import json

import pytest

from conftest import run
from notifier import TIMESTAMP, Page, notifier_process, payment, post_webhook, post_webhook_async

TRANSPORTS = {"websocket": ["websocket"], "polling": ["polling"], "upgrade": ["polling", "websocket"]}


@pytest.fixture
def server(tmp_path):
    process = notifier_process(tmp_path, env={"WEBHOOK_MAX_BODY_BYTES": "1024"}).start(ready_path="/healthz")
    yield process
    process.stop()


@pytest.mark.parametrize("transport", list(TRANSPORTS))
def test_reference_flow(server, transport):
    async def scenario():
        page = await Page(TRANSPORTS[transport]).open(server)
        assert await page.subscribe("test-booking-123") == {"ok": True, "status": "pending"}
        status, answer = await post_webhook_async(server, payment("test-booking-123", "test-txn-456", 500000))
        assert (status, answer) == (200, {"success": True})
        success, confirmed = await page.payment_events()
        assert success["bookingId"] == "test-booking-123"
        assert success["transactionId"] == "test-txn-456"
        assert success["amount"] == 500000
        assert TIMESTAMP.match(success["timestamp"]), success["timestamp"]
        assert set(success) == {"bookingId", "transactionId", "amount", "timestamp"}
        assert confirmed == {"bookingId": "test-booking-123", "transactionId": "test-txn-456", "amount": 500000, "confirmed": True}
        assert await page.subscribe("test-booking-123") == {"ok": True, "status": "paid"}
        await page.close()

    run(scenario())


def test_every_tab_of_a_booking_is_notified_and_no_other_booking(server):
    async def scenario():
        tab1 = await Page().open(server)
        tab2 = await Page(["polling"]).open(server)
        other = await Page().open(server)
        watcher_of_many = await Page().open(server)
        await tab1.subscribe("b-1")
        await tab2.subscribe("b-1")
        await other.subscribe("b-2")
        await watcher_of_many.subscribe("b-2")
        await watcher_of_many.subscribe("b-1")
        assert (await post_webhook_async(server, payment("b-1", "t-1", 10.5)))[0] == 200
        for page in (tab1, tab2, watcher_of_many):
            success, _ = await page.payment_events()
            assert success["amount"] == 10.5
        await other.assert_no_event()
        for page in (tab1, tab2, other, watcher_of_many):
            await page.close()

    run(scenario())


def test_duplicate_webhook_notifies_once(server):
    async def scenario():
        page = await Page().open(server)
        await page.subscribe("b-dup")
        assert await post_webhook_async(server, payment("b-dup", "t-dup")) == (200, {"success": True})
        await page.payment_events()
        assert await post_webhook_async(server, payment("b-dup", "t-dup")) == (200, {"success": True, "duplicate": True})
        await page.assert_no_event()
        await page.close()

    run(scenario())


def test_second_payment_for_a_paid_booking_is_recorded_but_not_announced(server):
    async def scenario():
        page = await Page().open(server)
        await page.subscribe("b-twice")
        assert (await post_webhook_async(server, payment("b-twice", "t-first")))[0] == 200
        await page.payment_events()
        assert await post_webhook_async(server, payment("b-twice", "t-second")) == (200, {"success": True})
        await page.assert_no_event()
        await page.close()
        late = await Page().open(server)
        assert await late.subscribe("b-twice") == {"ok": True, "status": "paid"}
        success, _ = await late.payment_events()
        assert success["transactionId"] == "t-first"
        await late.close()

    run(scenario())
    assert "Second successful payment" in server.log_path.read_text()


def test_other_statuses_are_recorded_without_events(server):
    async def scenario():
        page = await Page().open(server)
        await page.subscribe("b-failed")
        assert await post_webhook_async(server, payment("b-failed", "t-f", status="failed")) == (200, {"success": True})
        await page.assert_no_event()
        assert await page.subscribe("b-failed") == {"ok": True, "status": "failed"}
        await page.close()

    run(scenario())


INVALID_WEBHOOKS = [
    ("not json", b"bookingId=1", "body is not valid JSON"),
    ("array", b"[1,2]", "body must be a JSON object, not an array"),
    ("missing bookingId", json.dumps({"transactionId": "t", "amount": 1, "status": "success"}).encode(), "bookingId is required"),
    ("missing transactionId", json.dumps({"bookingId": "b", "amount": 1, "status": "success"}).encode(), "transactionId is required"),
    ("missing amount", json.dumps({"bookingId": "b", "transactionId": "t", "status": "success"}).encode(), "amount is required"),
    ("missing status", json.dumps({"bookingId": "b", "transactionId": "t", "amount": 1}).encode(), "status is required"),
    ("bookingId number", json.dumps(payment(123)).encode(), "bookingId must be a string, not a number"),
    ("transactionId number", json.dumps(payment("b", 5)).encode(), "transactionId must be a string, not a number"),
    ("amount string", json.dumps(payment("b", "t", "500000")).encode(), "amount must be a number, not a string"),
    ("amount negative", json.dumps(payment("b", "t", -1)).encode(), "amount must not be negative"),
    ("amount boolean", json.dumps(payment("b", "t", True)).encode(), "amount must be a number, not a boolean"),
    ("status number", json.dumps(payment("b", "t", 1, 1)).encode(), "status must be a string, not a number"),
    ("bookingId empty", json.dumps(payment("")).encode(), "bookingId must not be empty"),
    ("bookingId too long", json.dumps(payment("b" * 129)).encode(), "bookingId must be at most 128 characters"),
    ("body over limit", json.dumps({**payment("b-big"), "padding": "x" * 2000}).encode(), "body larger than 1024 bytes"),
]


@pytest.mark.parametrize("case", INVALID_WEBHOOKS, ids=[case[0] for case in INVALID_WEBHOOKS])
def test_invalid_webhook_is_refused_and_nothing_recorded(server, case):
    _, raw, message = case

    async def scenario():
        status, answer = await post_webhook_async(server, None, raw=raw)
        assert (status, answer) == (400, {"success": False, "error": message})
        page = await Page().open(server)
        for booking in ("b", "b-big"):
            assert await page.subscribe(booking) == {"ok": True, "status": "pending"}
        await page.assert_no_event()
        await page.close()

    run(scenario())


INVALID_SUBSCRIPTIONS = [
    ("no payload", None, "payload must be an object with a bookingId"),
    ("string payload", "b-1", "payload must be an object with a bookingId"),
    ("missing bookingId", {"booking": "b-1"}, "bookingId is required"),
    ("number bookingId", {"bookingId": 17}, "bookingId must be a string"),
    ("too long", {"bookingId": "x" * 129}, "bookingId must be at most 128 characters"),
    ("empty", {"bookingId": ""}, "bookingId must not be empty"),
    ("memo not string", {"bookingId": "b-1", "memo": 5}, "memo must be a string"),
]


@pytest.mark.parametrize("case", INVALID_SUBSCRIPTIONS, ids=[case[0] for case in INVALID_SUBSCRIPTIONS])
def test_invalid_subscription_is_refused_without_disconnecting_anyone(server, case):
    _, payload, message = case

    async def scenario():
        bystander = await Page().open(server)
        await bystander.subscribe("b-ok")
        page = await Page().open(server)
        arguments = () if payload is None else payload
        answer = await page.client.call("subscribe_booking", arguments, timeout=5)
        assert answer == {"ok": False, "error": message}
        # The refused page is still connected and can subscribe properly.
        assert await page.subscribe("b-ok") == {"ok": True, "status": "pending"}
        assert (await post_webhook_async(server, payment("b-ok", "t-ok")))[0] == 200
        await page.payment_events()
        await bystander.payment_events()
        await page.close()
        await bystander.close()

    run(scenario())


def test_subscription_without_ack_request_is_still_served(server):
    async def scenario():
        page = await Page().open(server)
        await page.client.emit("subscribe_booking", {"bookingId": "b-noack"})
        await page.client.emit("subscribe_booking", {"nonsense": True})
        await page.assert_no_event()
        assert (await post_webhook_async(server, payment("b-noack", "t")))[0] == 200
        await page.payment_events()
        await page.close()

    run(scenario())


def test_unsubscribe_stops_events(server):
    async def scenario():
        page = await Page().open(server)
        await page.subscribe("b-unsub")
        assert await page.unsubscribe("b-unsub") == {"ok": True}
        assert (await post_webhook_async(server, payment("b-unsub", "t")))[0] == 200
        await page.assert_no_event()
        await page.close()

    run(scenario())


def test_webhook_before_subscribe_is_replayed_with_original_time(server):
    async def scenario():
        assert (await post_webhook_async(server, payment("b-early", "t-early", 42)))[0] == 200
        before_subscribe = datetime.datetime.now(datetime.timezone.utc)
        await asyncio.sleep(0.05)
        page = await Page().open(server)
        assert await page.subscribe("b-early") == {"ok": True, "status": "paid"}
        success, confirmed = await page.payment_events()
        confirmed_at = datetime.datetime.fromisoformat(success["timestamp"].replace("Z", "+00:00"))
        assert confirmed_at < before_subscribe
        assert confirmed == {"bookingId": "b-early", "transactionId": "t-early", "amount": 42, "confirmed": True}
        await page.close()

    run(scenario())


def test_payment_while_disconnected_reaches_the_page_after_reconnect(server):
    async def scenario():
        page = await Page().open(server)
        await page.subscribe("b-away")
        await page.close()  # the tab went to the background; its socket died
        assert (await post_webhook_async(server, payment("b-away", "t-away")))[0] == 200
        returned = await Page().open(server)
        assert await returned.subscribe("b-away") == {"ok": True, "status": "paid"}
        success, _ = await returned.payment_events()
        assert success["transactionId"] == "t-away"
        await returned.close()

    run(scenario())


def test_payment_survives_a_server_restart(tmp_path):
    first = notifier_process(tmp_path).start(ready_path="/healthz")
    try:
        assert post_webhook(first, payment("b-restart", "t-restart", 7)) == (200, {"success": True})
    finally:
        first.stop()
    second = notifier_process(tmp_path).start(ready_path="/healthz")
    try:
        async def scenario():
            page = await Page().open(second)
            assert await page.subscribe("b-restart") == {"ok": True, "status": "paid"}
            success, _ = await page.payment_events()
            assert (success["transactionId"], success["amount"]) == ("t-restart", 7)
            await page.close()

        run(scenario())
        # Still idempotent across the restart.
        assert post_webhook(second, payment("b-restart", "t-restart", 7)) == (200, {"success": True, "duplicate": True})
    finally:
        second.stop()


def test_ledger_failure_answers_503_and_announces_nothing(server, tmp_path):
    """While another process holds the ledger's write lock, a webhook cannot be stored: the
    provider is told to retry (503) and no page is told the booking is paid."""
    import sqlite3

    async def scenario():
        page = await Page().open(server)
        await page.subscribe("b-locked")
        blocker = sqlite3.connect(tmp_path / "ledger.sqlite", timeout=1, isolation_level=None)
        blocker.execute("BEGIN EXCLUSIVE")
        try:
            status, answer = await post_webhook_async(server, payment("b-locked", "t-locked"))
            assert status == 503
            assert answer == {"success": False, "error": "payment could not be stored; retry later"}
            await page.assert_no_event()
        finally:
            blocker.execute("ROLLBACK")
            blocker.close()
        # The provider's retry succeeds and is announced once.
        assert await post_webhook_async(server, payment("b-locked", "t-locked")) == (200, {"success": True})
        await page.payment_events()
        await page.close()

    run(scenario(), timeout=60)
    assert "Webhook not stored" in server.log_path.read_text()


def test_pending_transaction_that_succeeds_is_announced(server):
    async def scenario():
        page = await Page().open(server)
        await page.subscribe("b-progress")
        assert await post_webhook_async(server, payment("b-progress", "t-progress", status="pending")) == (200, {"success": True})
        await page.assert_no_event()
        assert await post_webhook_async(server, payment("b-progress", "t-progress", status="success")) == (200, {"success": True})
        await page.payment_events()
        assert await post_webhook_async(server, payment("b-progress", "t-progress", status="success")) == (200, {"success": True, "duplicate": True})
        await page.assert_no_event()
        await page.close()

    run(scenario())
