"""Logs: readable lines by default, JSON lines with LOG_FORMAT=json; every line about a request
carries its request id, which is also returned as X-Request-ID."""
import json
import re
import urllib.request

from cluster import Nginx
from notifier import notifier_process, payment


def post(server, body, headers):
    request = urllib.request.Request(server.url + "/webhook/payment", data=json.dumps(body).encode(), method="POST",
                                     headers={"Content-Type": "application/json", **headers})
    with urllib.request.urlopen(request, timeout=10) as response:
        return response.headers["X-Request-ID"]


def test_json_lines_carry_the_request_id(tmp_path):
    server = notifier_process(tmp_path, env={"LOG_FORMAT": "json"}).start(ready_path="/healthz")
    try:
        assert post(server, payment("BK-l", "t-1"), {"X-Request-ID": "req-42.a_b:c"}) == "req-42.a_b:c"
        generated = post(server, payment("BK-l", "t-2"), {"X-Request-ID": "not sane, has spaces"})
        assert re.fullmatch(r"[A-Za-z0-9_-]{20}", generated), generated
        unasked = post(server, payment("BK-l", "t-3"), {})
        assert re.fullmatch(r"[A-Za-z0-9_-]{20}", unasked) and unasked != generated
        with urllib.request.urlopen(server.url + "/healthz") as response:
            assert response.headers["X-Request-ID"]
    finally:
        server.stop()
    lines = [json.loads(line) for line in server.log_path.read_text().splitlines()]
    assert all({"timestamp", "level", "label", "message"} <= line.keys() for line in lines)
    assert all(re.fullmatch(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z", line["timestamp"]) for line in lines)
    webhook_lines = [line for line in lines if line["message"] == "Webhook recorded"]
    assert [line["metadata"]["request"] for line in webhook_lines] == ["req-42.a_b:c", generated, unasked]
    assert all(line["metadata"]["outcome"] == "new" and line["metadata"]["route"] == "/webhook/payment" for line in webhook_lines)


def test_readable_lines_by_default_with_the_request_id(tmp_path):
    server = notifier_process(tmp_path).start(ready_path="/healthz")
    try:
        post(server, payment("BK-t", "t-1"), {"X-Request-ID": "req-7"})
    finally:
        server.stop()
    [line] = [line for line in server.log_path.read_text().splitlines() if "Webhook recorded" in line]
    assert not line.startswith("{")
    assert "request=req-7" in line and "outcome=new" in line


def test_nginx_passes_its_request_id_through(tmp_path):
    nodes = []
    for index in range(3):
        (tmp_path / f"node{index}").mkdir()
        nodes.append(notifier_process(tmp_path / f"node{index}").start(ready_path="/healthz"))
    nginx = Nginx(tmp_path / "nginx", [node.port for node in nodes]).start()
    try:
        with urllib.request.urlopen(nginx.url + "/healthz", timeout=10) as response:
            request_id = response.headers["X-Request-ID"]
        assert re.fullmatch(r"[0-9a-f]{32}", request_id), request_id  # nginx's $request_id
        post(nginx, payment("BK-n", "t-n"), {})
    finally:
        nginx.stop()
        for node in nodes:
            node.stop()
    logged = [line for node in nodes for line in node.log_path.read_text().splitlines() if "Webhook recorded" in line]
    assert len(logged) == 1 and re.search(r"request=[0-9a-f]{32} ", logged[0]), logged
