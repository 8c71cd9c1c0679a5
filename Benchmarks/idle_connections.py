"""Server memory per idle connection: opens N websocket connections (Engine.IO handshake,
Socket.IO CONNECT, one `subscribe_booking` each), answers heartbeats, and reports the server's
RSS before and after.

    MAX_CONNECTIONS_PER_IP=100000 paynotify serve --log-level warning &     # all load comes from one address
    .venv/bin/python Benchmarks/idle_connections.py --url http://127.0.0.1:3000 --pid $! -n 5000

Keep N under the process's open-file limit (`ulimit -n`) on both sides.
"""
import argparse
import asyncio
import json
import time
import uuid
from pathlib import Path

import aiohttp


def rss_kib(pid):
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    raise RuntimeError("no VmRSS")


async def hold(session, url, booking, ready, stop):
    async with session.ws_connect(url, heartbeat=None, max_msg_size=0) as ws:
        assert (await ws.receive_str()).startswith("0{")
        await ws.send_str("40")
        assert (await ws.receive_str()).startswith("40")
        await ws.send_str('421["subscribe_booking",{"bookingId":"%s"}]' % booking)
        assert (await ws.receive_str()).startswith("431")
        ready.release()
        while not stop.is_set():
            try:
                message = await asyncio.wait_for(ws.receive(), 0.5)
            except asyncio.TimeoutError:
                continue
            if message.type != aiohttp.WSMsgType.TEXT:
                return False
            if message.data == "2":
                await ws.send_str("3")
        return True


async def main(arguments):
    url = arguments.url.replace("http", "ws", 1) + "/socket.io/?EIO=4&transport=websocket"
    run_id = uuid.uuid4().hex[:8]
    before = rss_kib(arguments.pid)
    ready = asyncio.Semaphore(0)
    stop = asyncio.Event()
    connector = aiohttp.TCPConnector(limit=0)
    async with aiohttp.ClientSession(connector=connector) as session:
        started = time.perf_counter()
        tasks = []
        for index in range(arguments.n):
            tasks.append(asyncio.create_task(hold(session, url, f"idle-{run_id}-{index}", ready, stop)))
            if index % 200 == 199:
                await asyncio.sleep(0)
        for _ in range(arguments.n):
            await ready.acquire()
        connect_seconds = time.perf_counter() - started
        await asyncio.sleep(arguments.settle)
        after = rss_kib(arguments.pid)
        await asyncio.sleep(arguments.hold)
        stop.set()
        results = await asyncio.gather(*tasks, return_exceptions=True)
    kept = sum(1 for result in results if result is True)
    print(json.dumps({
        "connections": arguments.n, "connect_seconds": round(connect_seconds, 2),
        "rss_before_kib": before, "rss_after_kib": after,
        "bytes_per_connection": round((after - before) * 1024 / arguments.n),
        "held_seconds": arguments.hold, "still_connected": kept,
    }))


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--url", default="http://127.0.0.1:3000")
    parser.add_argument("--pid", type=int, required=True)
    parser.add_argument("-n", type=int, default=5000)
    parser.add_argument("--settle", type=float, default=2.0, help="seconds between the last connect and the RSS reading")
    parser.add_argument("--hold", type=float, default=0.0, help="seconds to keep the connections after measuring")
    asyncio.run(main(parser.parse_args()))
