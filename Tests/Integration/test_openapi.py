"""The OpenAPI 3.1 document at /openapi.json, kept true against the built server: it is a valid
OpenAPI 3.1 document, every route the server has is in it (but the browser assets and the
operator dashboard), everything in it is a route, and real answers and callbacks match its
schemas."""
import json
import time
from pathlib import Path

import pytest
from jsonschema import Draft202012Validator
from openapi_spec_validator import validate

from callbacks import MerchantReceiver, callback_env
from notifier import notifier_process, payment, post_webhook
from providers import MERCHANT_API_KEY, PROVIDER_ENV, merchant_request, sepay_body, sepay_headers

DOCUMENT = Path(__file__).resolve().parents[2] / "Sources" / "PayNotifyServer" / "Web" / "openapi.json"
# Not an HTTP API: the browser client script and the demo page's files (development only).
NOT_DOCUMENTED = {"GET /client/paynotify.js", "GET /demo", "GET /demo/demo.js", "GET /demo/demo.css", "POST /demo/simulate"}
# Not for merchants: the operator dashboard's page and the JSON only that page reads, behind its
# session cookie (README, "The operator dashboard"). Listed one by one, so that a new route under
# /admin is a decision to document it or to add it here.
DASHBOARD = {
    "GET /admin", "GET /admin/admin.js", "GET /admin/admin.css", "POST /admin/login", "POST /admin/logout",
    "GET /admin/api/overview", "GET /admin/api/callbacks", "GET /admin/api/unmatched", "POST /admin/api/events/{id}/redeliver",
}


@pytest.fixture
def receiver():
    merchant = MerchantReceiver(script=[500, 200])
    yield merchant
    merchant.stop()


@pytest.fixture
def server(tmp_path, receiver):
    env = {**PROVIDER_ENV, **callback_env(receiver, schedule="200ms"), "LOG_FORMAT": "json", "LOG_LEVEL": "debug"}
    process = notifier_process(tmp_path, env=env).start(ready_path="/healthz")
    yield process
    process.stop()


def validator(document, schema):
    return Draft202012Validator({**schema, "components": document["components"]})


def operations(document):
    return {f"{method.upper()} {path}": operation for path, item in document["paths"].items() for method, operation in item.items()}


def test_the_served_document_is_valid_openapi_3_1_and_the_one_in_the_repository(server):
    status, content_type, body = merchant_request(server, "GET", "/openapi.json", key=None)
    assert status == 200 and content_type == "application/json"
    document = json.loads(body)
    assert document == json.loads(DOCUMENT.read_text())
    assert document["openapi"] == "3.1.0"
    validate(document)


def test_every_route_is_documented_and_every_documented_route_exists(server):
    document = json.loads(DOCUMENT.read_text())
    lines = [json.loads(line) for line in server.log_path.read_text().splitlines() if line.startswith("{")]
    routes = set(next(line for line in lines if line["message"] == "HTTP routes")["metadata"]["routes"])
    documented = set(operations(document))
    assert DASHBOARD <= routes, f"dashboard routes missing: {sorted(DASHBOARD - routes)}"
    shown = routes - NOT_DOCUMENTED - DASHBOARD
    assert shown == documented, f"undocumented: {sorted(shown - documented)}; not routes: {sorted(documented - shown)}"


def test_answers_and_callbacks_match_the_schemas(server, receiver):
    document = json.loads(DOCUMENT.read_text())
    documented = operations(document)
    checked = set()

    def check(method, template, path, body=None, key=MERCHANT_API_KEY, headers=None):
        status, content_type, raw = merchant_request(server, method, path, body, key, headers)
        responses = documented[f"{method} {template}"]["responses"]
        assert str(status) in responses, f"{method} {path} answered {status}, not documented"
        content = responses[str(status)].get("content", {})
        media = (content_type or "").split(";")[0]
        assert media in content, f"{method} {path} {status} answered {content_type}"
        if media == "application/json":
            answer = json.loads(raw)
            errors = list(validator(document, content[media]["schema"]).iter_errors(answer))
            assert not errors, f"{method} {path} {status}: {errors[0].message}"
        checked.add((method, template, status))
        return json.loads(raw) if media == "application/json" else raw

    check("POST", "/webhook/payment", "/webhook/payment", payment("BK-o", "o1"), key=None)
    check("POST", "/webhook/payment", "/webhook/payment", {"bookingId": "BK-o"}, key=None)
    check("POST", "/webhook/pay2s", "/webhook/pay2s", {"transactions": []}, key="wrong")
    check("POST", "/webhook/sepay", "/webhook/sepay", sepay_body(77, "no code"), key=None, headers=sepay_headers())
    check("POST", "/webhook/casso", "/webhook/casso", {"data": {}}, key=None)
    check("POST", "/api/bookings", "/api/bookings", {"bookingId": "BK-r", "amount": 900000, "memo": "BK55001"})
    check("POST", "/api/bookings", "/api/bookings", {"bookingId": "BK-s", "amount": 1, "memo": "BK55001"})
    check("POST", "/api/bookings", "/api/bookings", {"bookingId": "BK-s", "amount": -1})
    check("POST", "/api/bookings", "/api/bookings", {"bookingId": "BK-s", "amount": 1}, key=None)
    check("GET", "/api/bookings/{id}", "/api/bookings/BK-o")
    check("GET", "/api/bookings/{id}", "/api/bookings/BK-r")
    check("GET", "/api/bookings/{id}", "/api/bookings/" + "x" * 200)
    check("GET", "/api/bookings/{id}/qr", "/api/bookings/BK-r/qr", key=None)
    check("GET", "/api/bookings/{id}/qr", "/api/bookings/BK-r/qr?amount=abc", key=None)
    check("GET", "/api/unmatched", "/api/unmatched")
    check("GET", "/api/unmatched", "/api/unmatched?limit=0")
    check("GET", "/api/payments", "/api/payments?limit=1")
    check("GET", "/api/payments", "/api/payments?after=x")
    receiver.wait_for(3)  # o1: 500 then 200; the unmatched transfer
    time.sleep(0.5)
    page = check("GET", "/api/events", "/api/events")
    check("GET", "/api/events", "/api/events?limit=5000")
    event_id = page["events"][0]["id"]
    check("GET", "/api/events/{id}", f"/api/events/{event_id}")
    check("GET", "/api/events/{id}", "/api/events/evt_" + "0" * 32)
    check("GET", "/api/events/{id}", "/api/events/nope")
    check("POST", "/api/events/{id}/redeliver", f"/api/events/{event_id}/redeliver")
    check("POST", "/api/events/{id}/redeliver", "/api/events/evt_" + "1" * 32 + "/redeliver")
    check("POST", "/api/events/{id}/redeliver", "/api/events/evt_x/redeliver", key=None)
    check("GET", "/healthz", "/healthz", key=None)
    check("GET", "/readyz", "/readyz", key=None)
    check("GET", "/metrics", "/metrics", key=None)
    check("GET", "/openapi.json", "/openapi.json", key=None)
    assert {template for _, template, _ in checked} == {path for path in document["paths"]}

    callback_schema = validator(document, document["webhooks"]["merchantCallback"]["post"]["requestBody"]["content"]["application/json"]["schema"])
    for delivery in receiver.wait_for(4):
        assert not list(callback_schema.iter_errors(json.loads(delivery["body"])))
        assert {"webhook-id", "webhook-timestamp", "webhook-signature"} <= delivery["headers"].keys()


def test_schemathesis_finds_no_server_error_and_no_answer_outside_the_document(server, tmp_path):
    """Schemathesis (an independent OpenAPI fuzzer) generates requests for every operation from
    the served document: no answer may be a 5xx or differ from the document (status code,
    content type, schema)."""
    import subprocess
    import sys

    cli = Path(sys.executable).parent / "schemathesis"
    if not cli.exists():
        pytest.skip("schemathesis is not installed (Tests/Integration/requirements.txt)")
    result = subprocess.run(
        [str(cli), "run", server.url + "/openapi.json", "-H", f"Authorization: Bearer {MERCHANT_API_KEY}", "--max-examples", "20",
         "--checks", "not_a_server_error,response_schema_conformance,status_code_conformance,content_type_conformance", "--seed", "1"],
        capture_output=True, text=True, timeout=300, cwd=tmp_path,
    )
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-2000:]
    assert " passed" in result.stdout and "Tested: 15" in result.stdout
