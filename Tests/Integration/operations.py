"""Helpers for the operations tests: plain HTTP GETs with status and headers, and /metrics read
into a dictionary."""
import json
import re
import urllib.error
import urllib.request

SAMPLE = re.compile(r'^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})?\s+(\S+)$')
LABEL = re.compile(r'([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"')


def get(server, path, headers=None, timeout=10):
    """GET; returns (status, headers, body text), whatever the status."""
    request = urllib.request.Request(server.url + path, headers=headers or {})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            return response.status, response.headers, response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.headers, error.read().decode()


def get_json(server, path, headers=None):
    status, _, body = get(server, path, headers)
    return status, json.loads(body)


def metrics(server, token=None):
    """/metrics as {(name, frozenset of (label, value)): number}."""
    status, headers, body = get(server, "/metrics", {"Authorization": f"Bearer {token}"} if token else None)
    assert status == 200, body
    assert headers["Content-Type"].startswith("text/plain")
    samples = {}
    for line in body.splitlines():
        if not line or line.startswith("#"):
            continue
        match = SAMPLE.match(line)
        assert match, f"not a Prometheus sample line: {line!r}"
        name, labels, value = match.groups()
        samples[(name, frozenset(LABEL.findall(labels or "")))] = float(value)
    return samples


def sample(samples, name, **labels):
    """The value of one series (0 if absent)."""
    return samples.get((name, frozenset(labels.items())), 0.0)
