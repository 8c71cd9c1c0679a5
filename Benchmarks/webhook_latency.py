"""Webhook → `transaction_success` latency and sustained webhooks/s against a running server.

    WEBHOOK_RATE_LIMIT=1000000 WEBHOOK_RATE_BURST=1000000 MAX_SUBSCRIPTIONS_PER_SOCKET=1000 \\
        SOCKET_PACKET_BURST=1000 paynotify serve --log-level warning     # the server, limits raised
    .venv/bin/python Benchmarks/webhook_latency.py --url http://127.0.0.1:3000 \\
        --subscribers 200 --webhooks 4000 --concurrency 16

Subscribers are python-socketio clients over websocket, each watching its own bookings; each
webhook pays a different watched booking (so every one is announced), posted over keep-alive
connections. For a cluster, give several comma-separated `--url`s (subscribers are spread over
them) and `--webhook-url` of another node: every event then crosses nodes through Redis. The client runs in one
Python process, so at high rates it, not the server, is the limit: its CPU time is reported.
"""
import argparse
import asyncio
import json
import resource
import statistics
import time
import uuid

import aiohttp
import socketio


async def main(arguments):
    run_id = uuid.uuid4().hex[:8]
    received = {}
    clients = []

    def on_success(payload):
        received[payload["transactionId"]] = time.perf_counter()

    per_client = -(-arguments.webhooks // arguments.subscribers)
    urls = arguments.url.split(",")
    webhook_url = arguments.webhook_url or urls[0]
    for index in range(arguments.subscribers):
        client = socketio.AsyncClient(reconnection=False)
        client.on("transaction_success", on_success)
        await client.connect(urls[index % len(urls)], transports=["websocket"], wait_timeout=10)
        for slot in range(per_client):
            await client.call("subscribe_booking", {"bookingId": f"bench-{run_id}-{index * per_client + slot}"}, timeout=10)
        clients.append(client)

    sent = {}
    queue = asyncio.Queue()
    for number in range(arguments.webhooks):
        await queue.put(number)
    connector = aiohttp.TCPConnector(limit=arguments.concurrency)
    async with aiohttp.ClientSession(connector=connector) as session:
        async def worker():
            while not queue.empty():
                number = queue.get_nowait()
                transaction = f"tx-{run_id}-{number}"
                body = json.dumps({
                    "bookingId": f"bench-{run_id}-{number}",
                    "transactionId": transaction, "amount": 100000, "status": "success",
                })
                sent[transaction] = time.perf_counter()
                async with session.post(webhook_url + "/webhook/payment", data=body,
                                        headers={"Content-Type": "application/json"}) as response:
                    assert response.status == 200, await response.text()

        cpu_before = resource.getrusage(resource.RUSAGE_SELF)
        started = time.perf_counter()
        await asyncio.gather(*(worker() for _ in range(arguments.concurrency)))
        elapsed = time.perf_counter() - started
        deadline = time.perf_counter() + 10
        while len(received) < len(sent) and time.perf_counter() < deadline:
            await asyncio.sleep(0.05)
        cpu_after = resource.getrusage(resource.RUSAGE_SELF)

    announced = [received[t] - sent[t] for t in sent if t in received]
    latencies = sorted(value * 1000 for value in announced)

    def percentile(p):
        return latencies[min(len(latencies) - 1, int(len(latencies) * p))] if latencies else float("nan")

    result = {
        "nodes": len(urls), "subscribers": arguments.subscribers, "webhooks": arguments.webhooks,
        "concurrency": arguments.concurrency, "announced": len(latencies),
        "webhooks_per_second": round(arguments.webhooks / elapsed, 1),
        "latency_ms": {"p50": round(percentile(0.5), 2), "p90": round(percentile(0.9), 2),
                       "p99": round(percentile(0.99), 2), "max": round(latencies[-1], 2) if latencies else None,
                       "mean": round(statistics.mean(latencies), 2) if latencies else None},
        "client_cpu_seconds": round((cpu_after.ru_utime + cpu_after.ru_stime) - (cpu_before.ru_utime + cpu_before.ru_stime), 2),
    }
    print(json.dumps(result))
    for client in clients:
        await client.disconnect()


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--url", default="http://127.0.0.1:3000", help="server URL(s) the subscribers connect to, comma-separated")
    parser.add_argument("--webhook-url", help="server the webhooks are posted to (default: the first --url)")
    parser.add_argument("--subscribers", type=int, default=500)
    parser.add_argument("--webhooks", type=int, default=5000)
    parser.add_argument("--concurrency", type=int, default=32)
    asyncio.run(main(parser.parse_args()))
