"""GET /metrics: present, in Prometheus text format, and moving after webhooks (new, duplicate,
invalid, unauthorized, rate-limited), a subscription, provider polling, Redis traffic and a
client too slow to read."""
import asyncio
import json
import re
import time
import urllib.request

from cluster import start_nodes
from conftest import REPO, run
from notifier import FakeProvider, Page, notifier_process, payment, post_webhook, post_webhook_async
from operations import get, metrics, sample

TOKEN = "a-metrics-token-of-some-length"
SECRET = "the-token-you-configured-at-the-provider"
ROUTE = "/webhook/payment"
AUTH = {"Authorization": f"Bearer {SECRET}"}


def test_metrics_move_after_webhooks_and_a_subscription(tmp_path):
    server = notifier_process(tmp_path, env={"WEBHOOK_SCHEME": "bearer", "WEBHOOK_SECRET": SECRET, "METRICS_TOKEN": TOKEN}).start(ready_path="/healthz")
    try:
        before = metrics(server, TOKEN)
        for outcome in ("new", "duplicate", "invalid", "unauthorized"):
            assert sample(before, "paynotify_webhooks_total", route=ROUTE, outcome=outcome) == 0
        for transport in ("polling", "websocket"):
            assert (("paynotify_open_connections", frozenset({("transport", transport)}))) in before
        for name in ("paynotify_subscribed_bookings", "paynotify_rooms", "paynotify_draining"):
            assert (name, frozenset()) in before, name
        for outcome in ("paid", "unpaid", "failed"):
            assert (("paynotify_poller_requests_total", frozenset({("outcome", outcome)}))) in before

        async def scenario():
            page = await Page().open(server)
            assert await page.subscribe("BK-m") == {"ok": True, "status": "pending"}
            during = metrics(server, TOKEN)
            assert sample(during, "paynotify_open_connections", transport="websocket") == 1
            assert sample(during, "paynotify_subscribed_bookings") == 1
            assert sample(during, "paynotify_rooms") == 2  # the socket's own room and the booking's
            assert await post_webhook_async(server, payment("BK-m", "t-m"), headers=AUTH) == (200, {"success": True})
            await page.payment_events()
            await page.close()

        run(scenario())
        assert post_webhook(server, payment("BK-m", "t-m"), headers=AUTH) == (200, {"success": True, "duplicate": True})
        assert post_webhook(server, None, raw=b"{not json", headers=AUTH)[0] == 400
        assert post_webhook(server, payment("BK-m", "t-x"), headers={"Authorization": "Bearer wrong-token-wrong-token"})[0] == 401

        after = metrics(server, TOKEN)
        for outcome in ("new", "duplicate", "invalid", "unauthorized"):
            assert sample(after, "paynotify_webhooks_total", route=ROUTE, outcome=outcome) == 1, outcome
        assert sample(after, "paynotify_webhook_duration_seconds_count", route=ROUTE) == 4
        assert sample(after, "paynotify_webhook_duration_seconds_sum", route=ROUTE) > 0
        assert sample(after, "paynotify_webhook_to_emit_seconds_count") == 1
        assert sample(after, "paynotify_ledger_write_duration_seconds_count") == 2  # the new one and its duplicate
        assert sample(after, "paynotify_ledger_write_duration_seconds_bucket", le="+Inf") == 2
        assert sample(after, "paynotify_open_connections", transport="websocket") == 0
        assert sample(after, "paynotify_subscribed_bookings") == 0
        assert sample(after, "paynotify_slow_consumer_disconnects_total") == 0
        assert sample(after, "paynotify_draining") == 0
    finally:
        server.stop()


def test_metrics_token_is_required_when_set(tmp_path):
    server = notifier_process(tmp_path, env={"METRICS_TOKEN": TOKEN}).start(ready_path="/healthz")
    try:
        status, headers, body = get(server, "/metrics")
        assert status == 401 and headers["WWW-Authenticate"] == "Bearer"
        assert "unauthorized" in body
        assert get(server, "/metrics", {"Authorization": "Bearer not-the-metrics-token"})[0] == 401
        assert get(server, "/metrics", {"Authorization": f"Bearer {TOKEN}"})[0] == 200
    finally:
        server.stop()


def test_refusals_in_front_of_the_route_are_counted(tmp_path):
    server = notifier_process(tmp_path, env={"WEBHOOK_RATE_LIMIT": "0.01", "WEBHOOK_RATE_BURST": "1"}).start(ready_path="/healthz")
    try:
        assert post_webhook(server, payment("BK-r", "t-1"))[0] == 200
        assert post_webhook(server, payment("BK-r", "t-2"))[0] == 429
        assert post_webhook(server, payment("BK-r", "t-3"))[0] == 429
        after = metrics(server)
        assert sample(after, "paynotify_webhooks_total", route=ROUTE, outcome="new") == 1
        assert sample(after, "paynotify_webhooks_total", route=ROUTE, outcome="rate-limited") == 2
        assert sample(after, "paynotify_webhook_duration_seconds_count", route=ROUTE) == 1
    finally:
        server.stop()


def test_poller_requests_are_counted_by_outcome(tmp_path):
    provider = FakeProvider()
    provider.script("BK-p", [("json", {"status": "pending"}), ("status", 500), ("json", {"status": "paid", "transactionId": "t-p", "amount": 10})])
    server = notifier_process(tmp_path, env={"PAYMENT_API_URL": provider.url + "/check/{memo}", "POLL_INTERVAL": "200ms"}).start(ready_path="/healthz")
    try:
        async def scenario():
            page = await Page().open(server)
            await page.subscribe("BK-p")
            await page.payment_events(timeout=15)
            await page.close()

        run(scenario())
        after = metrics(server)
        assert sample(after, "paynotify_poller_requests_total", outcome="unpaid") == 1
        assert sample(after, "paynotify_poller_requests_total", outcome="failed") == 1
        assert sample(after, "paynotify_poller_requests_total", outcome="paid") == 1
    finally:
        server.stop()
        provider.stop()


def test_redis_adapter_counts_and_reconnects(tmp_path, redis):
    a, b = start_nodes(tmp_path, redis, count=2)
    try:
        assert sample(metrics(a), "paynotify_redis_published_total") == 0

        async def scenario():
            page = await Page().open(b)
            await page.subscribe("BK-c")
            await asyncio.sleep(0.3)
            assert await post_webhook_async(a, payment("BK-c", "t-c")) == (200, {"success": True})
            await page.payment_events()
            await page.close()

        run(scenario())
        # transaction_success and payment_confirmed: one message each between nodes, as Node's
        # redis adapter publishes every packet.
        assert sample(metrics(a), "paynotify_redis_published_total") == 2
        assert sample(metrics(b), "paynotify_redis_received_total") == 2
        assert sample(metrics(a), "paynotify_redis_publish_failures_total") == 0
        redis.stop()
        redis.start()

        deadline = time.monotonic() + 20
        while sample(metrics(b), "paynotify_redis_reconnects_total") < 1:
            assert time.monotonic() < deadline, "no reconnect counted"
            time.sleep(0.1)
        # Cluster nodes that took webhooks export every metric there is: the README lists each one.
        families = {re.sub(r"_(bucket|sum|count)$", "", name) for name, _ in [*metrics(a), *metrics(b)]}
        readme = (REPO / "README.md").read_text()
        assert len(families) == 16
        assert all(f"| `{family}` |" in readme for family in families), sorted(families)
    finally:
        a.stop()
        b.stop()


def test_a_client_that_stops_reading_is_counted_as_a_slow_consumer(tmp_path):
    server = notifier_process(tmp_path, env={"SOCKET_PACKET_RATE": "100000", "SOCKET_PACKET_BURST": "100000"}).start(ready_path="/healthz")
    try:
        base = server.url + "/socket.io/?EIO=4&transport=polling"
        _, _, handshake = get(server, "/socket.io/?EIO=4&transport=polling")
        session = base + "&sid=" + json.loads(handshake[1:])["sid"]

        def post(body):
            request = urllib.request.Request(session, data=body.encode(), method="POST", headers={"Content-Type": "text/plain"})
            with urllib.request.urlopen(request, timeout=10) as response:
                return response.read().decode()

        assert post("40") == "ok"
        # 1,250 subscriptions, each acked, and the client never polls for the acks: more than
        # the 1,024 frames its outbound queue holds. (In batches under the 256 events a socket
        # may have waiting for their handlers.)
        for batch in range(5):
            assert post("\x1e".join(f'42{batch * 250 + n}["subscribe_booking",{{"bookingId":"BK-slow"}}]' for n in range(250))) == "ok"
            time.sleep(0.5)
        deadline = time.monotonic() + 15
        while sample(metrics(server), "paynotify_slow_consumer_disconnects_total") < 1:
            assert time.monotonic() < deadline, "the slow consumer was not disconnected"
            time.sleep(0.1)
        assert sample(metrics(server), "paynotify_open_connections", transport="polling") == 0
    finally:
        server.stop()
