"""Sessions, sockets and rooms are released on every close path: 10,000 connect/disconnect
cycles over real sockets, then the server must hold nothing."""
import asyncio
import time

import aiohttp
import pytest

from conftest import run

CYCLES = 10_000
CONCURRENCY = 25


async def wait_until_empty(server, timeout=10):
    deadline = time.monotonic() + timeout
    while True:
        stats = server.get_json("/stats")
        if stats == {"engineSessions": 0, "sockets": 0, "rooms": 0} or time.monotonic() > deadline:
            return stats
        await asyncio.sleep(0.1)


async def receive_skipping_pings(ws):
    """The next message that is not a heartbeat (the conformance endpoint pings every 300 ms,
    so a ping may come before any answer)."""
    while True:
        message = await ws.receive_str()
        if message != "2":
            return message
        await ws.send_str("3")


async def websocket_cycle(session, base):
    async with session.ws_connect(f"{base}/socket.io/?EIO=4&transport=websocket") as ws:
        assert (await ws.receive_str()).startswith("0{")
        await ws.send_str("40")
        assert (await receive_skipping_pings(ws)).startswith("40{")
        assert (await receive_skipping_pings(ws)) == '42["auth",{}]'
        await ws.send_str('42["join","leak-room"]')


async def polling_cycle(session, base):
    async with session.get(f"{base}/socket.io/?EIO=4&transport=polling") as response:
        sid = (await response.text())[1:].split('"sid":"')[1].split('"')[0]
    url = f"{base}/socket.io/?EIO=4&transport=polling&sid={sid}"
    async with session.post(url, data="40") as response:
        assert await response.text() == "ok"
    async with session.get(url) as response:
        assert "40{" in await response.text()
    async with session.post(url, data="1") as response:
        assert response.status == 200


async def run_cycles(count, cycle, base):
    async with aiohttp.ClientSession() as session:
        queue = iter(range(count))

        async def worker():
            for _ in queue:
                await cycle(session, base)

        await asyncio.gather(*(worker() for _ in range(CONCURRENCY)))


def test_no_leak_after_ten_thousand_cycles(conformance_server):
    async def scenario():
        base = conformance_server.url
        await run_cycles(200, websocket_cycle, base)  # warm-up: allocator pools, caches
        assert await wait_until_empty(conformance_server) == {"engineSessions": 0, "sockets": 0, "rooms": 0}
        rss_before = conformance_server.rss_kib()
        await run_cycles(CYCLES - 1_000, websocket_cycle, base)
        await run_cycles(1_000, polling_cycle, base)
        stats = await wait_until_empty(conformance_server)
        rss_after = conformance_server.rss_kib()
        print(f"\n{CYCLES} cycles: server RSS {rss_before} KiB before, {rss_after} KiB after ({rss_after - rss_before:+} KiB)")
        assert stats == {"engineSessions": 0, "sockets": 0, "rooms": 0}

    run(scenario(), timeout=600)


@pytest.mark.parametrize("misbehaviour", ["never-connects", "never-pongs", "malformed-packet"])
def test_server_side_closes_release_everything(conformance_server, misbehaviour):
    async def scenario():
        async with aiohttp.ClientSession() as session:
            async def one():
                async with session.ws_connect(f"{conformance_server.url}/socket.io/?EIO=4&transport=websocket") as ws:
                    await ws.receive_str()
                    if misbehaviour != "never-connects":
                        await ws.send_str("40")
                        await ws.receive_str()
                    if misbehaviour == "malformed-packet":
                        await ws.send_str("4abc")
                    # Read (without answering pings) until the server closes the connection.
                    async for _ in ws:
                        pass
                    assert ws.closed

            await asyncio.gather(*(one() for _ in range(200)))
        assert await wait_until_empty(conformance_server) == {"engineSessions": 0, "sockets": 0, "rooms": 0}

    run(scenario(), timeout=120)


def test_a_client_gone_without_a_close_frame_is_closed_at_once(tmp_path):
    """A killed app's kernel sends FIN, not a websocket close: the server closes its side (and
    the session) then, not at the next ping 25 s later, with the connection in CLOSE_WAIT."""
    import socket

    from notifier import notifier_process
    from rawwebsocket import OP_TEXT, RawWebSocket

    server = notifier_process(tmp_path).start(ready_path="/healthz")
    try:
        ws = RawWebSocket(server.url, "/socket.io/?EIO=4&transport=websocket", timeout=3)
        assert ws.read_text().startswith("0{")
        ws.send_frame(OP_TEXT, b"40")
        assert ws.read_text().startswith("40{")
        started = time.monotonic()
        ws.sock.shutdown(socket.SHUT_WR)
        try:
            while ws.sock.recv(4096):
                pass  # at most a close frame, then the end of the stream
        except ConnectionResetError:
            pass
        except socket.timeout:
            pytest.fail("the server kept the connection open after the client's FIN (CLOSE_WAIT until a ping)")
        assert time.monotonic() - started < 2
    finally:
        server.stop()
