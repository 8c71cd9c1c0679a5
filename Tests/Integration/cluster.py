"""A test cluster: a real redis-server, several `paynotify serve` nodes sharing it, and nginx
in front, each on free loopback ports, each stopped by the test."""
import json
import os
import shutil
import signal
import subprocess
import time
import urllib.error
import urllib.request
from pathlib import Path

from conftest import REPO, free_port
from notifier import notifier_process


class RedisServer:
    """`durable`: an append-only file fsynced on every write, so a SIGKILL loses nothing and
    `start()` again reads it back. `appendfsync` ("everysec", "no") keeps the append-only file
    with that policy instead; `refuse_config`: CONFIG is disabled, as managed Redis services do."""

    def __init__(self, directory: Path, durable=False, appendfsync=None, refuse_config=False):
        self.port = free_port()
        self.directory = directory
        self.appendfsync = appendfsync or ("always" if durable else None)
        self.refuse_config = refuse_config
        self.process = None

    @property
    def url(self):
        return f"redis://127.0.0.1:{self.port}"

    def start(self):
        self.process = subprocess.Popen(
            ["redis-server", "--port", str(self.port), "--bind", "127.0.0.1", "--save", "", "--dir", str(self.directory),
             *(["--appendonly", "yes", "--appendfsync", self.appendfsync] if self.appendfsync else ["--appendonly", "no"]),
             *(["--rename-command", "CONFIG", ""] if self.refuse_config else [])],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + 10
        while subprocess.run(["redis-cli", "-p", str(self.port), "ping"], capture_output=True, text=True).stdout.strip() != "PONG":
            assert time.monotonic() < deadline, "redis-server did not start"
            time.sleep(0.05)
        return self

    def stop(self):
        if self.process and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=10)

    def kill(self):
        """SIGKILL, as a crash."""
        self.process.send_signal(signal.SIGKILL)
        self.process.wait(timeout=10)


def start_nodes(tmp_path, redis, count=3, env=None):
    nodes = []
    for index in range(count):
        directory = tmp_path / f"node{index}"
        directory.mkdir()
        nodes.append(notifier_process(directory, env={"REDIS_URL": redis.url, **(env or {})}).start(ready_path="/readyz"))
    return nodes


def kill(node):
    """SIGKILL: no graceful anything, as a crashed machine."""
    node.process.send_signal(signal.SIGKILL)
    node.process.wait(timeout=10)


class Nginx:
    def __init__(self, directory: Path, node_ports):
        self.port = free_port()
        self.directory = directory
        site = (REPO / "deploy" / "nginx" / "paynotify.conf").read_text()
        for index, port in enumerate(node_ports):
            site = site.replace(f"127.0.0.1:300{index + 1}", f"127.0.0.1:{port}")
        site = site.replace("listen 127.0.0.1:8080;", f"listen 127.0.0.1:{self.port};")
        for name in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi"):
            (directory / name).mkdir(parents=True, exist_ok=True)
        (directory / "site.conf").write_text(site)
        (directory / "nginx.conf").write_text(f"""
worker_processes 1;
pid {directory}/nginx.pid;
error_log {directory}/error.log warn;
events {{ worker_connections 1024; }}
http {{
    access_log off;
    client_body_temp_path {directory}/client_body;
    proxy_temp_path {directory}/proxy;
    fastcgi_temp_path {directory}/fastcgi;
    uwsgi_temp_path {directory}/uwsgi;
    scgi_temp_path {directory}/scgi;
    include {directory}/site.conf;
}}
""")
        self.process = None

    @property
    def url(self):
        return f"http://127.0.0.1:{self.port}"

    def start(self):
        binary = shutil.which("nginx") or "/usr/sbin/nginx"
        self.process = subprocess.Popen([binary, "-c", str(self.directory / "nginx.conf"), "-p", str(self.directory), "-g", "daemon off;"],
                                        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        deadline = time.monotonic() + 10
        import socket
        while True:
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=0.5).close()
                return self
            except OSError:
                assert time.monotonic() < deadline, "nginx did not start"
                time.sleep(0.05)

    def stop(self):
        if self.process and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=10)


def readiness(node):
    """`GET /readyz`: the status and the answer's JSON."""
    try:
        with urllib.request.urlopen(node.url + "/readyz", timeout=5) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read())
