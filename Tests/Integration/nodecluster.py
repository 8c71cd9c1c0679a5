"""A real Node socket.io 4.8 node on the real @socket.io/redis-adapter
(`Tests/NodeCluster/cluster-node.cjs`), driven over HTTP. `scripts/test` builds its packages
(`scripts/build-node-cluster`) and sets NODE_CLUSTER_NODE_PATH; without it the tests skip."""
import json
import os
import shutil
import subprocess
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from conftest import REPO, free_port

NODE_PATH = os.environ.get("NODE_CLUSTER_NODE_PATH")
SCRIPT = REPO / "Tests" / "NodeCluster" / "cluster-node.cjs"


def require_node_cluster():
    if not NODE_PATH or not shutil.which("node"):
        pytest.skip("needs the Node cluster node: scripts/test builds it (scripts/build-node-cluster) and sets NODE_CLUSTER_NODE_PATH")


class NodeClusterNode:
    def __init__(self, directory: Path, redis_url: str, name: str = "N", env=None):
        self.port = free_port()
        self.name = name
        self.env = env or {}
        self.redis_url = redis_url
        self.log = directory / f"node-{name}.log"
        self.process = None

    @property
    def url(self):
        return f"http://127.0.0.1:{self.port}"

    def start(self):
        environment = {**os.environ, "NODE_PATH": NODE_PATH, "PORT": str(self.port), "REDIS_URL": self.redis_url, "NODE_NAME": self.name, **self.env}
        with open(self.log, "ab") as log:
            self.process = subprocess.Popen(["node", str(SCRIPT)], env=environment, stdout=log, stderr=log)
        deadline = time.monotonic() + 15
        while True:
            try:
                with urllib.request.urlopen(self.url + "/control/ready", timeout=1):
                    return self
            except OSError:
                assert self.process.poll() is None, f"the Node node exited; see {self.log}"
                assert time.monotonic() < deadline, f"the Node node did not start; see {self.log}"
                time.sleep(0.05)

    def stop(self):
        if self.process and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=5)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=5)

    def control(self, op, **arguments):
        """Runs one operation on the node; its result, or an AssertionError with Node's message."""
        request = urllib.request.Request(self.url + "/control", data=json.dumps({"op": op, **arguments}).encode(), method="POST",
                                         headers={"Content-Type": "application/json"})
        try:
            with urllib.request.urlopen(request, timeout=15) as response:
                return json.loads(response.read())["result"]
        except urllib.error.HTTPError as error:
            raise AssertionError(f"{op}: {json.loads(error.read())}") from None

    def wait_for_nodes(self, count, timeout=10):
        """Until the cluster counts `count` nodes (bounded), then a moment for every node's
        subscriptions to land."""
        deadline = time.monotonic() + timeout
        while self.control("serverCount") < count:
            assert time.monotonic() < deadline, f"the cluster did not reach {count} nodes"
            time.sleep(0.05)
        time.sleep(0.3)

    def events(self, client, name, count=1, timeout=5):
        """The arguments of the first `count` events `name` the client received, waiting (bounded)."""
        deadline = time.monotonic() + timeout
        while True:
            found = [event["args"] for event in self.control("events", client=client)["events"] if event["event"] == name]
            if len(found) >= count:
                return found
            assert time.monotonic() < deadline, f"client {client} got {len(found)} of {count} {name} events"
            time.sleep(0.05)
