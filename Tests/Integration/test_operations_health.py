"""/healthz and /readyz in each state: all well, the ledger locked by another writer, Redis
down (and back)."""
import sqlite3
import time

from cluster import start_nodes
from notifier import notifier_process
from operations import get_json


def wait_for(predicate, timeout=20):
    deadline = time.monotonic() + timeout
    while not predicate():
        assert time.monotonic() < deadline, "condition not reached in time"
        time.sleep(0.1)


def test_healthy_and_ready_with_a_writable_ledger(tmp_path):
    server = notifier_process(tmp_path).start(ready_path="/healthz")
    try:
        assert get_json(server, "/healthz") == (200, {"status": "ok"})
        assert get_json(server, "/readyz") == (200, {"ready": True, "problems": []})
    finally:
        server.stop()


def test_not_ready_while_the_ledger_cannot_be_written_but_still_alive(tmp_path):
    server = notifier_process(tmp_path).start(ready_path="/readyz")
    try:
        # Another writer holds the database: the server's writes wait out their busy timeout.
        blocker = sqlite3.connect(tmp_path / "ledger.sqlite", timeout=1, isolation_level=None)
        blocker.execute("BEGIN EXCLUSIVE")
        try:
            status, body = get_json(server, "/readyz")
            assert status == 503
            assert body["ready"] is False
            assert len(body["problems"]) == 1 and body["problems"][0].startswith("ledger is not writable")
            assert get_json(server, "/healthz") == (200, {"status": "ok"})
        finally:
            blocker.execute("ROLLBACK")
            blocker.close()
        assert get_json(server, "/readyz") == (200, {"ready": True, "problems": []})
    finally:
        server.stop()


def test_not_ready_while_redis_is_down_and_ready_again_when_it_returns(tmp_path, redis):
    [node] = start_nodes(tmp_path, redis, count=1)
    try:
        assert get_json(node, "/readyz") == (200, {"ready": True, "problems": []})
        redis.stop()
        wait_for(lambda: get_json(node, "/readyz")[0] == 503)
        status, body = get_json(node, "/readyz")
        assert body["ready"] is False
        assert "redis subscription is down" in body["problems"]
        assert any(problem.startswith("ledger is not writable") for problem in body["problems"])
        assert get_json(node, "/healthz") == (200, {"status": "ok"})
        redis.start()
        wait_for(lambda: get_json(node, "/readyz") == (200, {"ready": True, "problems": []}))
    finally:
        node.stop()
