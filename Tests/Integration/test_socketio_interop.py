"""The official-protocol Python client (python-socketio) against the Swift server, in each
transport mode: websocket only, polling only, and polling upgraded to websocket."""
import asyncio

import engineio
import pytest
import socketio

from conftest import ServerProcess, run

TRANSPORT_MODES = {
    "websocket": ["websocket"],
    "polling": ["polling"],
    "upgrade": ["polling", "websocket"],
}


@pytest.fixture(params=list(TRANSPORT_MODES))
def transports(request):
    return TRANSPORT_MODES[request.param]


class Inbox:
    """Collects events of one client; `get` waits for the next one of a name."""

    def __init__(self, client, namespace="/"):
        self.queues = {}
        self.client = client
        self.namespace = namespace

    def watch(self, *names):
        for name in names:
            queue = self.queues.setdefault(name, asyncio.Queue())

            async def handler(*args, _queue=queue):
                await _queue.put(args)

            self.client.on(name, handler, namespace=self.namespace)
        return self

    async def get(self, name, timeout=5):
        return await asyncio.wait_for(self.queues[name].get(), timeout)

    def pending(self, name):
        return self.queues[name].qsize()


async def connect(server, transports, **kwargs):
    client = socketio.AsyncClient(reconnection=kwargs.pop("reconnection", False), **kwargs.pop("client_options", {}))
    inbox = Inbox(client).watch("auth", "message-back", "client-answer", "room-event", "broadcast-event")
    await client.connect(server.url, transports=transports, wait_timeout=5, **kwargs)
    return client, inbox


async def wait_for_upgrade(client, transports, timeout=5):
    if transports == ["polling", "websocket"]:
        deadline = asyncio.get_running_loop().time() + timeout
        while client.transport() != "websocket":
            assert asyncio.get_running_loop().time() < deadline, "client did not upgrade to websocket"
            await asyncio.sleep(0.02)


def test_connect_with_auth_and_transport(conformance_server, transports):
    async def scenario():
        client, inbox = await connect(conformance_server, transports, auth={"token": "abc", "n": 1})
        assert await inbox.get("auth") == ({"token": "abc", "n": 1},)
        await wait_for_upgrade(client, transports)
        assert client.transport() == transports[-1]
        await client.disconnect()

    run(scenario())


def test_events_both_ways(conformance_server, transports):
    async def scenario():
        client, inbox = await connect(conformance_server, transports)
        await wait_for_upgrade(client, transports)
        payload = (1, "2", {"3": [True, None, 4.5]}, "héllo ✓ \"quoted\"\n")
        await client.emit("message", payload)
        assert await inbox.get("message-back") == payload
        await client.disconnect()

    run(scenario())


def test_acks_both_ways(conformance_server, transports):
    async def scenario():
        client, inbox = await connect(conformance_server, transports)
        await wait_for_upgrade(client, transports)
        assert await client.call("message-with-ack", ({"a": 1}, [2, 3]), timeout=5) == ({"a": 1}, [2, 3])

        async def answer(question):
            return {"answered": question}

        client.on("server-question", answer)
        await client.emit("ask-client", "what?")
        assert await inbox.get("client-answer") == ({"answered": "what?"},)
        await client.disconnect()

    run(scenario())


def test_binary_both_ways(conformance_server, transports):
    async def scenario():
        client, inbox = await connect(conformance_server, transports)
        await wait_for_upgrade(client, transports)
        blob = bytes(range(256)) * 4
        await client.emit("message", ({"file": blob, "name": "x.bin"}, b"\x00\x01"))
        assert await inbox.get("message-back") == ({"file": blob, "name": "x.bin"}, b"\x00\x01")
        assert await client.call("message-with-ack", blob, timeout=5) == blob
        await client.disconnect()

    run(scenario())


def test_rooms_reach_members_once(conformance_server, transports):
    async def scenario():
        member, member_inbox = await connect(conformance_server, transports)
        outsider, outsider_inbox = await connect(conformance_server, transports)
        assert "r1" in await member.call("join", "r1", timeout=5)
        rooms = await member.call("join", "r2", timeout=5)
        assert set(rooms) >= {"r1", "r2"}
        assert await outsider.call("emit-to-room", (["r1", "r2"], "room-event", {"n": 1}), timeout=5) == "ok"
        assert await member_inbox.get("room-event") == ({"n": 1},)
        # Two rooms, one delivery; the outsider is in neither room.
        assert await member.call("message-with-ack", "sync", timeout=5) == "sync"
        assert member_inbox.pending("room-event") == 0
        assert outsider_inbox.pending("room-event") == 0
        assert "r1" not in await member.call("leave", "r1", timeout=5)
        assert await outsider.call("emit-to-room", ("r1", "room-event", 2), timeout=5) == "ok"
        assert await member.call("message-with-ack", "sync", timeout=5) == "sync"
        assert member_inbox.pending("room-event") == 0
        await member.disconnect()
        await outsider.disconnect()

    run(scenario())


def test_two_clients_in_one_room_both_receive_broadcast(conformance_server, transports):
    async def scenario():
        first, first_inbox = await connect(conformance_server, transports)
        second, second_inbox = await connect(conformance_server, transports)
        sender, sender_inbox = await connect(conformance_server, transports)
        await first.call("join", "booking_42", timeout=5)
        await second.call("join", "booking_42", timeout=5)
        await sender.call("emit-to-room", ("booking_42", "room-event", {"paid": True}), timeout=5)
        assert await first_inbox.get("room-event") == ({"paid": True},)
        assert await second_inbox.get("room-event") == ({"paid": True},)
        # socket.broadcast: everyone but the sender.
        await sender.call("broadcast", ("broadcast-event", "hi"), timeout=5)
        assert await first_inbox.get("broadcast-event") == ("hi",)
        assert await second_inbox.get("broadcast-event") == ("hi",)
        assert await sender.call("message-with-ack", "sync", timeout=5) == "sync"
        assert sender_inbox.pending("broadcast-event") == 0
        for client in (first, second, sender):
            await client.disconnect()

    run(scenario())


def test_custom_namespace(conformance_server, transports):
    async def scenario():
        client = socketio.AsyncClient(reconnection=False)
        inbox = Inbox(client, namespace="/custom").watch("auth")
        await client.connect(conformance_server.url, transports=transports, namespaces=["/custom"], auth={"k": "v"}, wait_timeout=5)
        assert await inbox.get("auth") == ({"k": "v"},)
        assert "/custom" in client.namespaces
        await client.disconnect()

    run(scenario())


def test_invalid_namespace_is_refused(conformance_server, transports):
    async def scenario():
        client = socketio.AsyncClient(reconnection=False)
        errors = asyncio.Queue()
        client.on("connect_error", lambda data: errors.put_nowait(data), namespace="/nope")
        with pytest.raises(socketio.exceptions.ConnectionError):
            await client.connect(conformance_server.url, transports=transports, namespaces=["/nope"], wait_timeout=5)
        assert await asyncio.wait_for(errors.get(), 5) == {"message": "Invalid namespace"}
        await client.disconnect()

    run(scenario())


def test_middleware_refusal_reaches_connect_error(conformance_server, transports):
    async def scenario():
        refused = socketio.AsyncClient(reconnection=False)
        errors = asyncio.Queue()
        refused.on("connect_error", lambda data: errors.put_nowait(data), namespace="/private")
        with pytest.raises(socketio.exceptions.ConnectionError):
            await refused.connect(conformance_server.url, transports=transports, namespaces=["/private"], auth={"token": "wrong"}, wait_timeout=5)
        assert await asyncio.wait_for(errors.get(), 5) == {"message": "unauthorized", "data": {"reason": "missing or wrong token"}}
        await refused.disconnect()

        admitted = socketio.AsyncClient(reconnection=False)
        inbox = Inbox(admitted, namespace="/private").watch("welcome")
        await admitted.connect(conformance_server.url, transports=transports, namespaces=["/private"], auth={"token": "letmein"}, wait_timeout=5)
        assert await inbox.get("welcome") == ("private",)
        await admitted.disconnect()

    run(scenario())


def test_server_namespace_disconnect(conformance_server, transports):
    async def scenario():
        client, _ = await connect(conformance_server, transports)
        reasons = asyncio.Queue()
        client.on("disconnect", lambda reason=None: reasons.put_nowait(reason))
        await client.emit("disconnect-me")
        assert await asyncio.wait_for(reasons.get(), 5) == client.reason.SERVER_DISCONNECT
        await client.disconnect()

    run(scenario())


def test_heartbeat_timeout_disconnects_silent_client(conformance_server, transports):
    async def scenario():
        client, _ = await connect(conformance_server, transports)
        await wait_for_upgrade(client, transports)
        reasons = asyncio.Queue()
        client.on("disconnect", lambda reason=None: reasons.put_nowait(reason))
        send_packet = client.eio._send_packet

        async def drop_pongs(pkt):
            if pkt.packet_type != engineio.packet.PONG:
                await send_packet(pkt)

        client.eio._send_packet = drop_pongs
        # pingInterval 300 ms + pingTimeout 200 ms: the server gives up well within 3 s.
        reason = await asyncio.wait_for(reasons.get(), 3)
        # A websocket is just closed; a pending long-poll is answered with a close packet.
        assert reason in (client.reason.TRANSPORT_ERROR, client.reason.SERVER_DISCONNECT)
        await client.disconnect()

    run(scenario())


def test_oversized_payload_closes_only_that_session(conformance_server, transports):
    async def scenario():
        bystander, bystander_inbox = await connect(conformance_server, transports)
        offender, _ = await connect(conformance_server, transports)
        await wait_for_upgrade(offender, transports)
        reasons = asyncio.Queue()
        offender.on("disconnect", lambda reason=None: reasons.put_nowait(reason))
        await offender.emit("message", "x" * 1_100_000)
        await asyncio.wait_for(reasons.get(), 5)
        await bystander.emit("message", "still here")
        assert await bystander_inbox.get("message-back") == ("still here",)
        await offender.disconnect()
        await bystander.disconnect()

    run(scenario())


def test_reconnects_after_server_restart(tmp_path, transports):
    server = ServerProcess(["conformance"], tmp_path / "server.log").start()

    async def scenario():
        client = socketio.AsyncClient(reconnection=True, reconnection_delay=0.1, reconnection_delay_max=0.3)
        connects = asyncio.Queue()
        disconnects = asyncio.Queue()
        client.on("connect", lambda: connects.put_nowait(client.get_sid()))
        client.on("disconnect", lambda reason=None: disconnects.put_nowait(reason))
        inbox = Inbox(client).watch("message-back")
        await client.connect(server.url, transports=transports, wait_timeout=5)
        first_sid = await asyncio.wait_for(connects.get(), 5)
        await wait_for_upgrade(client, transports)
        await asyncio.get_running_loop().run_in_executor(None, server.stop)
        await asyncio.wait_for(disconnects.get(), 10)
        await asyncio.get_running_loop().run_in_executor(None, server.start)
        second_sid = await asyncio.wait_for(connects.get(), 15)
        assert second_sid != first_sid
        await client.emit("message", "after restart")
        assert await inbox.get("message-back") == ("after restart",)
        await client.disconnect()

    try:
        run(scenario())
    finally:
        server.stop()


def test_websocket_reconnects_after_connection_drop(conformance_server):
    async def scenario():
        client = socketio.AsyncClient(reconnection=True, reconnection_delay=0.1, reconnection_delay_max=0.2)
        connects = asyncio.Queue()
        client.on("connect", lambda: connects.put_nowait(client.get_sid()))
        inbox = Inbox(client).watch("message-back")
        await client.connect(conformance_server.url, transports=["websocket"], wait_timeout=5)
        first_sid = await asyncio.wait_for(connects.get(), 5)
        await client.emit("drop-connection")
        second_sid = await asyncio.wait_for(connects.get(), 10)
        assert second_sid != first_sid
        await client.emit("message", "after reconnect")
        assert await inbox.get("message-back") == ("after reconnect",)
        await client.disconnect()

    run(scenario())


def test_typed_handler_decodes_or_refuses(conformance_server):
    async def scenario():
        client, _ = await connect(conformance_server, ["websocket"])
        assert await client.call("sum", {"a": 2, "b": 40}, timeout=5) == 42
        assert await client.call("sum", {"a": "two"}, timeout=5) == {"error": "invalid payload"}
        await client.disconnect()

    run(scenario())


def test_event_sent_as_soon_as_connected_reaches_handlers_registered_on_connection(conformance_server):
    """A client may emit the moment it reads the CONNECT answer; the server's `onConnection`
    handlers (which register the socket's event handlers) must run before that event is
    handled. On `/slow-setup` the handler is registered 50 ms into the connection handler; 50 raw
    clients each send `message` on reading the CONNECT answer and must all get `message-back`."""
    import aiohttp

    async def one(session):
        async with session.ws_connect(f"{conformance_server.url}/socket.io/?EIO=4&transport=websocket") as ws:
            assert (await ws.receive_str()).startswith("0{")
            await ws.send_str("40/slow-setup,")
            while True:
                message = await asyncio.wait_for(ws.receive_str(), 5)
                if message.startswith("40/slow-setup,{"):
                    await ws.send_str('42/slow-setup,["message","right away"]')
                elif message == "2":
                    await ws.send_str("3")
                elif message.startswith('42/slow-setup,["message-back"'):
                    return message

    async def main():
        async with aiohttp.ClientSession() as session:
            answers = await asyncio.gather(*(one(session) for _ in range(50)))
        assert answers == ['42/slow-setup,["message-back","right away"]'] * 50

    run(main())
