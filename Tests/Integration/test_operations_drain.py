"""Graceful drain: SIGTERM in the middle of a webhook load. Webhooks in flight finish, new ones
get 503 with Retry-After, every socket is told to go (an Engine.IO close), the process exits 0
within DRAIN_TIMEOUT, and every webhook answered 200 is in the ledger file afterwards."""
import asyncio
import json
import signal
import socket
import sqlite3
import threading
import time
import urllib.error
import urllib.request

from conftest import run
from notifier import Page, notifier_process, payment
from operations import get_json


class WebhookLoad:
    """Threads posting webhooks with fresh transaction ids until stopped, noting each answer."""

    def __init__(self, server, threads=4):
        self.server = server
        self.stopping = threading.Event()
        self.lock = threading.Lock()
        self.answers = []  # (transaction, status or None if no answer, Retry-After)
        self.threads = [threading.Thread(target=self.post_until_stopped, args=(n,), daemon=True) for n in range(threads)]

    def post_until_stopped(self, worker):
        number = 0
        while not self.stopping.is_set():
            number += 1
            transaction = f"load-{worker}-{number}"
            body = json.dumps(payment(f"BK-load-{worker}", transaction)).encode()
            request = urllib.request.Request(self.server.url + "/webhook/payment", data=body, method="POST", headers={"Content-Type": "application/json"})
            try:
                with urllib.request.urlopen(request, timeout=10) as response:
                    answer = (transaction, response.status, None)
            except urllib.error.HTTPError as error:
                answer = (transaction, error.code, error.headers.get("Retry-After"))
            except OSError:
                answer = (transaction, None, None)  # refused or reset: the server is gone
                time.sleep(0.01)
            with self.lock:
                self.answers.append(answer)

    def __enter__(self):
        for thread in self.threads:
            thread.start()
        return self

    def __exit__(self, *exc):
        self.stopping.set()
        for thread in self.threads:
            thread.join(timeout=15)

    def with_status(self, status):
        with self.lock:
            return [answer for answer in self.answers if answer[1] == status]


class SlowWebhook:
    """A webhook whose body arrives in two parts: in flight for as long as the test likes."""

    def __init__(self, server, transaction):
        body = json.dumps(payment("BK-slow", transaction)).encode()
        self.first, self.rest = body[:10], body[10:]
        self.connection = socket.create_connection(("127.0.0.1", server.port), timeout=15)
        head = f"POST /webhook/payment HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: {len(body)}\r\n\r\n"
        self.connection.sendall(head.encode() + self.first)

    def finish(self):
        self.connection.sendall(self.rest)
        answer = b""
        while b"\r\n\r\n" not in answer or not answer.rstrip().endswith(b"}"):
            chunk = self.connection.recv(4096)
            if not chunk:
                break
            answer += chunk
        self.connection.close()
        return int(answer.split(b" ", 2)[1]), json.loads(answer.split(b"\r\n\r\n", 1)[1])


def recorded_transactions(database):
    with sqlite3.connect(database) as ledger:
        return {row[0] for row in ledger.execute("SELECT transaction_id FROM payment")}


def test_sigterm_mid_load_loses_no_acknowledged_webhook(tmp_path):
    # No rate limit in the way: the load comes from one address.
    server = notifier_process(tmp_path, env={"DRAIN_TIMEOUT": "10s", "WEBHOOK_RATE_LIMIT": "1000000", "WEBHOOK_RATE_BURST": "1000000"}).start(ready_path="/readyz")
    try:
        async def scenario():
            pages = [await Page().open(server), await Page(["polling"]).open(server)]
            for page in pages:
                await page.subscribe("BK-slow")
            disconnected = [asyncio.Event() for _ in pages]
            for page, event in zip(pages, disconnected):
                page.client.on("disconnect", lambda *args, event=event: event.set())

            loop = asyncio.get_running_loop()
            with WebhookLoad(server) as load:
                await asyncio.sleep(1.0)
                slow = SlowWebhook(server, "t-slow")
                await asyncio.sleep(0.2)
                signalled = time.monotonic()
                server.process.send_signal(signal.SIGTERM)

                # While the slow webhook is in flight, the node drains: new webhooks 503 with
                # Retry-After, readiness says so, new connections are refused, sockets stay.
                deadline = time.monotonic() + 5
                while not load.with_status(503):
                    assert time.monotonic() < deadline, "no 503 while draining"
                    await asyncio.sleep(0.05)
                assert all(retry == "5" for _, _, retry in load.with_status(503))
                status, body = await loop.run_in_executor(None, get_json, server, "/readyz")
                assert status == 503 and "draining" in body["problems"]
                late = Page(["polling"])
                try:
                    await late.open(server)
                    raise AssertionError("a new connection was admitted while draining")
                except Exception as error:
                    assert "connection" in type(error).__name__.lower() or "refused" in str(error).lower(), error
                assert all(page.client.connected for page in pages)

                # The webhook in flight finishes and is acknowledged; then every socket is closed.
                assert await loop.run_in_executor(None, slow.finish) == (200, {"success": True})
                for event in disconnected:
                    await asyncio.wait_for(event.wait(), 5)
                exit_code = await loop.run_in_executor(None, server.process.wait, 15)
                elapsed = time.monotonic() - signalled
            return load, exit_code, elapsed

        load, exit_code, elapsed = run(scenario(), timeout=90)
        assert exit_code == 0
        assert elapsed < 10, f"drain took {elapsed:.1f}s"
        acknowledged = {transaction for transaction, _, _ in load.with_status(200)} | {"t-slow"}
        assert len(acknowledged) > 20, "the load did not get going"
        missing = acknowledged - recorded_transactions(tmp_path / "ledger.sqlite")
        assert not missing, f"acknowledged but not in the ledger: {sorted(missing)}"
        log = server.log_path.read_text()
        assert "Draining" in log and "Drained" in log and "Ledger flushed" in log
        print(f"\n{len(acknowledged)} webhooks acknowledged, {len(load.with_status(503))} answered 503 while draining, exit 0 after {elapsed:.2f}s")
    finally:
        server.stop()


def test_a_webhook_stuck_in_flight_does_not_hold_the_node_past_its_deadline(tmp_path):
    server = notifier_process(tmp_path, env={"DRAIN_TIMEOUT": "2s"}).start(ready_path="/readyz")
    try:
        stuck = SlowWebhook(server, "t-stuck")  # its body never completes
        time.sleep(0.2)
        signalled = time.monotonic()
        server.process.send_signal(signal.SIGTERM)
        assert server.process.wait(timeout=15) == 0
        elapsed = time.monotonic() - signalled
        assert 1.3 < elapsed < 3.5, f"exited after {elapsed:.1f}s with DRAIN_TIMEOUT=2s"
        stuck.connection.close()
        assert "t-stuck" not in recorded_transactions(tmp_path / "ledger.sqlite")
        log = server.log_path.read_text()
        assert "Drain deadline reached with webhooks in flight" in log and "Ledger flushed" in log
        assert "body not received: CancellationError" in log
    finally:
        server.stop()
