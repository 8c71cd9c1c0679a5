#!/usr/bin/env python3
"""What connection-state recovery keeps per disconnected session, in server memory.

Starts the release build's conformance servers one after the other: the protocol suites' (no
recovery) and the client suite's (`connectionStateRecovery` on, Node's 2-minute window). Against
each it opens N websocket clients that connect to `/`, then drops them all without a close
frame (a network loss: recoverable), twice, and reads the server's resident memory before and
after the second time.
The difference between the two servers' growth, per session, is what the sessions kept for
recovery cost: the events sent meanwhile are kept once per namespace, not per session.

    Benchmarks/recovery_memory.py [N]      (default 5000; needs the release build)
"""
import asyncio
import base64
import os
import socket
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BINARY = Path(os.environ.get("PAYNOTIFY_BIN", ROOT / ".build-release" / "release" / "paynotify"))


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def rss_kib(pid):
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    raise RuntimeError("no VmRSS")


def cpu_ticks(pid):
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return int(fields[11]) + int(fields[12])


def wait_quiet(pid, limit=30.0):
    """Until the server's CPU time stops rising for half a second (bounded)."""
    deadline = time.monotonic() + limit
    last = cpu_ticks(pid)
    while time.monotonic() < deadline:
        time.sleep(0.5)
        now = cpu_ticks(pid)
        if now == last:
            return
        last = now


def masked_text(payload: bytes) -> bytes:
    mask = os.urandom(4)
    assert len(payload) < 126
    return bytes([0x81, 0x80 | len(payload)]) + mask + bytes(b ^ mask[i % 4] for i, b in enumerate(payload))


async def read_text(reader):
    header = await reader.readexactly(2)
    length = header[1] & 0x7F
    if length == 126:
        length = int.from_bytes(await reader.readexactly(2), "big")
    elif length == 127:
        length = int.from_bytes(await reader.readexactly(8), "big")
    return (await reader.readexactly(length)).decode()


async def connect(port):
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    key = base64.b64encode(os.urandom(16)).decode()
    writer.write((f"GET /socket.io/?EIO=4&transport=websocket HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nUpgrade: websocket\r\n"
                  f"Connection: Upgrade\r\nSec-WebSocket-Key: {key}\r\nSec-WebSocket-Version: 13\r\n\r\n").encode())
    await reader.readuntil(b"\r\n\r\n")
    assert (await read_text(reader)).startswith("0{")
    writer.write(masked_text(b"40"))
    answer = await read_text(reader)
    assert answer.startswith("40{"), answer
    return writer, '"pid"' in answer


async def open_and_drop(port, count):
    semaphore = asyncio.Semaphore(100)

    async def one():
        async with semaphore:
            return await asyncio.wait_for(connect(port), 30)

    opened = await asyncio.gather(*(one() for _ in range(count)))
    for writer, _ in opened:
        writer.transport.abort()
    return sum(recoverable for _, recoverable in opened)


def measure(arguments, count):
    port = free_port()
    server = subprocess.Popen([str(BINARY), *arguments, "--port", str(port), "--log-level", "warning"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                time.sleep(0.05)
        # A first batch grows the allocator's pools to what N connections take; the second
        # reuses them, so what it adds is what the server keeps after the connections are gone.
        asyncio.run(open_and_drop(port, count))
        wait_quiet(server.pid)
        before = rss_kib(server.pid)
        recoverable = asyncio.run(open_and_drop(port, count))
        wait_quiet(server.pid)
        return before, rss_kib(server.pid), recoverable
    finally:
        server.terminate()
        server.wait(timeout=10)


def main():
    if not BINARY.exists():
        sys.exit(f"recovery_memory.py: no release build at {BINARY} (swift build -c release --scratch-path .build-release --product paynotify)")
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 5000
    off_before, off_after, _ = measure(["conformance"], count)
    on_before, on_after, recoverable = measure(["conformance", "--suite", "client"], count)
    assert recoverable == count, f"only {recoverable} of {count} CONNECT answers carried a pid"
    per_session = ((on_after - on_before) - (off_after - off_before)) * 1024 / count
    print(f"{count} more sessions dropped: growth without recovery {off_after - off_before} KiB, with recovery {on_after - on_before} KiB")
    print(f"recovery keeps {per_session:.0f} B per disconnected session (RSS, both servers fresh, this run)")


if __name__ == "__main__":
    main()
