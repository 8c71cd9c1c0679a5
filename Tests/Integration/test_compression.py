"""Compression with real peers: permessage-deflate negotiated by aiohttp's websocket client
(on the conformance server's raw Engine.IO echo, started with --per-message-deflate), and
gzip/deflate polling responses read by an ordinary HTTP client. Every refusal is tried too."""
import asyncio
import gzip
import json
import zlib

import aiohttp
import pytest
import requests
import socketio

from conftest import run, start_conformance
from rawwebsocket import OP_CLOSE, OP_TEXT, RawWebSocket

ECHO = "/engine.io/?EIO=4&transport=websocket"


@pytest.fixture(scope="module")
def deflate_server(tmp_path_factory):
    server = start_conformance(tmp_path_factory, "--per-message-deflate")
    yield server
    server.stop()


async def _echo_over_deflate(url, message):
    async with aiohttp.ClientSession() as session:
        async with session.ws_connect(url.replace("http", "ws") + ECHO, compress=15) as ws:
            opening = await ws.receive_str(timeout=5)
            assert opening.startswith("0")
            await ws.send_str("4" + message)
            while True:
                echoed = await ws.receive_str(timeout=5)
                if echoed != "2":
                    break
                await ws.send_str("3")  # a heartbeat came first
            return ws.compress, echoed[1:], ws._response.headers.get("Sec-WebSocket-Extensions")


def test_aiohttp_negotiates_deflate_and_large_messages_round_trip(deflate_server):
    message = json.dumps({"text": "fare " * 2000, "n": list(range(200))})
    compress, echoed, extensions = run(_echo_over_deflate(deflate_server.url, message))
    assert compress == 15, "aiohttp agreed on permessage-deflate"
    assert extensions == "permessage-deflate; server_no_context_takeover; client_no_context_takeover"
    assert echoed == message


def test_small_messages_also_round_trip_under_deflate(deflate_server):
    _, echoed, _ = run(_echo_over_deflate(deflate_server.url, "hi"))
    assert echoed == "hi"


def _raw_deflate(payload: bytes) -> bytes:
    compressor = zlib.compressobj(6, zlib.DEFLATED, -15)
    return (compressor.compress(payload) + compressor.flush(zlib.Z_SYNC_FLUSH))[:-4]


def _open_raw(server, extensions=None) -> RawWebSocket:
    ws = RawWebSocket(server.url, ECHO, extensions=extensions)
    assert ws.status == 101
    assert ws.read_text().startswith("0")
    return ws


def test_server_frames_over_the_threshold_are_compressed_on_the_wire(deflate_server):
    ws = _open_raw(deflate_server, extensions="permessage-deflate")
    assert ws.response_headers.get("sec-websocket-extensions", "").startswith("permessage-deflate")
    message = b"4" + b"abc" * 1000
    ws.send_frame(OP_TEXT, _raw_deflate(message), rsv1=True)
    opcode, payload, rsv1 = ws.read_message_with_flags()
    assert opcode == OP_TEXT and rsv1, "a 3 KB echo comes back compressed"
    assert len(payload) < 200
    assert zlib.decompressobj(-15).decompress(payload + b"\x00\x00\xff\xff") == message
    ws.send_frame(OP_TEXT, b"4small")
    opcode, payload, rsv1 = ws.read_message_with_flags()
    assert (payload, rsv1) == (b"4small", False), "under the threshold: uncompressed"


def test_a_frame_that_inflates_past_max_payload_is_refused_with_1009(deflate_server):
    ws = _open_raw(deflate_server, extensions="permessage-deflate")
    bomb = _raw_deflate(b"4" + b"\0" * 2_000_000)
    assert len(bomb) < 10_000, "small on the wire"
    ws.send_frame(OP_TEXT, bomb, rsv1=True)
    code = ws.read_until_close()
    assert code == 1009


def test_rsv1_without_the_extension_is_a_protocol_error(deflate_server):
    ws = _open_raw(deflate_server)  # no offer: nothing negotiated
    assert "sec-websocket-extensions" not in ws.response_headers
    ws.send_frame(OP_TEXT, _raw_deflate(b"4hello"), rsv1=True)
    assert ws.read_until_close() == 1002


def test_corrupt_deflate_data_is_a_protocol_error(deflate_server):
    ws = _open_raw(deflate_server, extensions="permessage-deflate")
    ws.send_frame(OP_TEXT, b"\xff\xff\xff\xff not deflate", rsv1=True)
    assert ws.read_until_close() == 1002


@pytest.mark.parametrize("offer", [
    "permessage-deflate; server_max_window_bits=10",
    "permessage-deflate; unknown_parameter",
    "permessage-deflate; server_no_context_takeover; server_no_context_takeover",
    "x-webkit-deflate-frame",
])
def test_offers_the_server_cannot_honour_are_declined(deflate_server, offer):
    ws = _open_raw(deflate_server, extensions=offer)
    assert "sec-websocket-extensions" not in ws.response_headers
    ws.close()


def test_deflate_is_off_by_default(conformance_server):
    ws = _open_raw(conformance_server, extensions="permessage-deflate")
    assert "sec-websocket-extensions" not in ws.response_headers
    ws.close()


def _polling_handshake(server):
    response = requests.get(server.url + "/socket.io/?EIO=4&transport=polling", timeout=5)
    return json.loads(response.text[1:])["sid"]


def _poll_large(server, accept_encoding):
    """Opens a Socket.IO session whose CONNECT answer is followed by a large event, and
    polls it with `accept_encoding`; the raw response."""
    sid = _polling_handshake(server)
    big = "x" * 5000
    requests.post(f"{server.url}/socket.io/?EIO=4&transport=polling&sid={sid}", data="40", timeout=5)
    requests.get(f"{server.url}/socket.io/?EIO=4&transport=polling&sid={sid}", timeout=5)  # the CONNECT answer
    post = json.dumps(["message", big])
    requests.post(f"{server.url}/socket.io/?EIO=4&transport=polling&sid={sid}", data="42" + post, timeout=5)
    return requests.get(
        f"{server.url}/socket.io/?EIO=4&transport=polling&sid={sid}",
        headers={"Accept-Encoding": accept_encoding}, timeout=5, stream=True,
    ), big


@pytest.mark.parametrize("encoding,decode", [
    ("gzip", gzip.decompress),
    ("deflate", zlib.decompress),
])
def test_polling_responses_are_compressed_when_accepted(conformance_server, encoding, decode):
    response, big = _poll_large(conformance_server, encoding)
    raw = response.raw.read(decode_content=False)
    assert response.headers["Content-Encoding"] == encoding
    assert response.headers["Vary"] == "Accept-Encoding"
    assert len(raw) < 1000
    assert big in decode(raw).decode()


@pytest.mark.parametrize("accept", ["identity", "gzip;q=0, deflate;q=0", ""])
def test_polling_responses_are_plain_when_compression_is_not_accepted(conformance_server, accept):
    response, big = _poll_large(conformance_server, accept)
    raw = response.raw.read(decode_content=False)
    assert "Content-Encoding" not in response.headers
    assert big in raw.decode()


def test_python_socketio_over_compressed_polling_round_trips_large_messages(conformance_server):
    async def scenario():
        client = socketio.AsyncClient(reconnection=False)
        got = asyncio.get_running_loop().create_future()
        client.on("message-back", lambda *args: got.set_result(args) if not got.done() else None)
        await client.connect(conformance_server.url, transports=["polling"])
        big = "ü" * 20_000
        await client.emit("message", big)
        args = await asyncio.wait_for(got, 5)
        await client.disconnect()
        return args, big
    args, big = run(scenario())
    assert args == (big,)
