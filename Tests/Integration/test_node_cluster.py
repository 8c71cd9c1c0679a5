"""A mixed cluster: one Node socket.io 4.8 node on the real @socket.io/redis-adapter and two
PayNotify nodes on one real redis-server, one official socket.io-client (held by the Node
process) on each node. A payment announced by a PayNotify node reaches the page on the Node
node; a broadcast from the Node node reaches the pages on the PayNotify nodes; the Node node
asks every PayNotify node for `node_info`, and the dashboard lists what the cluster answered."""
import json
import os
import subprocess
import time

import pytest

from admin import admin_env, admin_request, log_in
from cluster import start_nodes
from conftest import BINARY
from nodecluster import NodeClusterNode, require_node_cluster
from notifier import payment, post_webhook


@pytest.fixture(params=["classic", "sharded"])
def mixed(request, tmp_path, redis):
    """The cluster on the classic adapter, or on the sharded one (Redis 7 sharded pub/sub, the
    dynamic subscription mode) on every node."""
    require_node_cluster()
    sharded = request.param == "sharded"
    node = NodeClusterNode(tmp_path, redis.url, env={"SHARDED": "dynamic"} if sharded else {}).start()
    paynotify = start_nodes(tmp_path, redis, count=2, env={**admin_env(), **({"REDIS_ADAPTER": "sharded"} if sharded else {})})
    yield node, paynotify
    for server in paynotify:
        server.stop()
    node.stop()


def official_clients(node, paynotify, booking):
    """One official client per node, each watching `booking`: on websocket, except the last
    PayNotify node's, which long-polls."""
    clients = [node.control("connect")["client"]]
    transports = [["websocket"]] * (len(paynotify) - 1) + [["polling"]]
    clients += [node.control("connect", url=server.url, ready=False, transports=transport)["client"] for server, transport in zip(paynotify, transports)]
    for client in clients:
        answer = node.control("clientEmitWithAck", client=client, event="subscribe_booking", args=[{"bookingId": booking}])
        assert answer["ok"] is True, answer
    node.wait_for_nodes(3)
    return clients


def test_payments_cross_between_node_and_swift_nodes(mixed):
    node, (a, b) = mixed
    clients = official_clients(node, (a, b), "BK-mixed")
    # Announced by a PayNotify node: the page on the Node node and those on both PayNotify nodes.
    assert post_webhook(a, payment("BK-mixed", "t-swift", 125000)) == (200, {"success": True})
    for client in clients:
        [[success]] = node.events(client, "transaction_success")
        [[confirmed]] = node.events(client, "payment_confirmed")
        assert (success["transactionId"], success["amount"], confirmed["confirmed"]) == ("t-swift", 125000, True)
    # Broadcast by the Node node, as its own app would: the pages on the PayNotify nodes too.
    assert post_webhook(node, payment("BK-mixed", "t-node", 99)) == (200, {"success": True})
    for client in clients:
        successes = node.events(client, "transaction_success", count=2)
        assert [event[0]["transactionId"] for event in successes] == ["t-swift", "t-node"]
        order = [event["event"] for event in node.control("events", client=client)["events"]]
        assert order == ["transaction_success", "payment_confirmed"] * 2


def test_node_node_asks_every_paynotify_node_for_node_info_and_the_dashboard_lists_the_cluster(mixed):
    node, (a, b) = mixed
    official_clients(node, (a, b), "BK-info")
    answers = node.control("serverSideEmitWithAck", event="node_info")
    assert len(answers) == 2
    assert all(set(answer) == {"node", "connections", "watchedBookings"} for answer in answers)
    assert all(answer["connections"] == 1 and answer["watchedBookings"] == 1 for answer in answers)
    ids = {answer["node"] for answer in answers}
    assert len(ids) == 2

    # The dashboard on A: itself, B (both answer node_info), and the Node node counted as not
    # answering (it has no node_info handler), within the overview's one-second wait.
    session = log_in(a)
    started = time.monotonic()
    status, _, overview = admin_request(a, "GET", "/admin/api/overview", session=session)
    assert status == 200
    assert time.monotonic() - started < 5
    cluster = overview["cluster"]
    assert {info["node"] for info in cluster["nodes"]} == ids
    assert cluster["nodes"][0]["node"] == overview["node"]["node"]["id"]
    assert (cluster["missing"], cluster["unreadable"]) == (1, 0)


def test_the_dashboard_lists_node_nodes_that_answer_node_info_and_counts_the_others(mixed, tmp_path, redis):
    node, (a, b) = mixed
    answering = NodeClusterNode(tmp_path, redis.url, "N2", env={**node.env, "NODE_INFO_ANSWER": json.dumps({"node": "N2", "connections": 4, "watchedBookings": 2})})
    garbled = NodeClusterNode(tmp_path, redis.url, "N3", env={**node.env, "NODE_INFO_ANSWER": json.dumps("not figures")})
    try:
        answering.start()
        garbled.start()
        node.wait_for_nodes(5)
        status, _, overview = admin_request(a, "GET", "/admin/api/overview", session=log_in(a))
        assert status == 200
        cluster = overview["cluster"]
        by_node = {info["node"]: info for info in cluster["nodes"]}
        assert by_node["N2"] == {"node": "N2", "connections": 4, "watchedBookings": 2}
        assert len(by_node) == 3  # A, B and N2
        # N does not answer node_info at all; N3 answers something that is not figures.
        assert (cluster["missing"], cluster["unreadable"]) == (1, 1)
    finally:
        garbled.stop()
        answering.stop()


def test_the_dashboard_page_shows_the_node_nodes_answer_and_the_silent_node(mixed, tmp_path, redis):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys

    from admin import ADMIN_TOKEN
    from browser import full_page_screenshot, open_browser, text, wait_until

    node, (a, _) = mixed
    answering = NodeClusterNode(tmp_path, redis.url, "N2", env={**node.env, "NODE_INFO_ANSWER": json.dumps({"node": "N2", "connections": 4, "watchedBookings": 2})})
    browser = None
    try:
        answering.start()
        node.wait_for_nodes(4)
        browser = open_browser((1280, 1000))
        browser.get(a.url + "/admin")
        field = browser.find_element(By.ID, "token")
        wait_until(browser, field.is_displayed, 10, "no login form")
        field.send_keys(ADMIN_TOKEN, Keys.ENTER)
        wait_until(browser, lambda: "N2 (node_info answer) — 2 4 — no report heard" in text(browser, "nodes"), 10, f"nodes: {text(browser, 'nodes')!r}")
        wait_until(browser, lambda: text(browser, "nodes-missing") == "1 node of the cluster did not answer node_info.", 5, "the silent Node node is not counted")
        full_page_screenshot(browser, "admin-mixed-cluster.png")
    finally:
        if browser:
            browser.quit()
        answering.stop()


def test_paynotify_emit_reaches_the_official_clients_on_every_node(mixed, redis):
    """`paynotify emit`, our RedisEmitter: the Node node's client and the PayNotify nodes' alike,
    rooms and exceptions as given; refused, saying why, where it cannot reach (the sharded
    adapter) or what it is given is not an event."""
    node, paynotify = mixed
    clients = official_clients(node, paynotify, "BK-emit")
    sharded = node.env.get("SHARDED")

    def emit(*arguments, env=None):
        environment = {key: value for key, value in os.environ.items() if not key.startswith("REDIS_")}
        return subprocess.run([str(BINARY), "emit", "--redis-url", redis.url, *arguments], env={**environment, **(env or {})},
                              capture_output=True, text=True, timeout=30)

    if sharded:
        result = emit("--to", "booking_BK-emit", "notice", env={"REDIS_ADAPTER": "sharded"})
        assert result.returncode != 0 and "sharded adapter" in result.stderr
        return
    result = emit("--to", "booking_BK-emit", "notice", '{"text":"maintenance at 02:00"}', "7")
    assert result.returncode == 0, result.stderr
    for client in clients:
        assert node.events(client, "notice") == [[{"text": "maintenance at 02:00"}, 7]]
    result = emit("--to", "booking_BK-emit", "--except", "booking_BK-emit", "never")
    assert result.returncode == 0, result.stderr
    time.sleep(0.3)
    assert all(not [e for e in node.control("events", client=client)["events"] if e["event"] == "never"] for client in clients)
    for arguments, said in [(("connect",), "reserved"), (("notice", "{not json"), "argument 1 is not a JSON value")]:
        result = emit(*arguments)
        assert result.returncode != 0 and said in result.stderr, result.stderr
    unreachable = subprocess.run([str(BINARY), "emit", "--redis-url", "redis://127.0.0.1:1", "notice"], capture_output=True, text=True, timeout=30)
    assert unreachable.returncode != 0 and "Not published" in unreachable.stderr
