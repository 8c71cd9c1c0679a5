"""Shared fixtures: real server processes started from the built `paynotify` binary.

Each server binds 127.0.0.1 on a free port and is stopped (by its PID) when its fixture ends.
"""
import asyncio
import json
import os
import socket
import subprocess
import time
import urllib.request
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
BINARY = Path(os.environ.get("PAYNOTIFY_BIN", REPO / ".build" / "debug" / "paynotify"))


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class ServerProcess:
    """A `paynotify` subcommand running on a free port, logs captured to a file."""

    def __init__(self, args, log_path: Path, env=None, cwd=None, port=None, port_flag=True):
        self.port = port or free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log_path = log_path
        self.args = [str(BINARY), *args, *(["--port", str(self.port)] if port_flag else [])]
        self.env = {**os.environ, **(env or {})}
        self.cwd = cwd
        self.process = None

    def start(self, ready_path="/stats", timeout=20.0):
        self.log = open(self.log_path, "ab")
        self.process = subprocess.Popen(self.args, stdout=self.log, stderr=subprocess.STDOUT, env=self.env, cwd=self.cwd)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"server exited with {self.process.returncode}; see {self.log_path}")
            try:
                with urllib.request.urlopen(self.url + ready_path, timeout=1):
                    return self
            except Exception:
                time.sleep(0.05)
        self.stop()
        raise RuntimeError(f"server not ready within {timeout}s; see {self.log_path}")

    def stop(self):
        if self.process and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=10)
        if getattr(self, "log", None):
            self.log.close()

    def get_json(self, path):
        with urllib.request.urlopen(self.url + path, timeout=5) as response:
            return json.loads(response.read())

    def rss_kib(self) -> int:
        for line in Path(f"/proc/{self.process.pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
        raise RuntimeError("no VmRSS")


def start_conformance(tmp_path_factory, *flags) -> ServerProcess:
    """`paynotify conformance` with `flags` on a free port, started; the caller stops it."""
    if not BINARY.exists():
        pytest.fail(f"{BINARY} not built; run `swift build` first (scripts/test does)")
    return ServerProcess(["conformance", *flags], tmp_path_factory.mktemp("logs") / "conformance.log").start()


@pytest.fixture(scope="module")
def conformance_server(tmp_path_factory):
    server = start_conformance(tmp_path_factory)
    yield server
    server.stop()


@pytest.fixture
def redis(tmp_path):
    """A real redis-server on a free port, stopped when the test ends."""
    from cluster import RedisServer  # cluster.py imports this module

    server = RedisServer(tmp_path).start()
    yield server
    server.stop()


def run(coroutine, timeout=60):
    """Runs a coroutine to completion with an overall time limit, so no test can hang."""
    return asyncio.run(asyncio.wait_for(coroutine, timeout))
