"""Webhook authenticity: every scheme's happy path and every way a webhook can be forged,
replayed or stale. Refused webhooks are answered 401 and record nothing."""
import json
import subprocess
import time

import pytest

from conftest import BINARY, run
from notifier import Page, booking_status, notifier_process, payment, post_webhook
from security import OLD_STANDARD_SECRET, STANDARD_SECRET, standard_headers, stripe_headers

STRIPE_SECRET = "stripe-signing-secret-0123456789"
BEARER_TOKEN = "pay2s-shared-token-0123456789"


def start(tmp_path, **env):
    return notifier_process(tmp_path, env=env).start(ready_path="/healthz")


@pytest.fixture
def standard_server(tmp_path):
    server = start(tmp_path, WEBHOOK_SECRET=STANDARD_SECRET, WEBHOOK_SECRET_PREVIOUS=OLD_STANDARD_SECRET)
    yield server
    server.stop()


def send(server, body_dict, headers, raw=None):
    body = raw if raw is not None else json.dumps(body_dict).encode()
    return post_webhook(server, None, raw=body, headers=headers)


def test_standard_webhook_happy_path_and_rotation(standard_server):
    body = json.dumps(payment("b-std", "t-std")).encode()
    assert send(standard_server, None, standard_headers(body), raw=body) == (200, {"success": True})
    old = json.dumps(payment("b-old", "t-old")).encode()
    assert send(standard_server, None, standard_headers(old, secret=OLD_STANDARD_SECRET), raw=old) == (200, {"success": True})
    assert booking_status(standard_server, "b-std") == "paid"
    assert booking_status(standard_server, "b-old") == "paid"


def forged(body):
    headers = standard_headers(body)
    headers["webhook-signature"] = "v1," + "A" * 44
    return headers


STANDARD_REFUSALS = {
    "no headers": (lambda body: {}, "missing webhook-id header"),
    "forged signature": (forged, "signature does not match"),
    "wrong secret": (lambda body: standard_headers(body, secret="whsec_" + "QUJDREVGR0hJSktMTU5PUFFSU1RVVldYWVo="), "signature does not match"),
    "stale timestamp": (lambda body: standard_headers(body, timestamp=time.time() - 400), "timestamp outside the accepted tolerance"),
    "future timestamp": (lambda body: standard_headers(body, timestamp=time.time() + 400), "timestamp outside the accepted tolerance"),
    "modified body": (lambda body: standard_headers(body.replace(b"500000", b"1")), "signature does not match"),
    "missing signature": (lambda body: {k: v for k, v in standard_headers(body).items() if k != "webhook-signature"}, "missing webhook-signature header"),
    "missing timestamp": (lambda body: {k: v for k, v in standard_headers(body).items() if k != "webhook-timestamp"}, "missing webhook-timestamp header"),
    "malformed timestamp": (lambda body: {**standard_headers(body), "webhook-timestamp": "yesterday"}, "malformed webhook-timestamp header"),
    "unknown signature version": (lambda body: {**standard_headers(body), "webhook-signature": "v2,abc"}, "malformed webhook-signature header"),
}


@pytest.mark.parametrize("case", list(STANDARD_REFUSALS))
def test_standard_webhook_refusals_record_nothing(standard_server, case):
    make_headers, reason = STANDARD_REFUSALS[case]
    body = json.dumps(payment("b-forged", "t-forged")).encode()
    assert send(standard_server, None, make_headers(body), raw=body) == (401, {"success": False, "error": f"unauthorized: {reason}"})
    assert booking_status(standard_server, "b-forged") == "pending"


def test_replayed_message_id_is_a_duplicate_even_with_another_transaction(standard_server):
    body = json.dumps(payment("b-replay", "t-first")).encode()
    headers = standard_headers(body, message_id="msg_fixed")
    assert send(standard_server, None, headers, raw=body) == (200, {"success": True})
    assert send(standard_server, None, headers, raw=body) == (200, {"success": True, "duplicate": True})
    other = json.dumps(payment("b-replay-2", "t-second")).encode()
    assert send(standard_server, None, standard_headers(other, message_id="msg_fixed"), raw=other) == (200, {"success": True, "duplicate": True})
    assert booking_status(standard_server, "b-replay-2") == "pending"


def test_unsigned_webhook_is_refused(standard_server):
    assert post_webhook(standard_server, payment("b-unsigned", "t")) == (401, {"success": False, "error": "unauthorized: missing webhook-id header"})


def test_stripe_scheme(tmp_path):
    server = start(tmp_path, WEBHOOK_SCHEME="stripe", WEBHOOK_SECRET=STRIPE_SECRET)
    try:
        body = json.dumps(payment("b-stripe", "t-stripe")).encode()
        headers = stripe_headers(body, STRIPE_SECRET, extra_signatures=["00" * 32])
        assert send(server, None, headers, raw=body) == (200, {"success": True})
        assert send(server, None, headers, raw=body) == (200, {"success": True, "duplicate": True})
        wrong = json.dumps(payment("b-stripe-2", "t2")).encode()
        assert send(server, None, stripe_headers(wrong, "another-secret-0123456789"), raw=wrong)[0] == 401
        assert send(server, None, stripe_headers(wrong, STRIPE_SECRET, timestamp=time.time() - 1000), raw=wrong)[0] == 401
        assert send(server, None, {"Stripe-Signature": "v1=abc"}, raw=wrong)[0] == 401
        assert booking_status(server, "b-stripe") == "paid"
        assert booking_status(server, "b-stripe-2") == "pending"
    finally:
        server.stop()


@pytest.mark.parametrize("scheme, word", [("bearer", "Bearer"), ("apikey", "Apikey")])
def test_shared_token_schemes(tmp_path, scheme, word):
    server = start(tmp_path, WEBHOOK_SCHEME=scheme, WEBHOOK_SECRET=BEARER_TOKEN)
    try:
        assert post_webhook(server, payment("b-token", "t-1"), headers={"Authorization": f"{word} {BEARER_TOKEN}"}) == (200, {"success": True})
        assert post_webhook(server, payment("b-token-2", "t-2"), headers={"Authorization": f"{word} wrong-token-0123456789"}) == (401, {"success": False, "error": "unauthorized: wrong credentials"})
        other_word = "Apikey" if word == "Bearer" else "Bearer"
        assert post_webhook(server, payment("b-token-2", "t-2"), headers={"Authorization": f"{other_word} {BEARER_TOKEN}"})[0] == 401
        assert post_webhook(server, payment("b-token-2", "t-2"))[0] == 401
        assert booking_status(server, "b-token-2") == "pending"
    finally:
        server.stop()


def test_webhook_command_signs_with_the_configured_secret(standard_server):
    result = subprocess.run(
        [str(BINARY), "webhook", "--booking", "b-cli", "--transaction", "t-cli", "--amount", "10", "--url", standard_server.url + "/webhook/payment"],
        capture_output=True, text=True, timeout=30, env={"WEBHOOK_SECRET": STANDARD_SECRET, "PATH": "/usr/bin:/bin"},
    )
    assert result.stdout.strip() == 'HTTP 200 {"success":true}', result.stdout + result.stderr
    unsigned = subprocess.run(
        [str(BINARY), "webhook", "--booking", "b-cli2", "--transaction", "t-cli2", "--amount", "10", "--url", standard_server.url + "/webhook/payment"],
        capture_output=True, text=True, timeout=30, env={"PATH": "/usr/bin:/bin"}, cwd="/",
    )
    assert unsigned.returncode != 0 and "HTTP 401" in unsigned.stdout
