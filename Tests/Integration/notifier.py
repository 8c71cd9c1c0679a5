"""Helpers for tests of the payment notifier: a `paynotify serve` process with its own ledger,
a python-socketio page watching bookings, and a fake provider status API."""
import asyncio
import json
import re
import threading
import time
import urllib.error
import urllib.request
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import socketio

from conftest import ServerProcess, run

TIMESTAMP = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$")


def notifier_process(tmp_path, env=None, args=(), database="ledger.sqlite", port=None):
    environment = {"DATABASE_PATH": str(tmp_path / database), "LOG_LEVEL": "info", **(env or {})}
    return ServerProcess(["serve", "--host", "127.0.0.1", *args], tmp_path / "serve.log", env=environment, cwd=tmp_path, port=port)


def post_webhook(server, body, path="/webhook/payment", raw=None, headers=None):
    """POSTs a webhook; returns (status, parsed JSON answer)."""
    data = raw if raw is not None else json.dumps(body).encode()
    request = urllib.request.Request(server.url + path, data=data, method="POST", headers={"Content-Type": "application/json", **(headers or {})})
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read())


async def post_webhook_async(server, body, **kwargs):
    return await asyncio.get_running_loop().run_in_executor(None, lambda: post_webhook(server, body, **kwargs))


def payment(booking, transaction="txn-1", amount=500000, status="success"):
    return {"bookingId": booking, "transactionId": transaction, "amount": amount, "status": status}


def booking_status(server, booking):
    """The booking's status as a page subscribing now is told it (`pending`, `paid`, …)."""

    async def scenario():
        page = await Page().open(server)
        answer = await page.subscribe(booking)
        await page.close()
        return answer["status"]

    return run(scenario())


class Page:
    """A checkout page: one python-socketio client collecting payment events."""

    EVENTS = ("transaction_success", "payment_confirmed", "payment_underpaid")

    def __init__(self, transports=("websocket",), reconnection=False, auth=None):
        self.client = socketio.AsyncClient(reconnection=reconnection, reconnection_delay=0.1, reconnection_delay_max=0.3)
        self.transports = list(transports)
        self.auth = auth
        self.events = asyncio.Queue()
        for name in self.EVENTS:
            self.client.on(name, self._collector(name))

    def _collector(self, name):
        async def collect(payload):
            await self.events.put((name, payload))

        return collect

    async def open(self, server):
        await self.client.connect(server.url, transports=self.transports, auth=self.auth, wait_timeout=5)
        return self

    async def subscribe(self, booking, **extra):
        return await self.client.call("subscribe_booking", {"bookingId": booking, **extra}, timeout=5)

    async def unsubscribe(self, booking):
        return await self.client.call("unsubscribe_booking", {"bookingId": booking}, timeout=5)

    async def next_event(self, timeout=5):
        return await asyncio.wait_for(self.events.get(), timeout)

    async def payment_events(self, timeout=5):
        """The two events of one confirmed payment, checked to come in the reference order."""
        first = await self.next_event(timeout)
        second = await self.next_event(timeout)
        assert [first[0], second[0]] == ["transaction_success", "payment_confirmed"]
        return first[1], second[1]

    async def assert_no_event(self):
        # A round trip through the server: anything emitted before it has arrived by now.
        await self.client.call("unsubscribe_booking", {"bookingId": "sync-probe"}, timeout=5)
        assert self.events.empty(), f"unexpected event {self.events.get_nowait()}"

    async def close(self):
        await self.client.disconnect()


class FakeProvider:
    """A provider status API on a local port: `/check/<memo>` answers per booking, scripted."""

    def __init__(self):
        self.requests = []
        self.scripts = {}
        self.lock = threading.Lock()
        provider = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def do_GET(self):
                memo = urllib.request.unquote(self.path.rsplit("/", 1)[-1])
                with provider.lock:
                    provider.requests.append((time.monotonic(), memo, self.headers.get("Authorization")))
                    script = provider.scripts.get(memo, [])
                    count = sum(1 for _, m, _ in provider.requests if m == memo)
                    step = script[min(count, len(script)) - 1] if script else ("json", {"status": "pending"})
                kind, value = step
                if kind == "sleep":
                    time.sleep(value)
                    kind, value = "json", {"status": "pending"}
                if kind == "status":
                    self.send_response(value)
                    self.end_headers()
                    self.wfile.write(b"provider error")
                    return
                body = value.encode() if kind == "raw" else json.dumps(value).encode()
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def script(self, memo, steps):
        """Answers for `memo`, one per request; the last one repeats."""
        with self.lock:
            self.scripts[memo] = steps

    def requests_for(self, memo):
        with self.lock:
            return [entry for entry in self.requests if entry[1] == memo]

    def stop(self):
        self.server.shutdown()
        self.server.server_close()
