"""Several PayNotify nodes on one real redis-server: a webhook on any node reaches sockets on
every node, once; the ledger is shared; Redis faults and dead nodes lose nothing."""
import asyncio
import json
import time
import urllib.request

import pytest
import socketio

from cluster import Nginx, kill, readiness, start_nodes
from conftest import run
from notifier import FakeProvider, Page, payment, post_webhook, post_webhook_async


@pytest.fixture
def nodes(tmp_path, redis):
    started = start_nodes(tmp_path, redis)
    yield started
    for node in started:
        node.stop()


async def wait_until(predicate, timeout=15):
    deadline = time.monotonic() + timeout
    while not predicate():
        assert time.monotonic() < deadline, "condition not reached in time"
        await asyncio.sleep(0.1)


def test_webhook_on_one_node_reaches_sockets_on_the_others_once(nodes):
    a, b, c = nodes

    async def scenario():
        on_b = await Page().open(b)
        on_c = await Page(["polling"]).open(c)
        other = await Page().open(b)
        await on_b.subscribe("BK-1")
        await on_c.subscribe("BK-1")
        await other.subscribe("BK-2")
        await asyncio.sleep(0.3)  # every node's subscription to Redis is up (readyz said so)
        assert await post_webhook_async(a, payment("BK-1", "t-1")) == (200, {"success": True})
        for page in (on_b, on_c):
            success, confirmed = await page.payment_events()
            assert success["transactionId"] == "t-1" and confirmed["confirmed"] is True
        assert await post_webhook_async(c, payment("BK-1", "t-1")) == (200, {"success": True, "duplicate": True})
        for page in (on_b, on_c, other):
            await page.assert_no_event()
        for page in (on_b, on_c, other):
            await page.close()

    run(scenario())


def test_late_subscriber_on_another_node_gets_the_payment(nodes):
    a, b, _ = nodes

    async def scenario():
        assert (await post_webhook_async(a, payment("BK-late", "t-late", 42)))[0] == 200
        page = await Page().open(b)
        assert await page.subscribe("BK-late") == {"ok": True, "status": "paid"}
        success, _ = await page.payment_events()
        assert (success["transactionId"], success["amount"]) == ("t-late", 42)
        await page.close()

    run(scenario())


def test_redis_restart_503s_then_recovers(nodes, redis):
    a, b, _ = nodes

    async def scenario():
        page = await Page().open(b)
        await page.subscribe("BK-r1")
        redis.stop()
        status, answer = await post_webhook_async(a, payment("BK-r1", "t-during"))
        assert status == 503 and answer["success"] is False
        await wait_until(lambda: readiness(b)[0] == 503)
        assert readiness(b)[1]["ready"] is False
        assert page.client.connected  # sockets stay up while Redis is away
        redis.start()
        await wait_until(lambda: all(readiness(node)[0] == 200 for node in (a, b)))
        assert await post_webhook_async(a, payment("BK-r1", "t-after")) == (200, {"success": True})
        success, _ = await page.payment_events(timeout=10)
        assert success["transactionId"] == "t-after"
        await page.close()

    run(scenario(), timeout=90)
    assert "Redis" in a.log_path.read_text()


def test_killed_node_loses_nothing_and_its_clients_reconnect_through_nginx(tmp_path, nodes):
    nginx = Nginx(tmp_path / "nginx", [node.port for node in nodes]).start()
    try:
        async def scenario():
            client = socketio.AsyncClient(reconnection=True, reconnection_delay=0.1, reconnection_delay_max=0.5)
            connects = asyncio.Queue()
            events = asyncio.Queue()

            async def on_connect():
                await connects.put(True)

            client.on("connect", on_connect)
            client.on("transaction_success", lambda data: events.put_nowait(data))
            await client.connect(nginx.url, transports=["websocket"], wait_timeout=5)
            await asyncio.wait_for(connects.get(), 5)
            await client.call("subscribe_booking", {"bookingId": "BK-kill"}, timeout=5)
            await asyncio.sleep(0.2)
            serving = next(node for node in nodes if "booking=BK-kill" in node.log_path.read_text())
            survivors = [node for node in nodes if node is not serving]
            # A payment recorded through the node about to die is durable in Redis.
            assert (await post_webhook_async(serving, payment("BK-kill", "t-before-kill")))[0] == 200
            await asyncio.wait_for(events.get(), 5)
            kill(serving)
            await asyncio.wait_for(connects.get(), 15)  # reconnected, through nginx, to a live node
            answer = await client.call("subscribe_booking", {"bookingId": "BK-kill"}, timeout=5)
            assert answer == {"ok": True, "status": "paid"}
            replayed = await asyncio.wait_for(events.get(), 5)
            assert replayed["transactionId"] == "t-before-kill"
            await client.call("subscribe_booking", {"bookingId": "BK-kill-2"}, timeout=5)
            await asyncio.sleep(0.2)
            assert (await post_webhook_async(survivors[0], payment("BK-kill-2", "t-after-kill")))[0] == 200
            assert (await asyncio.wait_for(events.get(), 5))["transactionId"] == "t-after-kill"
            await client.disconnect()

        run(scenario(), timeout=90)
    finally:
        nginx.stop()


def test_one_node_polls_a_booking_at_a_time(tmp_path, redis):
    provider = FakeProvider()
    provider.script("BK-lease", [("json", {"status": "pending"})])
    started = start_nodes(tmp_path, redis, env={"PAYMENT_API_URL": provider.url + "/check/{memo}", "POLL_INTERVAL": "200ms"})
    try:
        async def scenario():
            pages = [await Page().open(node) for node in started]
            for page in pages:
                await page.subscribe("BK-lease")
            await asyncio.sleep(2.0)
            for page in pages:
                await page.close()

        run(scenario())
        requests = provider.requests_for("BK-lease")
        # 2 s at one request per 200 ms is about 10; three unco-ordinated nodes would make ~30.
        assert 5 <= len(requests) <= 14, len(requests)
    finally:
        for node in started:
            node.stop()
        provider.stop()
