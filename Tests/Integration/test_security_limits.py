"""Rate limits and abuse limits, TLS, and production mode."""
import asyncio
import json
import ssl
import subprocess
import time
import urllib.request

import aiohttp
import pytest
import socketio

from conftest import BINARY, run
from notifier import Page, notifier_process, payment
from security import JWT_SECRET, STANDARD_SECRET, self_signed_certificate


async def post_from(source, server, body, headers=None):
    """POSTs a webhook from a chosen loopback address; returns (status, headers, JSON)."""
    connector = aiohttp.TCPConnector(local_addr=(source, 0), force_close=True)
    async with aiohttp.ClientSession(connector=connector) as session:
        async with session.post(server.url + "/webhook/payment", data=json.dumps(body), headers=headers or {}) as response:
            return response.status, dict(response.headers), await response.json(content_type=None)


def test_a_flood_from_one_address_does_not_delay_another(tmp_path):
    server = notifier_process(tmp_path, env={"WEBHOOK_RATE_LIMIT": "5", "WEBHOOK_RATE_BURST": "10"}).start(ready_path="/healthz")
    try:
        async def scenario():
            connector = aiohttp.TCPConnector(local_addr=("127.0.0.2", 0), limit=50)
            async with aiohttp.ClientSession(connector=connector) as flooder:
                async def flood_one(number):
                    async with flooder.post(server.url + "/webhook/payment", data=json.dumps(payment("b-flood", f"t-{number}"))) as response:
                        return response.status, response.headers.get("Retry-After")

                flood = asyncio.gather(*(flood_one(n) for n in range(600)))
                await asyncio.sleep(0.1)  # the flood is under way
                started = time.monotonic()
                legitimate = await post_from("127.0.0.3", server, payment("b-legit", "t-legit"))
                legitimate_seconds = time.monotonic() - started
                results = await flood
            assert legitimate[0] == 200 and legitimate[2] == {"success": True}
            limited = [retry for status, retry in results if status == 429]
            assert len(limited) >= 500, f"only {len(limited)} of 600 flood requests were limited"
            assert all(retry is not None and int(retry) >= 1 for retry in limited)
            print(f"\nlegitimate webhook answered in {legitimate_seconds * 1000:.1f} ms during a 600-request flood")
            page = await Page().open(server)
            assert await page.subscribe("b-legit") == {"ok": True, "status": "paid"}
            await page.close()

        run(scenario())
    finally:
        server.stop()


def test_provider_allow_list_and_trusted_proxies(tmp_path):
    server = notifier_process(tmp_path, env={"WEBHOOK_ALLOWED_IPS": "127.0.0.3, 203.0.113.0/24", "TRUSTED_PROXIES": "127.0.0.1"}).start(ready_path="/healthz")
    try:
        async def scenario():
            assert (await post_from("127.0.0.2", server, payment("b-1", "t-1")))[0] == 403
            assert (await post_from("127.0.0.3", server, payment("b-1", "t-1")))[0] == 200
            # Through the trusted proxy, the forwarded address counts...
            assert (await post_from("127.0.0.1", server, payment("b-2", "t-2"), {"X-Forwarded-For": "198.51.100.1, 203.0.113.7"}))[0] == 200
            assert (await post_from("127.0.0.1", server, payment("b-3", "t-3"), {"X-Forwarded-For": "198.51.100.1"}))[0] == 403
            # ...but nobody else may claim one.
            assert (await post_from("127.0.0.2", server, payment("b-4", "t-4"), {"X-Forwarded-For": "203.0.113.7"}))[0] == 403

        run(scenario())
    finally:
        server.stop()


def test_connections_per_address_are_limited(tmp_path):
    server = notifier_process(tmp_path, env={"MAX_CONNECTIONS_PER_IP": "2"}).start(ready_path="/healthz")
    try:
        async def scenario():
            first = await Page().open(server)
            second = await Page(["polling"]).open(server)
            with urllib.request.urlopen(server.url + "/healthz") as _:
                pass
            try:
                urllib.request.urlopen(server.url + "/socket.io/?EIO=4&transport=polling", timeout=5)
                raise AssertionError("third connection admitted")
            except urllib.error.HTTPError as error:
                assert error.code == 403
                assert json.loads(error.read()) == {"code": 4, "message": "Forbidden"}
            third = socketio.AsyncClient(reconnection=False)
            with pytest.raises(socketio.exceptions.ConnectionError):
                await third.connect(server.url, transports=["websocket"], wait_timeout=5)
            await first.close()
            await asyncio.sleep(0.2)
            replacement = await Page().open(server)
            await replacement.close()
            await second.close()

        run(scenario())
    finally:
        server.stop()


def test_subscriptions_per_socket_are_limited(tmp_path):
    server = notifier_process(tmp_path, env={"MAX_SUBSCRIPTIONS_PER_SOCKET": "2"}).start(ready_path="/healthz")
    try:
        async def scenario():
            page = await Page().open(server)
            assert (await page.subscribe("b-1"))["ok"] is True
            assert (await page.subscribe("b-2"))["ok"] is True
            assert (await page.subscribe("b-1"))["ok"] is True  # already watched: no new subscription
            assert await page.subscribe("b-3") == {"ok": False, "error": "too many subscriptions"}
            await page.unsubscribe("b-1")
            assert (await page.subscribe("b-3"))["ok"] is True
            await page.close()

        run(scenario())
    finally:
        server.stop()


def test_a_socket_sending_too_fast_is_told_and_disconnected(tmp_path):
    server = notifier_process(tmp_path, env={"SOCKET_PACKET_RATE": "2", "SOCKET_PACKET_BURST": "5"}).start(ready_path="/healthz")
    try:
        async def scenario():
            client = socketio.AsyncClient(reconnection=False)
            told = asyncio.Queue()
            reasons = asyncio.Queue()
            client.on("rate_limited", lambda data: told.put_nowait(data))
            client.on("disconnect", lambda reason=None: reasons.put_nowait(reason))
            await client.connect(server.url, transports=["websocket"], wait_timeout=5)
            bystander = await Page().open(server)
            for number in range(30):
                await client.emit("subscribe_booking", {"bookingId": f"b-{number}"})
            assert await asyncio.wait_for(told.get(), 5) == {"message": "too many packets"}
            assert await asyncio.wait_for(reasons.get(), 5) == client.reason.SERVER_DISCONNECT
            assert (await bystander.subscribe("b-ok"))["ok"] is True
            await bystander.close()
            await client.disconnect()

        run(scenario())
        assert "over its packet rate" in server.log_path.read_text()
    finally:
        server.stop()


@pytest.mark.parametrize("transport", ["websocket", "polling"])
def test_tls_serves_https_and_wss(tmp_path, transport):
    certificate, key = self_signed_certificate(str(tmp_path))
    server = notifier_process(tmp_path, env={"TLS_CERT_PATH": certificate, "TLS_KEY_PATH": key})
    server.url = server.url.replace("http://", "https://")
    context = ssl.create_default_context(cafile=certificate)
    deadline = time.monotonic() + 20
    server.log = open(server.log_path, "ab")
    server.process = subprocess.Popen(server.args, stdout=server.log, stderr=subprocess.STDOUT, env=server.env, cwd=server.cwd)
    try:
        while True:
            try:
                with urllib.request.urlopen(server.url + "/healthz", context=context, timeout=1):
                    break
            except Exception:
                assert time.monotonic() < deadline, "TLS server did not come up"
                time.sleep(0.05)

        async def scenario():
            connector = aiohttp.TCPConnector(ssl=context)
            http = aiohttp.ClientSession(connector=connector)
            client = socketio.AsyncClient(reconnection=False, http_session=http)
            events = asyncio.Queue()
            client.on("transaction_success", lambda data: events.put_nowait(data))
            await client.connect(server.url, transports=[transport], wait_timeout=5)
            assert await client.call("subscribe_booking", {"bookingId": "b-tls"}, timeout=5) == {"ok": True, "status": "pending"}
            async with http.post(server.url + "/webhook/payment", data=json.dumps(payment("b-tls", "t-tls"))) as response:
                assert response.status == 200
            assert (await asyncio.wait_for(events.get(), 5))["bookingId"] == "b-tls"
            await client.disconnect()
            await http.close()

        run(scenario())
    finally:
        server.stop()


@pytest.mark.parametrize(
    "env, named",
    [
        ({}, "WEBHOOK_SECRET"),
        ({"WEBHOOK_SECRET": STANDARD_SECRET}, "JWT_SECRET"),
        ({"WEBHOOK_SECRET": STANDARD_SECRET, "JWT_SECRET": JWT_SECRET, "FRONTEND_URL": "*"}, "FRONTEND_URL"),
        ({"WEBHOOK_SECRET": STANDARD_SECRET, "JWT_SECRET": "short"}, "JWT_SECRET"),
    ],
)
def test_production_refuses_to_start_unprotected(tmp_path, env, named):
    result = subprocess.run([str(BINARY), "serve", "--port", "0"], cwd=tmp_path, capture_output=True, text=True, timeout=30,
                            env={"PATH": "/usr/bin:/bin", "PAYNOTIFY_ENV": "production", **env})
    assert result.returncode != 0
    assert named in result.stderr, result.stderr


def test_production_starts_when_protected_and_development_warns(tmp_path):
    protected = notifier_process(tmp_path, env={"PAYNOTIFY_ENV": "production", "WEBHOOK_SECRET": STANDARD_SECRET,
                                                "JWT_SECRET": JWT_SECRET, "FRONTEND_URL": "https://shop.example"}).start(ready_path="/healthz")
    protected.stop()
    log = protected.log_path.read_text()
    assert "environment=production" in log and "not authenticated" not in log
    (tmp_path / "serve.log").unlink()
    open_server = notifier_process(tmp_path).start(ready_path="/healthz")
    open_server.stop()
    log = open_server.log_path.read_text()
    assert log.count("Webhooks are not authenticated") == 1
    assert log.count("Sockets are not authenticated") == 1
