"""The load generator itself, small, against a real server: each of its transport paths opens
and subscribes every connection (the default path: long-polling, a poll pending through the
websocket probe, then the upgrade), so the benchmarks' figures rest on working clients."""
import json
import subprocess

import pytest

from conftest import BINARY
from notifier import notifier_process


@pytest.mark.parametrize("transports", ["websocket", "default"])
def test_the_bench_opens_and_subscribes_every_connection(tmp_path, transports):
    server = notifier_process(tmp_path).start(ready_path="/healthz")
    try:
        result = subprocess.run(
            [str(BINARY), "bench", "connect", "--url", server.url, "--server-pid", str(server.process.pid),
             "--transports", transports, "-n", "40", "--concurrency", "10"],
            capture_output=True, text=True, timeout=120,
        )
    finally:
        server.stop()
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout.splitlines()[0])
    assert (report["connections"], report["failures"]) == (40, 0), report
    assert report["handshake_ms"]["count"] == 40
