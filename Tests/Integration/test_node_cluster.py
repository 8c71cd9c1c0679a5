"""A mixed cluster: one Node socket.io 4.8 node on the real @socket.io/redis-adapter and two
PayNotify nodes on one real redis-server, one official socket.io-client (held by the Node
process) on each node. A payment announced by a PayNotify node reaches the page on the Node
node; a broadcast from the Node node reaches the pages on the PayNotify nodes; the Node node
asks every PayNotify node for `node_info`, and the dashboard lists what the cluster answered."""
import time

import pytest

from admin import admin_env, admin_request, log_in
from cluster import start_nodes
from nodecluster import NodeClusterNode, require_node_cluster
from notifier import payment, post_webhook


@pytest.fixture
def mixed(tmp_path, redis):
    require_node_cluster()
    node = NodeClusterNode(tmp_path, redis.url).start()
    paynotify = start_nodes(tmp_path, redis, count=2, env=admin_env())
    yield node, paynotify
    for server in paynotify:
        server.stop()
    node.stop()


def official_clients(node, paynotify, booking):
    """One official client per node, each watching `booking`."""
    clients = [node.control("connect")["client"]]
    clients += [node.control("connect", url=server.url, ready=False)["client"] for server in paynotify]
    for client in clients:
        answer = node.control("clientEmitWithAck", client=client, event="subscribe_booking", args=[{"bookingId": booking}])
        assert answer["ok"] is True, answer
    deadline = time.monotonic() + 10
    while node.control("serverCount") < 3:
        assert time.monotonic() < deadline, "the three nodes did not see each other"
        time.sleep(0.05)
    time.sleep(0.3)  # every node's subscriptions are up
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
