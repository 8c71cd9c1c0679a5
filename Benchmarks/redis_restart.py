"""What a cluster does while its Redis restarts: posts webhooks at a steady rate to one node
while Redis is stopped for a while and started again, and reports the answers (200 / 503), how
long after Redis returned the first webhook was stored, and whether every stored payment reached
its subscriber on another node.

    .venv/bin/python Benchmarks/redis_restart.py --nodes http://127.0.0.1:3001,http://127.0.0.1:3002 \\
        --redis-port 6379 --redis-dir /tmp/redis-bench --outage 3

The script stops and starts redis-server itself (it must have started it: give the port and
directory it runs with); run the nodes with REDIS_URL pointing at it.
"""
import argparse
import asyncio
import json
import subprocess
import time
import uuid

import aiohttp
import socketio


def start_redis(port, directory):
    # The ledger is only as durable as Redis: append-only file, fsync on every write.
    process = subprocess.Popen(["redis-server", "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "yes", "--appendfsync", "always", "--dir", directory],
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    while subprocess.run(["redis-cli", "-p", str(port), "ping"], capture_output=True, text=True).stdout.strip() != "PONG":
        time.sleep(0.02)
    return process


async def main(arguments):
    nodes = arguments.nodes.split(",")
    run_id = uuid.uuid4().hex[:6]
    redis = start_redis(arguments.redis_port, arguments.redis_dir)
    await asyncio.sleep(1.5)  # nodes reconnect to the fresh Redis
    received = set()
    watcher = socketio.AsyncClient(reconnection=True)
    watcher.on("transaction_success", lambda data: received.add(data["transactionId"]))
    await watcher.connect(nodes[-1], transports=["websocket"], wait_timeout=10)
    total = int((arguments.before + arguments.outage + arguments.after) * arguments.rate)
    bookings = [f"r-{run_id}-{number}" for number in range(total)]
    for booking in bookings[:19]:
        await watcher.call("subscribe_booking", {"bookingId": booking}, timeout=10)
    answers = []
    started = time.monotonic()
    stopped_at = restarted_at = None
    async with aiohttp.ClientSession() as session:
        for number in range(total):
            now = time.monotonic() - started
            if stopped_at is None and now >= arguments.before:
                redis.terminate(); redis.wait()
                stopped_at = now
            if restarted_at is None and stopped_at is not None and now >= arguments.before + arguments.outage:
                redis = start_redis(arguments.redis_port, arguments.redis_dir)
                restarted_at = time.monotonic() - started
            body = json.dumps({"bookingId": bookings[number], "transactionId": f"t-{run_id}-{number}", "amount": 1, "status": "success"})
            async with session.post(nodes[0] + "/webhook/payment", data=body) as response:
                answers.append((time.monotonic() - started, response.status, f"t-{run_id}-{number}"))
            await asyncio.sleep(max(0, (number + 1) / arguments.rate - (time.monotonic() - started)))
    await asyncio.sleep(1)
    first_ok_after = next((t - restarted_at for t, status, _ in answers if t >= restarted_at and status == 200), None)
    stored = [tx for _, status, tx in answers if status == 200]
    # Every acknowledged payment must be in Redis.
    missing = [tx for tx in stored
               if subprocess.run(["redis-cli", "-p", str(arguments.redis_port), "HGET", f"paynotify:payment:generic:{tx}", "status"],
                                 capture_output=True, text=True).stdout.strip() != "success"]
    watched = {f"t-{run_id}-{number}" for number in range(19)} & set(stored)
    print(json.dumps({
        "webhooks": len(answers), "ok": len(stored), "service_unavailable": sum(1 for _, s, _ in answers if s == 503),
        "other": sum(1 for _, s, _ in answers if s not in (200, 503)),
        "outage_seconds": round(restarted_at - stopped_at, 2),
        "first_stored_after_restart_seconds": round(first_ok_after, 3) if first_ok_after is not None else None,
        "acknowledged_but_missing_from_redis": len(missing),
        "watched_payments_acknowledged": len(watched), "watched_payments_delivered_across_nodes": len(watched & received),
    }))
    await watcher.disconnect()
    redis.terminate(); redis.wait()


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--nodes", required=True, help="node URLs, comma-separated; webhooks go to the first")
    parser.add_argument("--redis-port", type=int, required=True)
    parser.add_argument("--redis-dir", required=True)
    parser.add_argument("--rate", type=float, default=20.0, help="webhooks per second")
    parser.add_argument("--before", type=float, default=2.0)
    parser.add_argument("--outage", type=float, default=3.0)
    parser.add_argument("--after", type=float, default=3.0)
    asyncio.run(main(parser.parse_args()))
