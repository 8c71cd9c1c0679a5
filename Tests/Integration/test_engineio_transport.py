"""Engine.IO details the official suites do not pin down: no packet lost or reordered across
the polling → websocket upgrade, and CORS for the polling transport."""
import asyncio
import json
import urllib.request

import aiohttp
import pytest

from conftest import run
from notifier import notifier_process


def test_upgrade_loses_and_reorders_nothing(conformance_server):
    """Messages echoed while the client probes and switches arrive once each, in order, split
    between the last poll and the websocket."""

    async def scenario():
        base = conformance_server.url + "/engine.io/?EIO=4"
        async with aiohttp.ClientSession() as session:
            async with session.get(base + "&transport=polling") as response:
                sid = json.loads((await response.text())[1:])["sid"]
            polling = f"{base}&transport=polling&sid={sid}"
            # 50 messages queued for the client before the probe...
            async with session.post(polling, data="\x1e".join(f"4m{i}" for i in range(50))) as response:
                assert await response.text() == "ok"
            received = []
            async with session.ws_connect(f"{conformance_server.url.replace('http', 'ws')}/engine.io/?EIO=4&transport=websocket&sid={sid}") as ws:
                await ws.send_str("2probe")
                assert await ws.receive_str() == "3probe"
                # ...and 50 more while the probe is under way.
                async with session.post(polling, data="\x1e".join(f"4m{i}" for i in range(50, 100))) as response:
                    assert await response.text() == "ok"
                async with session.get(polling) as response:
                    body = await response.text()
                packets = body.split("\x1e")
                # A noop ends it only if the probe has been under way 100 ms (as Node's server
                # does); a poll with messages to carry ends with them.
                if packets[-1] == "6":
                    packets.pop()
                assert "6" not in packets
                received += [packet[1:] for packet in packets]
                await ws.send_str("5")
                await ws.send_str("4after")
                while len(received) < 101:
                    message = await asyncio.wait_for(ws.receive_str(), 5)
                    if message != "2":
                        received.append(message[1:])
            assert received == [f"m{i}" for i in range(100)] + ["after"]

    run(scenario())


@pytest.fixture(scope="module")
def cors_server(tmp_path_factory):
    directory = tmp_path_factory.mktemp("cors")
    server = notifier_process(directory, env={"FRONTEND_URL": "https://shop.example,http://localhost:3001/"}).start(ready_path="/healthz")
    yield server
    server.stop()


def request(server, method, origin, headers=None):
    req = urllib.request.Request(
        server.url + "/socket.io/?EIO=4&transport=polling", method=method,
        headers={**({"Origin": origin} if origin else {}), **(headers or {})},
    )
    try:
        with urllib.request.urlopen(req, timeout=5) as response:
            return response.status, dict(response.headers)
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers)


@pytest.mark.parametrize("origin", ["https://shop.example", "http://localhost:3001"])
def test_allowed_origin_gets_cors_headers_with_credentials(cors_server, origin):
    status, headers = request(cors_server, "OPTIONS", origin, {"Access-Control-Request-Method": "POST"})
    assert status == 204
    assert headers["Access-Control-Allow-Origin"] == origin
    assert headers["Access-Control-Allow-Credentials"] == "true"
    assert "POST" in headers["Access-Control-Allow-Methods"]
    status, headers = request(cors_server, "GET", origin)
    assert status == 200
    assert headers["Access-Control-Allow-Origin"] == origin
    assert headers["Access-Control-Allow-Credentials"] == "true"
    assert headers["Vary"] == "Origin"


def test_other_origins_get_no_cors_headers(cors_server):
    status, headers = request(cors_server, "OPTIONS", "https://evil.example", {"Access-Control-Request-Method": "POST"})
    assert status == 403
    assert "Access-Control-Allow-Origin" not in headers
    status, headers = request(cors_server, "GET", "https://evil.example")
    assert "Access-Control-Allow-Origin" not in headers


def test_any_origin_never_allows_credentials(tmp_path):
    server = notifier_process(tmp_path, env={"FRONTEND_URL": "*"}).start(ready_path="/healthz")
    try:
        status, headers = request(server, "GET", "https://anything.example")
        assert status == 200
        assert headers["Access-Control-Allow-Origin"] == "*"
        assert "Access-Control-Allow-Credentials" not in headers
    finally:
        server.stop()
