"""The websocket transport at the frame level, on the conformance server's raw Engine.IO echo
endpoint (`/engine.io/`, every message echoed back): control frames, fragmented messages, size
limits, closing handshakes and clients that stop reading."""
import json
import time

import pytest

from rawwebsocket import OP_BINARY, OP_CLOSE, OP_CONTINUATION, OP_PING, OP_PONG, OP_TEXT, RawWebSocket

ECHO = "/engine.io/?EIO=4&transport=websocket"


def open_echo(server, receive_buffer=None) -> RawWebSocket:
    ws = RawWebSocket(server.url, ECHO, receive_buffer=receive_buffer)
    assert ws.status == 101
    opening = ws.read_text()
    assert opening.startswith("0") and json.loads(opening[1:])["sid"]
    return ws


def test_ping_frame_is_answered_with_its_payload(conformance_server):
    ws = open_echo(conformance_server)
    ws.send_frame(OP_PING, b"are you there")
    while True:
        opcode, payload = ws.read_frame()
        if opcode == OP_PONG:
            assert payload == b"are you there"
            break
        assert opcode == OP_TEXT and payload == b"2", (opcode, payload)
        ws.send_frame(OP_TEXT, b"3")
    ws.close()


def test_fragmented_message_is_one_packet(conformance_server):
    ws = open_echo(conformance_server)
    ws.send_frame(OP_TEXT, b"4hel", fin=False)
    ws.send_frame(OP_CONTINUATION, b"lo wor", fin=False)
    ws.send_frame(OP_CONTINUATION, b"ld", fin=True)
    assert ws.read_text() == "4hello world"
    ws.send_frame(OP_BINARY, b"\x01\x02", fin=False)
    ws.send_frame(OP_CONTINUATION, b"\x03", fin=True)
    while True:
        opcode, payload = ws.read_frame()
        if opcode == OP_BINARY:
            assert payload == b"\x01\x02\x03"
            break
        ws.send_frame(OP_TEXT, b"3")
    ws.close()


def test_message_over_max_payload_in_fragments_is_refused_with_1009(conformance_server):
    ws = open_echo(conformance_server)
    chunk = b"x" * 400_000
    ws.send_frame(OP_TEXT, b"4" + chunk, fin=False)
    ws.send_frame(OP_CONTINUATION, chunk, fin=False)
    ws.send_frame(OP_CONTINUATION, chunk, fin=True)
    assert ws.read_until_close() == 1009
    ws.close()


def test_single_frame_over_max_payload_is_refused(conformance_server):
    ws = open_echo(conformance_server)
    ws.send_frame(OP_TEXT, b"4" + b"y" * 1_100_000)
    assert ws.read_until_close() == 1009
    ws.close()


@pytest.mark.parametrize(
    "opcode, payload, close_code",
    [
        (OP_CLOSE, b"\x03\xe8", 1000),  # the client's close is answered
        (OP_TEXT, b"9nonsense", 1000),  # not an Engine.IO packet: the session ends
        (OP_CONTINUATION, b"stray", 1002),  # a continuation with no message started
    ],
    ids=["client close", "invalid Engine.IO packet", "stray continuation"],
)
def test_frame_ends_the_session_with_close_code(conformance_server, opcode, payload, close_code):
    ws = open_echo(conformance_server)
    ws.send_frame(opcode, payload)
    assert ws.read_until_close() == close_code
    ws.close()
    assert wait_for_sessions(conformance_server, 0)


@pytest.mark.parametrize(
    "frame",
    [
        dict(opcode=OP_TEXT, payload=b"4hello", masked=False),
        dict(opcode=0x3, payload=b""),
        dict(opcode=0xB, payload=b""),
        dict(opcode=OP_PING, payload=b"x", fin=False),
        dict(opcode=OP_PING, payload=b"x" * 126),
    ],
    ids=["unmasked", "reserved data opcode", "reserved control opcode", "fragmented ping", "ping over 125 bytes"],
)
def test_frame_no_client_may_send_is_refused_with_1002(conformance_server, frame):
    ws = open_echo(conformance_server)
    ws.send_frame(**frame)
    assert ws.read_until_close() == 1002
    ws.close()
    assert wait_for_sessions(conformance_server, 0)


def test_client_that_stops_reading_is_disconnected_not_buffered(conformance_server):
    """Echoes pile up while the client reads nothing: the server ends the session (its bounded
    outbound queue overflows, or the unanswered heartbeat times out, whichever comes first on
    this endpoint's 300 ms heartbeat) instead of buffering forever. The overflow itself is
    covered by the EngineIO unit tests."""
    ws = open_echo(conformance_server, receive_buffer=4096)
    message = b"4" + b"z" * 100
    try:
        for _ in range(20_000):
            ws.send_frame(OP_TEXT, message)
    except OSError:
        pass  # the server cut the connection while we were still writing
    # The client still holds its end open: only the server can have ended the session.
    assert wait_for_sessions(conformance_server, 0)
    ws.close()


def wait_for_sessions(server, count, timeout=10.0):
    import urllib.request

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with urllib.request.urlopen(server.url + "/stats", timeout=2) as response:
            if json.load(response)["engineSessions"] == count:
                return True
        time.sleep(0.05)
    return False
