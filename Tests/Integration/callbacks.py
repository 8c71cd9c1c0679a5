"""A merchant's backend for the callback tests: a local HTTP server that records every callback
delivered to it and answers as scripted (a status, or a stall past the sender's time limit)."""
import base64
import hashlib
import hmac
import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

SECRET = "whsec_" + base64.b64encode(bytes(range(32))).decode()
OLD_SECRET = "whsec_" + base64.b64encode(bytes(range(100, 124))).decode()

try:
    from standardwebhooks.webhooks import Webhook
except ImportError:  # pragma: no cover - requirements.txt installs it
    Webhook = None


def verify(delivery, secret=SECRET):
    """Checks the delivery's signature with PyPI's `standardwebhooks` (an independent
    implementation), or, without it, with HMAC-SHA256 as the specification defines it;
    returns the parsed body."""
    headers = delivery["headers"]
    if Webhook is not None:
        return Webhook(secret).verify(delivery["body"], headers)
    key = base64.b64decode(secret.removeprefix("whsec_"))
    signed = f"{headers['webhook-id']}.{headers['webhook-timestamp']}.".encode() + delivery["body"]
    expected = base64.b64encode(hmac.new(key, signed, hashlib.sha256).digest()).decode()
    assert f"v1,{expected}" in headers["webhook-signature"].split(" ")
    return json.loads(delivery["body"])


class MerchantReceiver:
    """`script`: what to answer, one step per delivery, the last repeating: an int status, or
    ("stall", seconds) to answer 200 only after that long. `port`: 0 for a free one, or a port
    chosen earlier (a merchant that comes up where PayNotify was already told to deliver)."""

    def __init__(self, script=(200,), port=0):
        self.deliveries = []
        self.script = list(script)
        self.lock = threading.Lock()
        self.arrived = threading.Condition(self.lock)
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args):
                pass

            def do_POST(self):
                length = int(self.headers.get("Content-Length", 0))
                body = self.rfile.read(length)
                if len(body) < length:
                    # The sender died mid-request (a SIGKILL test): a merchant's server never
                    # hands a truncated request to its handler, so it is no delivery.
                    self.close_connection = True
                    return
                with receiver.lock:
                    index = len(receiver.deliveries)
                    receiver.deliveries.append({
                        "at": time.monotonic(), "path": self.path, "body": body,
                        "headers": {name.lower(): value for name, value in self.headers.items()},
                    })
                    step = receiver.script[min(index, len(receiver.script) - 1)]
                    receiver.arrived.notify_all()
                status = 200
                if isinstance(step, tuple):
                    time.sleep(step[1])
                else:
                    status = step
                answer = b'{"ok":true}'
                try:
                    self.send_response(status)
                    self.send_header("Content-Type", "application/json")
                    self.send_header("Content-Length", str(len(answer)))
                    self.end_headers()
                    self.wfile.write(answer)
                except OSError:
                    pass  # the sender gave up waiting

        self.server = ThreadingHTTPServer(("127.0.0.1", port), Handler)
        self.server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/paynotify/events"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def wait_for(self, count, timeout=20.0):
        """Waits until `count` deliveries arrived; returns all of them so far."""
        deadline = time.monotonic() + timeout
        with self.lock:
            while len(self.deliveries) < count:
                left = deadline - time.monotonic()
                if left <= 0:
                    raise AssertionError(f"{len(self.deliveries)} of {count} callbacks arrived within {timeout}s")
                self.arrived.wait(left)
            return list(self.deliveries)

    def wait_until(self, predicate, timeout=30.0):
        deadline = time.monotonic() + timeout
        with self.lock:
            while not predicate(self.deliveries):
                left = deadline - time.monotonic()
                if left <= 0:
                    raise AssertionError(f"condition not met within {timeout}s; {len(self.deliveries)} callbacks arrived")
                self.arrived.wait(min(left, 0.5))
            return list(self.deliveries)

    def first_arrivals(self):
        """When each booking's first callback arrived, by booking id."""
        with self.lock:
            arrivals = {}
            for delivery in self.deliveries:
                arrivals.setdefault(json.loads(delivery["body"])["data"]["bookingId"], delivery["at"])
            return arrivals

    def bodies(self):
        with self.lock:
            return [json.loads(delivery["body"]) for delivery in self.deliveries]

    def stop(self):
        self.server.shutdown()
        self.server.server_close()


def callback_env(receiver, schedule="300ms,600ms,900ms", **extra):
    return {"MERCHANT_CALLBACK_URL": receiver.url, "MERCHANT_CALLBACK_SECRET": SECRET, "MERCHANT_CALLBACK_SCHEDULE": schedule, **extra}
