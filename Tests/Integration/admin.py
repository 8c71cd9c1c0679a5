"""Helpers for the operator dashboard tests: requests with and without the session cookie, a
login, and a python-socketio operator listening to the /admin namespace."""
import asyncio
import json
import urllib.error
import urllib.request
from http.cookies import SimpleCookie

import socketio

from callbacks import callback_env
from notifier import notifier_process
from providers import MERCHANT_API_KEY, SEPAY_API_KEY

ADMIN_TOKEN = "admin-token-0123456789abcdef"
COOKIE = "paynotify_admin"
CSRF_HEADER = {"X-PayNotify-Admin": "1"}


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args):
        return None


OPENER = urllib.request.build_opener(NoRedirect)


def admin_request(server, method, path, body=None, session=None, headers=None, form=None):
    """Returns (status, headers, parsed JSON or raw text). `session`: the cookie's value."""
    all_headers = {**({"Cookie": f"{COOKIE}={session}"} if session else {}), **(headers or {})}
    data = None
    if form is not None:
        data = form.encode()
        all_headers["Content-Type"] = "application/x-www-form-urlencoded"
    elif body is not None:
        data = json.dumps(body).encode()
        all_headers["Content-Type"] = "application/json"
    elif method == "POST":
        data = b""
    request = urllib.request.Request(server.url + path, data=data, method=method, headers=all_headers)
    try:
        with OPENER.open(request, timeout=10) as response:
            status, answer_headers, raw = response.status, response.headers, response.read()
    except urllib.error.HTTPError as error:
        status, answer_headers, raw = error.code, error.headers, error.read()
    text = raw.decode()
    is_json = (answer_headers.get("Content-Type") or "").startswith("application/json")
    return status, answer_headers, json.loads(text) if is_json else text


def set_cookie(headers):
    """The session cookie the answer sets, as a Morsel (None when it sets none)."""
    values = headers.get_all("Set-Cookie") or []
    assert len(values) <= 1
    if not values:
        return None
    cookie = SimpleCookie()
    cookie.load(values[0])
    return cookie[COOKIE]


def log_in(server, token=ADMIN_TOKEN):
    status, headers, answer = admin_request(server, "POST", "/admin/login", {"token": token})
    assert status == 200, answer
    return set_cookie(headers).value


def admin_env(token=ADMIN_TOKEN):
    return {"ADMIN_TOKEN": token, "MERCHANT_API_KEY": MERCHANT_API_KEY}


def dashboard_server(tmp_path, receiver, schedule):
    """A server with the dashboard on, SePay's route (for unmatched transfers) and callbacks to
    `receiver` on a shortened `schedule`; the caller stops it."""
    env = {**admin_env(), "SEPAY_API_KEY": SEPAY_API_KEY, **callback_env(receiver, schedule=schedule)}
    return notifier_process(tmp_path, env=env).start(ready_path="/healthz")


class Operator:
    """A python-socketio client of the /admin namespace (through the server's /socket.io/)."""

    EVENTS = ("payment", "unmatched", "callback", "node")

    def __init__(self):
        self.client = socketio.AsyncClient(reconnection=False)
        self.events = {name: asyncio.Queue() for name in self.EVENTS}
        self.errors = asyncio.Queue()
        for name in self.EVENTS:
            self.client.on(name, self.events[name].put_nowait, namespace="/admin")
        self.client.on("connect_error", self.errors.put_nowait, namespace="/admin")

    async def open(self, server, session=None, transports=("websocket",)):
        await self.client.connect(
            server.url, namespaces=["/admin"], transports=list(transports),
            headers={"Cookie": f"{COOKIE}={session}"} if session else {}, wait_timeout=5,
        )
        return self

    async def next(self, name, timeout=5):
        return await asyncio.wait_for(self.events[name].get(), timeout)

    async def close(self):
        await self.client.disconnect()
