"""What Redis's persistence settings mean for acknowledged payments, checked against real
redis-servers started each way: `paynotify doctor` names it, a production node refuses a Redis
that keeps payments in memory only, and `/readyz` says so when the settings change later."""
import subprocess
import time

import pytest

from cluster import RedisServer, readiness
from notifier import notifier_process
from security import JWT_SECRET, STANDARD_SECRET
from test_doctor import doctor, line

PRODUCTION = {"PAYNOTIFY_ENV": "production", "FRONTEND_URL": "https://shop.example", "WEBHOOK_SECRET": STANDARD_SECRET, "JWT_SECRET": JWT_SECRET}


@pytest.fixture
def start_redis(tmp_path):
    servers = []

    def start(**options):
        server = RedisServer(tmp_path, **options).start()
        servers.append(server)
        return server

    yield start
    for server in servers:
        server.stop()


@pytest.mark.parametrize(
    "options, environment, severity, words",
    [
        ({"appendfsync": "always"}, {}, "ok", "every acknowledged payment is on disk"),
        ({"appendfsync": "everysec"}, {}, "warning", "the last second of acknowledged payments"),
        ({"appendfsync": "no"}, {}, "warning", "the kernel has not written back"),
        ({}, {}, "warning", "appendonly no"),
        ({}, PRODUCTION, "error", "appendonly no"),
        ({"refuse_config": True}, {}, "warning", "persistence settings unknown"),
    ],
    ids=["always", "everysec", "no-fsync", "memory-only-development", "memory-only-production", "config-refused"],
)
def test_doctor_names_what_a_redis_crash_can_lose(tmp_path, start_redis, options, environment, severity, words):
    redis = start_redis(**options)
    result = doctor(tmp_path, env={"REDIS_URL": redis.url, **environment})
    finding = line(result, "persistence")
    assert finding.startswith(severity), result.stdout
    assert words in finding
    assert result.returncode == (1 if severity == "error" else 0), result.stdout


def test_a_production_node_refuses_a_redis_that_keeps_payments_in_memory(tmp_path, start_redis):
    redis = start_redis()
    node = notifier_process(tmp_path, env={"REDIS_URL": redis.url, **PRODUCTION})
    with pytest.raises(RuntimeError, match="server exited"):
        node.start(ready_path="/healthz", timeout=20)
    log = (tmp_path / "serve.log").read_text()
    assert "appendonly no" in log and "production mode refuses to start" in log
    assert node.process.returncode != 0


def test_a_development_node_starts_and_warns(tmp_path, start_redis):
    redis = start_redis()
    node = notifier_process(tmp_path, env={"REDIS_URL": redis.url}).start(ready_path="/healthz")
    try:
        assert "Acknowledged payments are at risk: Redis appendonly no" in (tmp_path / "serve.log").read_text()
    finally:
        node.stop()


def test_readyz_names_persistence_turned_off_under_a_production_node(tmp_path, start_redis):
    redis = start_redis(appendfsync="always")
    node = notifier_process(tmp_path, env={"REDIS_URL": redis.url, **PRODUCTION}).start(ready_path="/healthz")
    try:
        deadline = time.monotonic() + 10
        while readiness(node)[0] != 200:
            assert time.monotonic() < deadline, f"never ready: {readiness(node)}"
            time.sleep(0.1)
        subprocess.run(["redis-cli", "-p", str(redis.port), "config", "set", "appendonly", "no"], check=True, capture_output=True, timeout=10)
        status, answer = readiness(node)
        assert status == 503
        assert any(problem.startswith("redis persistence: appendonly no") for problem in answer["problems"]), answer
    finally:
        node.stop()
