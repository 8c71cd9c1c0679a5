"""Signed callbacks to the merchant's backend, against the built server and a real local HTTP
receiver: event types and bodies, Standard Webhooks signatures (verified with PyPI's
`standardwebhooks`), retries on a shortened schedule, giving up, and no loss across SIGKILL."""
import os
import signal
import subprocess
import time
import urllib.request
from concurrent.futures import ThreadPoolExecutor

import pytest

from callbacks import OLD_SECRET, SECRET, MerchantReceiver, callback_env, verify
from conftest import BINARY
from notifier import notifier_process, payment, post_webhook
from providers import PROVIDER_ENV, api, sepay_body, sepay_headers


@pytest.fixture
def receiver():
    merchant = MerchantReceiver()
    yield merchant
    merchant.stop()


def start(tmp_path, receiver, **env):
    return notifier_process(tmp_path, env={**PROVIDER_ENV, **callback_env(receiver, **env)}).start(ready_path="/healthz")


def gaps(deliveries):
    return [later["at"] - earlier["at"] for earlier, later in zip(deliveries, deliveries[1:])]


def test_every_event_type_arrives_signed_with_a_stable_id(tmp_path, receiver):
    server = start(tmp_path, receiver, MERCHANT_CALLBACK_SECRET=f"{SECRET} {OLD_SECRET}")
    try:
        assert api(server, "/api/bookings", {"bookingId": "BK-under", "amount": 900000})[0] == 200
        assert post_webhook(server, payment("BK-1", "t1", 500000)) == (200, {"success": True})
        assert post_webhook(server, payment("BK-1", "t1", 500000))[0] == 200  # provider retry: no new event
        assert post_webhook(server, payment("BK-1", "t2", 500000))[0] == 200  # paid twice
        assert post_webhook(server, payment("BK-2", "t3", 1, status="pending"))[0] == 200  # no event
        assert post_webhook(server, payment("BK-under", "t4", 100000))[0] == 200
        assert post_webhook(server, sepay_body(9001, "no code here", 70000), path="/webhook/sepay", headers=sepay_headers())[0] == 200
        deliveries = receiver.wait_for(4)
        time.sleep(0.5)
        assert len(receiver.deliveries) == 4
        bodies = [verify(delivery) for delivery in deliveries]
        # The previous secret signs too, for a merchant still rotating.
        assert [verify(delivery, OLD_SECRET) for delivery in deliveries] == bodies
        by_type = {body["type"]: body for body in bodies}
        assert sorted(by_type) == ["payment.additional", "payment.confirmed", "payment.underpaid", "transfer.unmatched"]
        confirmed = by_type["payment.confirmed"]
        assert set(confirmed) == {"id", "type", "createdAt", "data"}
        assert confirmed["data"]["bookingId"] == "BK-1" and confirmed["data"]["transactionId"] == "t1"
        assert confirmed["data"]["amount"] == 500000 and confirmed["data"]["confirmedAt"].endswith("Z")
        assert by_type["payment.additional"]["data"]["refundNeeded"] is True
        assert by_type["payment.underpaid"]["data"]["expectedAmount"] == 900000
        assert by_type["transfer.unmatched"]["data"]["transactionId"] == "9001"
        for delivery, body in zip(deliveries, bodies):
            assert delivery["headers"]["webhook-id"] == body["id"] and body["id"].startswith("evt_")
            assert len(delivery["headers"]["webhook-signature"].split(" ")) == 2
            assert delivery["path"] == "/paynotify/events"
            assert delivery["headers"]["content-type"] == "application/json"
    finally:
        server.stop()


def test_failures_retry_on_the_schedule_with_the_same_id_and_body(tmp_path):
    receiver = MerchantReceiver(script=[500, 503, 200])
    server = start(tmp_path, receiver, schedule="400ms,800ms,5s")
    try:
        assert post_webhook(server, payment("BK-r", "t1"))[0] == 200
        deliveries = receiver.wait_for(3)
        time.sleep(1.0)
        assert len(receiver.deliveries) == 3, "a 2xx ends delivery"
        assert len({delivery["body"] for delivery in deliveries}) == 1
        assert len({delivery["headers"]["webhook-id"] for delivery in deliveries}) == 1
        first, second = gaps(deliveries)
        # Each wait within its 10 % jitter, plus the worker's reaction time.
        assert 0.35 <= first <= 0.9, first
        assert 0.7 <= second <= 1.4, second
        for delivery in deliveries:
            verify(delivery)
        with urllib.request.urlopen(server.url + "/metrics", timeout=5) as response:
            metrics = response.read().decode()
        assert 'paynotify_callback_attempts_total{outcome="retry"} 2' in metrics
        assert 'paynotify_callback_attempts_total{outcome="delivered"} 1' in metrics
        assert "paynotify_callback_attempt_duration_seconds_count 3" in metrics
    finally:
        server.stop()
        receiver.stop()


@pytest.mark.parametrize("status, attempts", [(410, 3), (429, 4), (500, 4)])
def test_refusals_stop_after_three_other_failures_after_the_schedule(tmp_path, status, attempts):
    """410 (a 4xx) is retried twice then the event fails; 429 and 5xx follow the whole schedule."""
    receiver = MerchantReceiver(script=[status])
    server = start(tmp_path, receiver, schedule="200ms,200ms,200ms")
    try:
        assert post_webhook(server, payment("BK-x", "t1"))[0] == 200
        receiver.wait_for(attempts)
        time.sleep(1.2)
        assert len(receiver.deliveries) == attempts
        log = server.log_path.read_text()
        assert "Callback failed for good" in log
    finally:
        server.stop()
        receiver.stop()


def test_a_merchant_that_does_not_answer_in_time_is_retried(tmp_path):
    receiver = MerchantReceiver(script=[("stall", 3.0), 200])
    server = start(tmp_path, receiver, schedule="300ms", MERCHANT_CALLBACK_TIMEOUT="500ms")
    try:
        started = time.monotonic()
        assert post_webhook(server, payment("BK-t", "t1"))[0] == 200
        assert time.monotonic() - started < 1.0, "the webhook never waits for the merchant"
        deliveries = receiver.wait_for(2, timeout=10)
        assert 0.7 <= gaps(deliveries)[0] <= 2.0
        assert "timed out" in server.log_path.read_text()
    finally:
        server.stop()
        receiver.stop()


def test_a_slow_merchant_does_not_delay_webhooks(tmp_path):
    receiver = MerchantReceiver(script=[("stall", 2.0)])
    server = start(tmp_path, receiver, MERCHANT_CALLBACK_CONCURRENCY="2", MERCHANT_CALLBACK_TIMEOUT="5")
    try:
        started = time.monotonic()
        for index in range(10):
            assert post_webhook(server, payment(f"BK-s{index}", f"t{index}"))[0] == 200
        assert time.monotonic() - started < 3.0
        receiver.wait_for(2, timeout=5)
        time.sleep(0.5)
        with receiver.lock:
            assert len(receiver.deliveries) <= 2, "at most MERCHANT_CALLBACK_CONCURRENCY attempts in flight"
    finally:
        server.stop()
        receiver.stop()


def test_sigkill_during_a_burst_loses_no_acknowledged_callback(tmp_path):
    receiver = MerchantReceiver(script=[503])  # the merchant is down: everything stays pending
    env = {**PROVIDER_ENV, **callback_env(receiver, schedule="200ms,400ms,800ms,1s,1s,1s,1s,1s,1s,1s", MERCHANT_CALLBACK_TIMEOUT="1")}
    server = notifier_process(tmp_path, env=env).start(ready_path="/healthz")
    acknowledged = []

    def send(index):
        try:
            status, _ = post_webhook(server, payment(f"BK-k{index}", f"k{index}"))
        except Exception:
            return None
        return index if status == 200 else None

    try:
        with ThreadPoolExecutor(max_workers=16) as pool:
            futures = [pool.submit(send, index) for index in range(300)]
            time.sleep(0.4)
            os.kill(server.process.pid, signal.SIGKILL)
            acknowledged = [future.result() for future in futures]
        acknowledged = [index for index in acknowledged if index is not None]
        server.process.wait(timeout=10)
    finally:
        server.stop()
    assert acknowledged, "some webhooks were answered before the kill"
    receiver.script = [200]
    restarted = notifier_process(tmp_path, env=env, port=server.port).start(ready_path="/healthz")
    try:
        expected = {f"BK-k{index}" for index in acknowledged}

        def delivered(deliveries):
            import json
            got = {json.loads(d["body"])["data"]["bookingId"] for d in deliveries[-5000:]}
            return expected <= got

        receiver.wait_until(delivered, timeout=60)
    finally:
        restarted.stop()
        receiver.stop()


@pytest.mark.parametrize("env, message", [
    ({"MERCHANT_CALLBACK_URL": "http://127.0.0.1:9/x"}, "MERCHANT_CALLBACK_SECRET: required with MERCHANT_CALLBACK_URL"),
    ({"MERCHANT_CALLBACK_URL": "ftp://merchant.example/x", "MERCHANT_CALLBACK_SECRET": SECRET}, "MERCHANT_CALLBACK_URL: 'ftp://merchant.example/x' is not an http(s) URL"),
    ({"MERCHANT_CALLBACK_URL": "http://127.0.0.1:9/x", "MERCHANT_CALLBACK_SECRET": "not-a-secret"}, "MERCHANT_CALLBACK_SECRET: a Standard Webhooks secret is whsec_"),
    ({"MERCHANT_CALLBACK_SECRET": SECRET}, "MERCHANT_CALLBACK_SECRET: set without MERCHANT_CALLBACK_URL"),
    ({"MERCHANT_CALLBACK_URL": "http://127.0.0.1:9/x", "MERCHANT_CALLBACK_SECRET": SECRET, "MERCHANT_CALLBACK_SCHEDULE": "5s,soon"}, "MERCHANT_CALLBACK_SCHEDULE: 'soon' is not a wait"),
    ({"MERCHANT_CALLBACK_URL": "http://127.0.0.1:9/x", "MERCHANT_CALLBACK_SECRET": SECRET, "MERCHANT_CALLBACK_SCHEDULE": "5s,,1m"}, "MERCHANT_CALLBACK_SCHEDULE: '' is not a wait"),
    ({"MERCHANT_CALLBACK_URL": "http://127.0.0.1:9/x", "MERCHANT_CALLBACK_SECRET": SECRET, "MERCHANT_CALLBACK_SCHEDULE": "10ms"}, "MERCHANT_CALLBACK_SCHEDULE: '10ms' is not a wait from 50ms to 24h"),
    ({"MERCHANT_CALLBACK_URL": "http://127.0.0.1:9/x", "MERCHANT_CALLBACK_SECRET": SECRET, "MERCHANT_CALLBACK_CONCURRENCY": "0"}, "MERCHANT_CALLBACK_CONCURRENCY: '0' is not a whole number from 1 to 256"),
    ({"MERCHANT_CALLBACK_URL": "http://127.0.0.1:9/x", "MERCHANT_CALLBACK_SECRET": SECRET, "MERCHANT_CALLBACK_TIMEOUT": "1ms"}, "MERCHANT_CALLBACK_TIMEOUT: '1ms' is not a duration of at least"),
])
def test_bad_callback_configuration_is_refused_at_start(tmp_path, env, message):
    result = subprocess.run(
        [str(BINARY), "serve", "--host", "127.0.0.1", "--port", "0"],
        env={**os.environ, "DATABASE_PATH": str(tmp_path / "l.sqlite"), **env}, capture_output=True, text=True, timeout=20, cwd=tmp_path,
    )
    assert result.returncode != 0
    assert message in result.stderr + result.stdout


def test_cluster_nodes_deliver_each_event_once_and_a_killed_node_loses_nothing(tmp_path, redis):
    """Three nodes on one Redis: webhooks spread over them, each event delivered by exactly one
    node (the claim is a cluster-wide lease); a node killed while the merchant is down leaves
    its events to the others."""
    import json

    from cluster import kill, start_nodes

    receiver = MerchantReceiver(script=[200])
    env = {**PROVIDER_ENV, **callback_env(receiver, schedule="200ms,400ms,800ms,1s,1s,1s,1s,1s,1s,1s"), "MERCHANT_CALLBACK_TIMEOUT": "1"}
    nodes = start_nodes(tmp_path, redis, count=3, env=env)
    try:
        for index in range(60):
            assert post_webhook(nodes[index % 3], payment(f"BK-c{index}", f"c{index}"))[0] == 200
        receiver.wait_for(60)
        time.sleep(1.0)
        ids = [delivery["headers"]["webhook-id"] for delivery in receiver.deliveries]
        assert len(ids) == 60 and len(set(ids)) == 60, "each event delivered once, by one node"

        receiver.script = [503]  # the merchant goes down
        with receiver.lock:
            receiver.deliveries.clear()
        for index in range(20):
            assert post_webhook(nodes[0], payment(f"BK-d{index}", f"d{index}"))[0] == 200
        receiver.wait_for(20)
        kill(nodes[0])
        receiver.script = [200]
        expected = {f"BK-d{index}" for index in range(20)}

        def delivered(deliveries):
            ok = {json.loads(d["body"])["data"]["bookingId"] for d in deliveries}
            return expected <= ok

        receiver.wait_until(delivered, timeout=30)
    finally:
        for node in nodes:
            node.stop()
        receiver.stop()


def test_sigkill_of_redis_with_aof_during_a_burst_loses_no_acknowledged_callback(tmp_path):
    """Cluster mode, Redis with an fsynced append-only file: Redis is killed during a burst and
    started again on its files; every payment a node acknowledged has its callback delivered."""
    import json

    from cluster import RedisServer, start_nodes

    redis_directory = tmp_path / "redis"
    redis_directory.mkdir()
    redis = RedisServer(redis_directory, durable=True).start()
    receiver = MerchantReceiver(script=[503])
    env = {**PROVIDER_ENV, **callback_env(receiver, schedule="200ms,400ms,800ms,1s,1s,1s,1s,1s,1s,1s,1s,1s,1s,1s,1s"), "MERCHANT_CALLBACK_TIMEOUT": "1"}
    nodes = start_nodes(tmp_path, redis, count=2, env=env)

    def send(index):
        try:
            status, _ = post_webhook(nodes[index % 2], payment(f"BK-a{index}", f"a{index}"))
        except Exception:
            return None
        return index if status == 200 else None

    try:
        with ThreadPoolExecutor(max_workers=8) as pool:
            futures = [pool.submit(send, index) for index in range(200)]
            time.sleep(0.3)
            redis.kill()
            acknowledged = [index for index in (future.result() for future in futures) if index is not None]
        assert acknowledged, "some webhooks were answered before the kill"
        redis.start()
        receiver.script = [200]
        expected = {f"BK-a{index}" for index in acknowledged}

        def delivered(deliveries):
            return expected <= {json.loads(d["body"])["data"]["bookingId"] for d in deliveries}

        receiver.wait_until(delivered, timeout=60)
    finally:
        for node in nodes:
            node.stop()
        receiver.stop()
        redis.stop()


def test_a_merchant_that_refuses_connections_is_retried_on_the_schedule_not_held(tmp_path):
    """A refused connection fails its attempt at once (the schedule retries it); it does not
    hold a slot until the time limit."""
    from conftest import free_port
    from test_merchant_api import call, wait_for_first_event

    class Closed:
        url = f"http://127.0.0.1:{free_port()}/events"

    server = notifier_process(tmp_path, env={**PROVIDER_ENV, **callback_env(Closed, schedule="300ms,300ms,300ms"), "MERCHANT_CALLBACK_TIMEOUT": "10"}).start(ready_path="/healthz")
    try:
        assert post_webhook(server, payment("BK-n", "n1"))[0] == 200
        page = wait_for_first_event(server, "failed")
        assert page["events"][0]["state"] == "failed", page
        _, detail = call(server, "GET", f"/api/events/{page['events'][0]['id']}")
        attempts = detail["deliveryAttempts"]
        assert len(attempts) == 4
        assert all(a["statusCode"] is None and "refused" in a["error"].lower() and a["durationMs"] < 2000 for a in attempts), attempts
    finally:
        server.stop()
