"""The demo checkout page in a real headless Chromium (phone-sized window) against a real
server: pending → paid after a webhook, paid at once when paid earlier, recovery after the
server restarts, two tabs, the simulate button, and the page's refusals."""
import pytest
from selenium.webdriver.common.by import By

from browser import open_browser, screenshot, status, text, wait_for_status, wait_until, wait_until_live
from conftest import free_port
from notifier import notifier_process, payment, post_webhook


@pytest.fixture
def server(tmp_path):
    process = notifier_process(tmp_path).start(ready_path="/healthz")
    yield process
    process.stop()


@pytest.fixture
def browser():
    driver = open_browser()
    yield driver
    driver.quit()


def demo(server, booking, amount=500000):
    return f"{server.url}/demo?booking={booking}&amount={amount}"


def test_the_page_turns_paid_after_a_webhook(server, browser):
    browser.get(demo(server, "BK123"))
    wait_until_live(browser)
    assert status(browser) == "pending"
    assert "Waiting for your payment" in text(browser, "status")
    assert text(browser, "booking-id") == "BK123"
    assert text(browser, "memo") == "BK123", "without bank settings the memo is shown as text"
    assert not browser.find_element(By.ID, "qr").is_displayed()
    assert post_webhook(server, payment("BK123", "TXN-20240115-0001", 500000)) == (200, {"success": True})
    wait_for_status(browser, "paid")
    assert "Paid" in text(browser, "status-text")
    assert text(browser, "transaction-id") == "TXN-20240115-0001"
    assert browser.find_element(By.ID, "paid-at").get_attribute("datetime").endswith("Z")
    assert browser.execute_script("return document.documentElement.scrollWidth <= window.innerWidth"), "the page scrolls sideways on a phone"
    path = screenshot(browser, "demo-paid.png")
    print(f"screenshot of the paid state: {path}")


def test_a_payment_made_before_the_page_opened_shows_paid_at_once(server, browser):
    assert post_webhook(server, payment("BK-early", "TXN-early"))[0] == 200
    browser.get(demo(server, "BK-early"))
    wait_for_status(browser, "paid", timeout=10)
    assert text(browser, "transaction-id") == "TXN-early"


def test_the_page_recovers_after_the_server_restarts_and_shows_the_payment_made_meanwhile(tmp_path, browser):
    port = free_port()
    server = notifier_process(tmp_path, port=port).start(ready_path="/healthz")
    try:
        browser.get(demo(server, "BK-restart"))
        wait_until_live(browser)
        server.stop()
        wait_until(browser, lambda: "reconnecting" in text(browser, "connection"), 10, "the page never noticed the cut")
        # The payment arrives while the page's server is down: through another node on the same ledger.
        other = notifier_process(tmp_path).start(ready_path="/healthz")
        try:
            assert post_webhook(other, payment("BK-restart", "TXN-meanwhile"))[0] == 200
        finally:
            other.stop()
        assert status(browser) == "pending"
        server = notifier_process(tmp_path, port=port).start(ready_path="/healthz")
        wait_for_status(browser, "paid", timeout=20)
        assert text(browser, "transaction-id") == "TXN-meanwhile"
    finally:
        server.stop()


def test_two_tabs_on_one_booking_both_flip(server, browser):
    browser.get(demo(server, "BK-tabs"))
    wait_until_live(browser)
    first = browser.current_window_handle
    browser.switch_to.new_window("tab")
    browser.get(demo(server, "BK-tabs"))
    wait_until_live(browser)
    second = browser.current_window_handle
    assert post_webhook(server, payment("BK-tabs", "TXN-tabs"))[0] == 200
    for tab in (second, first):
        browser.switch_to.window(tab)
        wait_for_status(browser, "paid")
        assert text(browser, "transaction-id") == "TXN-tabs"


def test_the_simulate_button_pays_the_booking_and_a_second_press_is_a_duplicate(server, browser):
    browser.get(demo(server, "BK-button"))
    wait_until_live(browser)
    button = browser.find_element(By.ID, "simulate")
    assert button.text == "Simulate the payment"
    button.click()
    wait_for_status(browser, "paid")
    assert text(browser, "transaction-id").startswith("demo-")
    wait_until(browser, lambda: text(browser, "simulate-result") == "Webhook recorded.", 5)
    button.click()
    wait_until(browser, lambda: text(browser, "simulate-result").startswith("Already recorded"), 5)


@pytest.mark.parametrize(
    "query, problem",
    [
        ("", "No booking given: open this page as /demo?booking=YOUR_BOOKING_ID&amount=AMOUNT."),
        ("?booking=BK1", 'The amount must be a number of at least 0, got "": open this page as /demo?booking=BK1&amount=500000.'),
        ("?booking=BK1&amount=lots", 'The amount must be a number of at least 0, got "lots": open this page as /demo?booking=BK1&amount=500000.'),
        ("?booking=BK1&amount=-5", 'The amount must be a number of at least 0, got "-5": open this page as /demo?booking=BK1&amount=500000.'),
        (f"?booking={'x' * 129}&amount=1", "This page cannot follow the payment: bookingId must be at most 128 characters."),
    ],
)
def test_the_page_explains_what_is_wrong_with_its_address(server, browser, query, problem):
    browser.get(f"{server.url}/demo{query}")
    wait_until(browser, lambda: browser.find_element(By.ID, "problem").is_displayed(), 10, "no problem shown")
    assert text(browser, "problem") == problem
    assert browser.find_element(By.ID, "problem").get_attribute("role") == "alert"


QR_IMAGE = "data:image/svg+xml," + "%3Csvg xmlns='http://www.w3.org/2000/svg' width='280' height='280'%3E%3Crect width='280' height='280'/%3E%3C/svg%3E"


def answer_qr_requests(browser, status, answer):
    """Answers the page's `GET /api/bookings/{id}/qr` inside the browser with the agreed
    contract's answer: that endpoint belongs to the bank-settings work, not to this server yet."""
    browser.execute_cdp_cmd("Page.addScriptToEvaluateOnNewDocument", {"source": f"""
        window.qrRequests = [];
        const realFetch = window.fetch.bind(window);
        window.fetch = (resource, init) => {{
            if (!String(resource).startsWith('/api/bookings/')) return realFetch(resource, init);
            window.qrRequests.push(String(resource));
            return Promise.resolve(new Response({answer!r}, {{status: {status}, headers: {{'Content-Type': 'application/json'}}}}));
        }};
    """})


def test_the_page_shows_the_qr_code_of_the_bank_settings_answer(server, browser):
    answer_qr_requests(browser, 200, f'{{"bookingId":"BK-qr 1","memo":"PAYBKQR1","amount":500000,"url":"{QR_IMAGE}"}}')
    browser.get(demo(server, "BK-qr%201"))
    wait_until(browser, lambda: browser.find_element(By.ID, "qr").is_displayed(), 10, "no QR code shown")
    assert browser.execute_script("return window.qrRequests") == ["/api/bookings/BK-qr%201/qr?amount=500000"]
    image = browser.find_element(By.ID, "qr-image")
    assert image.get_attribute("src") == QR_IMAGE
    assert image.get_attribute("alt") == "Bank transfer QR code: 500.000\u00a0₫ with memo PAYBKQR1"  # Intl puts a no-break space before ₫
    assert text(browser, "memo") == "PAYBKQR1"


@pytest.mark.parametrize("status, answer", [(500, '{"error":"boom"}'), (200, "not json"), (200, '{"memo":"PAYBKQR1"}')])
def test_without_a_usable_qr_answer_the_page_goes_on_with_the_memo_as_text(server, browser, status, answer):
    answer_qr_requests(browser, status, answer)
    browser.get(demo(server, "BK-noqr"))
    wait_until_live(browser)
    assert browser.execute_script("return window.qrRequests.length") == 1
    assert not browser.find_element(By.ID, "qr").is_displayed()
    assert text(browser, "memo") == "BK-noqr"
