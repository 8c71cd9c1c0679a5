"""The merchant API's status, history and events routes against the built server: answers,
cursors, delivery attempts, redelivery, and a clear 4xx for every bad input."""
import json
import time

import pytest

from callbacks import MerchantReceiver, callback_env
from notifier import notifier_process, payment, post_webhook
from providers import MERCHANT_API_KEY, PROVIDER_ENV, api, merchant_request


def call(server, method, path, key=MERCHANT_API_KEY):
    """A merchant API request; returns (status, parsed JSON answer)."""
    status, _, body = merchant_request(server, method, path, key=key)
    return status, json.loads(body)


def wait_for_first_event(server, state, timeout=8):
    """The events page once its first event is in `state` (or the last page read at the deadline)."""
    deadline = time.monotonic() + timeout
    while True:
        _, page = call(server, "GET", "/api/events")
        if page["events"] and page["events"][0]["state"] == state or time.monotonic() > deadline:
            return page
        time.sleep(0.05)


@pytest.fixture
def receiver():
    merchant = MerchantReceiver(script=[500, 200])
    yield merchant
    merchant.stop()


@pytest.fixture
def server(tmp_path, receiver):
    process = notifier_process(tmp_path, env={**PROVIDER_ENV, **callback_env(receiver, schedule="200ms,200ms")}).start(ready_path="/healthz")
    yield process
    process.stop()


def test_every_route_needs_the_merchant_key(server):
    for method, path in [("GET", "/api/bookings/BK-1"), ("GET", "/api/payments"), ("GET", "/api/events"),
                         ("GET", "/api/events/evt_" + "0" * 32), ("POST", "/api/events/evt_" + "0" * 32 + "/redeliver")]:
        assert call(server, method, path, key=None) == (401, {"success": False, "error": "unauthorized: missing authorization header"})
        assert call(server, method, path, key="wrong-key-0123456789")[0] == 401


def test_booking_status_with_payments_roles_confirmation_and_registration(server):
    assert call(server, "GET", "/api/bookings/BK%201")[1]["bookingId"] == "BK 1"
    assert call(server, "GET", "/api/bookings/BK-1") == (200, {
        "success": True, "bookingId": "BK-1", "status": "pending", "paid": False, "confirmedAt": None, "announced": False,
        "confirmation": None, "payments": [], "registration": None,
    })
    assert api(server, "/api/bookings", {"bookingId": "BK-1", "amount": 500000, "memo": "BK77001"})[0] == 200
    assert post_webhook(server, payment("BK-1", "t1", 500000))[0] == 200
    assert post_webhook(server, payment("BK-1", "t2", 500000))[0] == 200
    deadline = time.monotonic() + 5
    while True:  # the announced flag is written just after the broadcast
        status, answer = call(server, "GET", "/api/bookings/BK-1")
        if answer["announced"] or time.monotonic() > deadline:
            break
        time.sleep(0.05)
    assert status == 200
    assert (answer["status"], answer["paid"], answer["announced"]) == ("paid", True, True)
    assert answer["confirmedAt"] == answer["confirmation"]["recordedAt"]
    assert [(p["transactionId"], p["role"], p["status"]) for p in answer["payments"]] == [("t1", "confirmation", "success"), ("t2", "additional", "success")]
    assert answer["registration"]["amount"] == 500000 and answer["registration"]["memo"] == "BK77001"


@pytest.mark.parametrize("path, error", [
    ("/api/bookings/" + "x" * 129, "bookingId must be at most 128 characters"),
    ("/api/bookings/bad%01id", "bookingId must not contain control characters"),
    ("/api/bookings/bad%zzid", "the booking id in the path is not valid percent-encoding"),
])
def test_bad_booking_ids_are_refused(server, path, error):
    assert call(server, "GET", path) == (400, {"success": False, "error": error})


def test_payments_page_with_a_cursor(server):
    for index in range(5):
        assert post_webhook(server, payment(f"BK-p{index}", f"p{index}"))[0] == 200
    status, first = call(server, "GET", "/api/payments?limit=2")
    assert status == 200 and first["hasMore"] is True
    assert [p["transactionId"] for p in first["payments"]] == ["p0", "p1"]
    seen = [p["transactionId"] for p in first["payments"]]
    cursor = first["next"]
    for _ in range(5):
        _, page = call(server, "GET", f"/api/payments?after={cursor}&limit=2")
        seen += [p["transactionId"] for p in page["payments"]]
        cursor = page["next"]
        if not page["hasMore"]:
            break
    assert seen == ["p0", "p1", "p2", "p3", "p4"]
    _, empty = call(server, "GET", f"/api/payments?after={cursor}")
    assert empty["payments"] == [] and empty["next"] == cursor and empty["hasMore"] is False


@pytest.mark.parametrize("route", ["/api/payments", "/api/events"])
@pytest.mark.parametrize("query, error", [
    ("after=-1", "after must be the next cursor of an earlier page (a whole number of at least 0)"),
    ("after=abc", "after must be the next cursor of an earlier page (a whole number of at least 0)"),
    ("limit=0", "limit must be a whole number from 1 to 1000"),
    ("limit=1001", "limit must be a whole number from 1 to 1000"),
    ("limit=ten", "limit must be a whole number from 1 to 1000"),
])
def test_bad_cursors_and_limits_are_refused(server, route, query, error):
    assert call(server, "GET", f"{route}?{query}") == (400, {"success": False, "error": error})


def test_events_with_their_attempts_and_redelivery(server, receiver):
    assert post_webhook(server, payment("BK-e", "e1"))[0] == 200
    receiver.wait_for(2)  # 500, then 200
    page = wait_for_first_event(server, "delivered")
    event = page["events"][0]
    assert (event["type"], event["bookingId"], event["state"], event["attempts"]) == ("payment.confirmed", "BK-e", "delivered", 2)
    assert event["data"]["transactionId"] == "e1" and event["nextAttemptAt"] is None
    assert page["next"] == event["sequence"] and page["hasMore"] is False
    status, detail = call(server, "GET", f"/api/events/{event['id']}")
    assert status == 200 and detail["event"]["id"] == event["id"]
    assert [(a["number"], a["statusCode"], a["error"]) for a in detail["deliveryAttempts"]] == [(1, 500, None), (2, 200, None)]
    assert all(a["durationMs"] >= 0 and a["startedAt"].endswith("Z") for a in detail["deliveryAttempts"])

    status, queued = call(server, "POST", f"/api/events/{event['id']}/redeliver")
    assert status == 202 and queued["event"]["state"] == "pending"
    deliveries = receiver.wait_for(3)
    assert deliveries[2]["headers"]["webhook-id"] == event["id"] and deliveries[2]["body"] == deliveries[0]["body"]


@pytest.mark.parametrize("method, suffix", [("GET", ""), ("POST", "/redeliver")])
def test_unknown_and_malformed_event_ids(server, method, suffix):
    unknown = "evt_" + "0" * 32
    assert call(server, method, f"/api/events/{unknown}{suffix}") == (404, {"success": False, "error": f"no event {unknown}"})
    for bad in ["evt_123", "evt_" + "G" * 32, "evt_" + "A" * 32, "payment-1"]:
        assert call(server, method, f"/api/events/{bad}{suffix}") == (400, {"success": False, "error": "event id must be evt_ followed by 32 lower-case hex digits"})


def test_redelivery_is_refused_when_callbacks_are_off(tmp_path):
    server = notifier_process(tmp_path, env=PROVIDER_ENV).start(ready_path="/healthz")
    try:
        assert call(server, "POST", "/api/events/evt_" + "0" * 32 + "/redeliver") == (
            409, {"success": False, "error": "callbacks are off: set MERCHANT_CALLBACK_URL to deliver events"})
        assert call(server, "GET", "/api/events") == (200, {"success": True, "events": [], "next": None, "hasMore": False})
    finally:
        server.stop()
