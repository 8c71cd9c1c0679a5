"""Socket authentication and booking ownership: tokens in every place a client can put them,
every kind of bad token, bookings a token does not grant, and expiry while connected."""
import asyncio
import subprocess

import pytest
import socketio

from conftest import BINARY, run
from notifier import Page, notifier_process, payment, post_webhook_async
from security import JWT_SECRET, ec_keys, rsa_keys, token


@pytest.fixture
def server(tmp_path):
    process = notifier_process(tmp_path, env={"JWT_SECRET": JWT_SECRET}).start(ready_path="/healthz")
    yield process
    process.stop()


async def refused_with(server, **connect):
    client = socketio.AsyncClient(reconnection=False)
    errors = asyncio.Queue()
    client.on("connect_error", lambda data: errors.put_nowait(data))
    with pytest.raises(socketio.exceptions.ConnectionError):
        await client.connect(server.url, transports=["websocket"], wait_timeout=5, **connect)
    error = await asyncio.wait_for(errors.get(), 5)
    await client.disconnect()
    return error


@pytest.mark.parametrize(
    "case, auth, message",
    [
        ("no token", None, "unauthorized"),
        ("garbage", {"token": "not-a-jwt"}, "unauthorized"),
        ("wrong secret", {"token": token(secret="another-secret-of-at-least-32-bytes!!")}, "unauthorized"),
        ("expired", {"token": token(ttl=-10)}, "token expired"),
        ("no exp", {"token": token(exp=None)}, "unauthorized"),
        ("not yet valid", {"token": token(nbf=2_000_000_000)}, "unauthorized"),
        ("alg none", {"token": token(algorithm="none", secret=None)}, "unauthorized"),
    ],
)
def test_bad_tokens_are_refused(server, case, auth, message):
    async def scenario():
        assert await refused_with(server, auth=auth) == {"message": message}

    run(scenario())


@pytest.mark.parametrize("where", ["auth", "header", "query"])
def test_token_is_accepted_wherever_the_client_puts_it(server, where):
    credential = token({"bookings": ["b-1"]})

    async def scenario():
        client = socketio.AsyncClient(reconnection=False)
        url = server.url
        options = {}
        if where == "auth":
            options["auth"] = {"token": credential}
        elif where == "header":
            options["headers"] = {"Authorization": f"Bearer {credential}"}
        else:
            url += f"?token={credential}"
        await client.connect(url, transports=["websocket"], wait_timeout=5, **options)
        assert await client.call("subscribe_booking", {"bookingId": "b-1"}, timeout=5) == {"ok": True, "status": "pending"}
        await client.disconnect()

    run(scenario())


def test_a_socket_sees_only_the_bookings_its_tokens_grant(server):
    async def scenario():
        page = await Page(auth={"token": token({"bookings": ["b-mine"]})}).open(server)
        assert await page.subscribe("b-mine") == {"ok": True, "status": "pending"}
        assert await page.subscribe("b-theirs") == {"ok": False, "error": "forbidden"}
        granted = token({"booking": "b-theirs"})
        assert await page.subscribe("b-theirs", token=granted) == {"ok": True, "status": "pending"}
        assert await page.subscribe("b-other", token=granted) == {"ok": False, "error": "forbidden"}
        assert await page.subscribe("b-expired", token=token({"booking": "b-expired"}, ttl=-5)) == {"ok": False, "error": "forbidden"}
        assert await page.subscribe("b-forged", token=token({"booking": "b-forged"}, secret="another-secret-of-at-least-32-bytes!!")) == {"ok": False, "error": "forbidden"}
        # Payments reach only what was granted.
        for booking in ("b-mine", "b-other", "b-theirs"):
            assert (await post_webhook_async(server, payment(booking, f"t-{booking}")))[0] == 200
        received = {(await page.next_event())[1]["bookingId"] for _ in range(4)}
        assert received == {"b-mine", "b-theirs"}
        await page.assert_no_event()
        await page.close()

    run(scenario())
    assert "Subscription refused" in server.log_path.read_text()


def test_token_expiring_while_connected_disconnects_the_socket(server):
    async def scenario():
        client = socketio.AsyncClient(reconnection=False)
        expired = asyncio.Queue()
        reasons = asyncio.Queue()
        client.on("token_expired", lambda data: expired.put_nowait(data))
        client.on("disconnect", lambda reason=None: reasons.put_nowait(reason))
        await client.connect(server.url, transports=["websocket"], auth={"token": token({"bookings": ["b-1"]}, ttl=2)}, wait_timeout=5)
        assert await asyncio.wait_for(expired.get(), 5) == {"message": "token expired"}
        assert await asyncio.wait_for(reasons.get(), 5) == client.reason.SERVER_DISCONNECT
        await client.disconnect()
        # A fresh token connects again.
        fresh = await Page(auth={"token": token({"bookings": ["b-1"]})}).open(server)
        assert (await fresh.subscribe("b-1"))["ok"] is True
        await fresh.close()

    run(scenario())


def test_issuer_and_audience_are_checked_when_configured(tmp_path):
    server = notifier_process(tmp_path, env={"JWT_SECRET": JWT_SECRET, "JWT_ISSUER": "shop", "JWT_AUDIENCE": "paynotify"}).start(ready_path="/healthz")
    try:
        async def scenario():
            assert await refused_with(server, auth={"token": token(iss="someone-else", aud="paynotify")}) == {"message": "unauthorized"}
            assert await refused_with(server, auth={"token": token(iss="shop", aud="other")}) == {"message": "unauthorized"}
            assert await refused_with(server, auth={"token": token()}) == {"message": "unauthorized"}
            page = await Page(auth={"token": token({"bookings": ["b-1"]}, iss="shop", aud=["paynotify", "x"])}).open(server)
            assert (await page.subscribe("b-1"))["ok"] is True
            await page.close()

        run(scenario())
    finally:
        server.stop()


@pytest.mark.parametrize("algorithm, make_keys", [("RS256", rsa_keys), ("ES256", ec_keys)])
def test_public_key_tokens(tmp_path, algorithm, make_keys):
    private, pem = make_keys()
    other_private, _ = make_keys()
    server = notifier_process(tmp_path, env={"JWT_PUBLIC_KEY": pem}).start(ready_path="/healthz")
    try:
        async def scenario():
            page = await Page(auth={"token": token({"bookings": ["b-1"]}, secret=private, algorithm=algorithm)}).open(server)
            assert (await page.subscribe("b-1"))["ok"] is True
            await page.close()
            forged = token({"bookings": ["b-1"]}, secret=other_private, algorithm=algorithm)
            assert await refused_with(server, auth={"token": forged}) == {"message": "unauthorized"}
            # An HS256 token "signed" with the public key must not pass (algorithm confusion).
            assert await refused_with(server, auth={"token": hs256_with_public_key(pem)}) == {"message": "unauthorized"}

        run(scenario())
    finally:
        server.stop()


def hs256_with_public_key(pem):
    """The classic algorithm-confusion forgery: an HS256 token keyed with the server's public key."""
    import base64
    import hashlib
    import hmac
    import json
    import time

    def encode(part):
        return base64.urlsafe_b64encode(json.dumps(part).encode()).rstrip(b"=").decode()

    signing_input = f'{encode({"alg": "HS256", "typ": "JWT"})}.{encode({"sub": "x", "exp": int(time.time()) + 600})}'
    signature = hmac.new(pem.encode(), signing_input.encode(), hashlib.sha256).digest()
    return signing_input + "." + base64.urlsafe_b64encode(signature).rstrip(b"=").decode()


def test_token_command_mints_tokens_the_server_accepts(server, tmp_path):
    environment = {"JWT_SECRET": JWT_SECRET, "PATH": "/usr/bin:/bin"}
    minted = subprocess.run([str(BINARY), "token", "--booking", "b-cli", "--sub", "dev", "--ttl", "5m"],
                            capture_output=True, text=True, timeout=30, env=environment, cwd=tmp_path)
    assert minted.returncode == 0, minted.stderr
    subscription = subprocess.run([str(BINARY), "token", "--booking", "b-sub", "--subscription"],
                                  capture_output=True, text=True, timeout=30, env=environment, cwd=tmp_path)
    assert subscription.returncode == 0, subscription.stderr

    async def scenario():
        page = await Page(auth={"token": minted.stdout.strip()}).open(server)
        assert (await page.subscribe("b-cli"))["ok"] is True
        assert (await page.subscribe("b-sub", token=subscription.stdout.strip()))["ok"] is True
        assert (await page.subscribe("b-other"))["ok"] is False
        await page.close()

    run(scenario())
    missing = subprocess.run([str(BINARY), "token", "--booking", "b"], capture_output=True, text=True, timeout=30, env={"PATH": "/usr/bin:/bin"}, cwd=tmp_path)
    assert missing.returncode != 0 and "JWT_SECRET" in missing.stderr


def test_with_authentication_a_memo_must_be_granted_by_a_subscription_token(server):
    async def scenario():
        page = await Page(auth={"token": token({"bookings": ["b-memo"]})}).open(server)
        # A page may not choose what the provider is asked about on its own...
        assert await page.subscribe("b-memo", memo="SOMEONE-ELSES-MEMO") == {"ok": False, "error": "forbidden"}
        assert await page.subscribe("b-memo", memo="BKMEMO1", token=token({"booking": "b-memo"})) == {"ok": False, "error": "forbidden"}
        # ...only a token granting that memo lets it.
        granted = token({"booking": "b-memo", "memo": "BKMEMO1"})
        assert await page.subscribe("b-memo", memo="BKMEMO1", token=granted) == {"ok": True, "status": "pending"}
        await page.close()

    run(scenario())
