"""Provider polling (the reference design's "Option 3") against a local fake status API."""
import asyncio
import time

import pytest

from conftest import run
from notifier import FakeProvider, Page, notifier_process


@pytest.fixture
def provider():
    fake = FakeProvider()
    yield fake
    fake.stop()


@pytest.fixture
def polling_server(tmp_path, provider):
    process = notifier_process(
        tmp_path,
        env={
            "PAYMENT_API_URL": provider.url + "/check/{memo}",
            "PAYMENT_API_KEY": "secret-key",
            "POLL_INTERVAL": "200ms",
            "POLL_TIMEOUT": "500ms",
        },
    ).start(ready_path="/healthz")
    yield process
    process.stop()


def paid(transaction):
    return ("json", {"status": "paid", "transactionId": transaction, "amount": 250000})


PAID = paid("bank-77")
PENDING = ("json", {"status": "pending"})


async def wait_for_requests(provider, memo, count, timeout=10):
    deadline = time.monotonic() + timeout
    while len(provider.requests_for(memo)) < count:
        assert time.monotonic() < deadline, f"only {len(provider.requests_for(memo))} polls of {memo}"
        await asyncio.sleep(0.05)


def test_paid_after_some_polls_is_delivered_and_polling_stops(polling_server, provider):
    provider.script("BK-1", [PENDING, PENDING, PAID])

    async def scenario():
        page = await Page().open(polling_server)
        assert await page.subscribe("BK-1") == {"ok": True, "status": "pending"}
        success, confirmed = await page.payment_events(timeout=10)
        assert (success["transactionId"], success["amount"]) == ("bank-77", 250000)
        assert confirmed["confirmed"] is True
        polls = len(provider.requests_for("BK-1"))
        assert polls == 3
        await asyncio.sleep(1.0)  # five intervals: a paid booking is not asked about again
        assert len(provider.requests_for("BK-1")) == polls
        assert all(auth == "Bearer secret-key" for _, _, auth in provider.requests_for("BK-1"))
        await page.close()

    run(scenario())


def test_memo_from_subscription_is_what_the_provider_is_asked(polling_server, provider):
    provider.script("SHOP 12 / x", [paid("bank-memo")])

    async def scenario():
        page = await Page().open(polling_server)
        await page.subscribe("BK-memo", memo="SHOP 12 / x")
        success, _ = await page.payment_events(timeout=10)
        assert success["bookingId"] == "BK-memo"
        assert provider.requests_for("BK-memo") == []
        await page.close()

    run(scenario())


def test_errors_back_off_then_recover(polling_server, provider):
    provider.script("BK-err", [("status", 500), ("status", 503), ("status", 500), paid("bank-err")])

    async def scenario():
        page = await Page().open(polling_server)
        await page.subscribe("BK-err")
        await page.payment_events(timeout=15)
        times = [t for t, _, _ in provider.requests_for("BK-err")]
        gaps = [later - earlier for earlier, later in zip(times, times[1:])]
        # interval 200 ms doubled per consecutive failure: ~400, ~800, ~1600 ms.
        assert gaps[1] > gaps[0] * 1.5 and gaps[2] > gaps[1] * 1.5, gaps
        await page.close()

    run(scenario())


def test_slow_and_garbage_answers_are_failures_not_payments(polling_server, provider):
    provider.script("BK-slow", [("sleep", 1.5), paid("bank-slow")])
    provider.script("BK-garbage", [("raw", "<html>not json"), ("raw", '{"state": 1}'), paid("bank-garbage")])

    async def scenario():
        slow = await Page().open(polling_server)
        garbage = await Page().open(polling_server)
        await slow.subscribe("BK-slow")
        await garbage.subscribe("BK-garbage")
        await slow.payment_events(timeout=15)
        await garbage.payment_events(timeout=15)
        assert len(provider.requests_for("BK-slow")) >= 2
        assert len(provider.requests_for("BK-garbage")) == 3
        await slow.close()
        await garbage.close()

    run(scenario())
    log = polling_server.log_path.read_text()
    assert "Polling payment status failed" in log


def test_unwatched_booking_is_no_longer_polled(polling_server, provider):
    provider.script("BK-gone", [PENDING])

    async def scenario():
        page = await Page().open(polling_server)
        other_tab = await Page().open(polling_server)
        await page.subscribe("BK-gone")
        await other_tab.subscribe("BK-gone")
        await wait_for_requests(provider, "BK-gone", 2)
        await page.unsubscribe("BK-gone")
        await wait_for_requests(provider, "BK-gone", 3)  # the other tab still watches
        await other_tab.close()  # the last watcher leaves by disconnecting
        await asyncio.sleep(0.5)
        settled = len(provider.requests_for("BK-gone"))
        await asyncio.sleep(1.0)
        assert len(provider.requests_for("BK-gone")) == settled
        await page.close()

    run(scenario())


def test_transaction_of_another_booking_is_not_taken_for_this_one(polling_server, provider):
    provider.script("BK-a", [paid("bank-shared")])
    provider.script("BK-b", [paid("bank-shared")])

    async def scenario():
        first = await Page().open(polling_server)
        await first.subscribe("BK-a")
        await first.payment_events(timeout=10)
        second = await Page().open(polling_server)
        await second.subscribe("BK-b")
        await wait_for_requests(provider, "BK-b", 2)
        await second.assert_no_event()
        times = [t for t, _, _ in provider.requests_for("BK-b")]
        # Not settled: retried with backoff (≥ 2 intervals), not every interval.
        assert times[1] - times[0] >= 0.35
        await first.close()
        await second.close()

    run(scenario())
    assert "Transaction already recorded for another booking" in polling_server.log_path.read_text()


def test_without_payment_api_url_nothing_is_polled(tmp_path, provider):
    server = notifier_process(tmp_path).start(ready_path="/healthz")
    try:
        async def scenario():
            page = await Page().open(server)
            await page.subscribe("BK-off")
            await asyncio.sleep(0.5)
            await page.assert_no_event()
            await page.close()

        run(scenario())
        assert provider.requests == []
        assert "Provider polling is off" in server.log_path.read_text()
    finally:
        server.stop()
