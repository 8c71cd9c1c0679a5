"""Merchant callbacks under a burst while the merchant is down: starts a `paynotify serve` (its
own SQLite ledger) with callbacks to a local receiver that is not listening yet, posts a burst of
webhooks, brings the receiver up after `--down` seconds, and reports when every event arrived and
the delivery latency once the merchant was up (p50/p99), plus the latency of a second burst to a
merchant that is up.

    .venv/bin/python Benchmarks/callback_burst.py --binary .build/debug/paynotify --webhooks 1000 --down 60
"""
import argparse
import json
import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

# The merchant's endpoint is the integration tests' receiver (it answers 200 and records each
# delivery), so the benchmark and the tests measure against the same server.
sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "Tests" / "Integration"))
from callbacks import SECRET, MerchantReceiver  # noqa: E402


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def post(url, booking):
    body = json.dumps({"bookingId": booking, "transactionId": f"t-{booking}", "amount": 500000, "status": "success"}).encode()
    request = urllib.request.Request(url + "/webhook/payment", data=body, method="POST", headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=30) as response:
        assert response.status == 200
    return booking, time.monotonic()


def burst(url, prefix, count):
    with ThreadPoolExecutor(max_workers=32) as pool:
        return dict(pool.map(lambda index: post(url, f"{prefix}{index}"), range(count)))


def percentile(values, fraction):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(fraction * len(ordered)))]


def wait_for(receiver, bookings, timeout):
    """Whether every booking's callback arrived within `timeout` seconds."""
    try:
        wanted = set(bookings)
        receiver.wait_until(lambda deliveries: wanted <= {json.loads(d["body"])["data"]["bookingId"] for d in deliveries}, timeout=timeout)
        return True
    except AssertionError:
        return False


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--binary", default=".build/debug/paynotify")
    parser.add_argument("--webhooks", type=int, default=1000)
    parser.add_argument("--down", type=float, default=60)
    parser.add_argument("--schedule", default=None, help="MERCHANT_CALLBACK_SCHEDULE (default: the built-in one)")
    arguments = parser.parse_args()
    directory = tempfile.mkdtemp(prefix="callback-burst-")
    port, merchant_port = free_port(), free_port()
    env = {**os.environ, "DATABASE_PATH": os.path.join(directory, "ledger.sqlite"), "LOG_LEVEL": "error", "WEBHOOK_RATE_LIMIT": "100000", "WEBHOOK_RATE_BURST": "100000",
           "MERCHANT_CALLBACK_URL": f"http://127.0.0.1:{merchant_port}/paynotify/events", "MERCHANT_CALLBACK_SECRET": SECRET}
    if arguments.schedule:
        env["MERCHANT_CALLBACK_SCHEDULE"] = arguments.schedule
    log = open(os.path.join(directory, "serve.log"), "wb")
    server = subprocess.Popen([arguments.binary, "serve", "--host", "127.0.0.1", "--port", str(port)], env=env, stdout=log, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    try:
        for _ in range(200):
            try:
                urllib.request.urlopen(url + "/healthz", timeout=1)
                break
            except Exception:
                time.sleep(0.05)
        started = time.monotonic()
        acknowledged = burst(url, "down-", arguments.webhooks)
        sent = time.monotonic() - started
        time.sleep(max(0, arguments.down - sent))
        receiver = MerchantReceiver(port=merchant_port)
        up = time.monotonic()
        complete = wait_for(receiver, acknowledged, timeout=600)
        arrivals = receiver.first_arrivals()
        latencies = [arrivals[b] - up for b in acknowledged if b in arrivals]
        report = {
            "webhooks": arguments.webhooks, "webhookBurstSeconds": round(sent, 2), "merchantDownSeconds": arguments.down,
            "delivered": len(latencies), "allDelivered": complete,
            "afterMerchantUp": {"p50": round(percentile(latencies, 0.5), 2), "p99": round(percentile(latencies, 0.99), 2), "max": round(max(latencies), 2)},
        }
        acknowledged = burst(url, "up-", arguments.webhooks)
        complete = wait_for(receiver, acknowledged, timeout=120)
        arrivals = receiver.first_arrivals()
        live = [arrivals[b] - at for b, at in acknowledged.items() if b in arrivals]
        report["merchantUp"] = {"allDelivered": complete, "p50": round(percentile(live, 0.5) * 1000, 1), "p99": round(percentile(live, 0.99) * 1000, 1), "unit": "ms after the webhook's 200"}
        print(json.dumps(report, indent=2))
        receiver.stop()
    finally:
        server.terminate()
        server.wait(timeout=20)
        log.close()


if __name__ == "__main__":
    sys.exit(main())
