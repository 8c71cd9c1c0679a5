"""The operator dashboard in a real headless Chromium against a real server and a real merchant
receiver: a wrong token is refused on the form, the right one logs in (by keyboard), a payment
shows in the live feed within a second of its webhook, a failed callback is redelivered with the
button, and the page works at a desk and at 390 px wide. Screenshots go to test-artifacts/."""
import time

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys

from admin import ADMIN_TOKEN, COOKIE, dashboard_server
from browser import full_page_screenshot, open_browser, screenshot, text, wait_until
from callbacks import MerchantReceiver
from notifier import payment, post_webhook
from providers import sepay_body, sepay_headers

DESKTOP_WINDOW = (1280, 1000)


@pytest.fixture
def receiver():
    # Refused twice (the event fails: the schedule has one wait), accepted once redelivered.
    merchant = MerchantReceiver(script=[410, 410, 200])
    yield merchant
    merchant.stop()


@pytest.fixture
def server(tmp_path, receiver):
    process = dashboard_server(tmp_path, receiver, schedule="300ms")
    yield process
    process.stop()


def log_in(browser, server, token):
    browser.get(server.url + "/admin")
    field = browser.find_element(By.ID, "token")
    wait_until(browser, field.is_displayed, 10, "no login form")
    assert browser.find_element(By.CSS_SELECTOR, "label[for=token]").text == "Admin token"
    field.clear()
    field.send_keys(token, Keys.ENTER)


def wait_until_live(browser):
    wait_until(browser, lambda: text(browser, "connection") == "Live", 10, f"the feed never went live: {text(browser, 'connection')!r}")


def feed_items(browser):
    return [item.text for item in browser.find_elements(By.CSS_SELECTOR, "#feed li")]


def fills_the_width_without_scrolling_sideways(browser):
    return browser.execute_script("return document.documentElement.scrollWidth <= window.innerWidth")


@pytest.mark.parametrize("window, name", [(DESKTOP_WINDOW, "desktop"), ((390, 844), "phone")])
def test_login_live_payment_redeliver_and_screenshots(server, receiver, window, name):
    browser = open_browser(window)
    try:
        log_in(browser, server, "not-the-token-0123456789")
        wait_until(browser, lambda: browser.find_element(By.ID, "login-error").is_displayed(), 5, "no error shown for a wrong token")
        assert text(browser, "login-error") == "Wrong admin token."
        assert browser.find_element(By.ID, "login-error").get_attribute("role") == "alert"
        assert browser.get_cookie(COOKIE) is None
        assert not browser.find_element(By.ID, "dashboard").is_displayed()
        screenshot(browser, f"admin-login-refused-{name}.png")

        log_in(browser, server, ADMIN_TOKEN)
        wait_until_live(browser)
        cookie = browser.get_cookie(COOKIE)
        assert cookie["httpOnly"] and cookie["sameSite"] == "Strict" and cookie["path"] == "/"
        assert browser.execute_script("return document.cookie") == "", "the session cookie is not readable by scripts"

        # A customer watching a booking, for the node table.
        dashboard = browser.current_window_handle
        browser.switch_to.new_window("tab")
        browser.get(f"{server.url}/demo?booking=BK-watched&amount=100000")
        wait_until(browser, lambda: text(browser, "connection").startswith("Live"), 10, "the demo page never went live")
        browser.switch_to.window(dashboard)

        sent = time.monotonic()
        assert post_webhook(server, payment("BK-admin", f"txn-{name}", 1250000)) == (200, {"success": True})
        wait_until(browser, lambda: any(item.startswith("Payment") and "BK-admin" in item for item in feed_items(browser)), 1.0, "the payment did not reach the feed within a second")
        shown_after = time.monotonic() - sent
        print(f"payment shown {shown_after * 1000:.0f} ms after its webhook was sent")
        assert shown_after < 1.0
        shown = next(item for item in feed_items(browser) if item.startswith("Payment"))
        assert "BK-admin: 1.250.000 ₫ confirmed its booking" in shown and f"transaction txn-{name}" in shown

        # The payment's callback is refused twice and fails; the button sends it again.
        row = "#callbacks tr"
        wait_until(
            browser,
            lambda: any("payment.confirmed BK-admin" in r.text and "failed" in r.text for r in browser.find_elements(By.CSS_SELECTOR, row)),
            10, "the failed callback is not listed",
        )
        assert len(receiver.deliveries) == 2
        button = next(r for r in browser.find_elements(By.CSS_SELECTOR, row) if "BK-admin" in r.text).find_element(By.TAG_NAME, "button")
        assert button.text == "Redeliver" and "BK-admin" in button.get_attribute("aria-label")
        full_page_screenshot(browser, f"admin-{name}-failed.png")
        button.send_keys(Keys.ENTER)  # keyboard operable
        wait_until(browser, lambda: "queued for redelivery" in text(browser, "redeliver-result"), 5, "no redelivery answer shown")
        receiver.wait_for(3, timeout=10)
        wait_until(browser, lambda: any("attempt 3 delivered (HTTP 200" in item for item in feed_items(browser)), 5, "the delivery is not in the feed")
        wait_until(browser, lambda: "BK-admin" not in text(browser, "callbacks"), 5, "the delivered callback is still listed")

        # Then a transfer without a booking (its callback is accepted) and a broken webhook, for the chart.
        post_webhook(server, sepay_body(5151, "chuyen tien khong ma", 320000), path="/webhook/sepay", headers=sepay_headers())
        post_webhook(server, {"bookingId": "BK-broken"})
        wait_until(browser, lambda: "chuyen tien khong ma" in text(browser, "unmatched"), 5, "the unmatched transfer is not listed")
        # This node's figures, with the customer's page counted.
        wait_until(browser, lambda: " 1 1 " in f" {text(browser, 'nodes')} ", 10, f"node figures: {text(browser, 'nodes')!r}")
        assert "In the last hour: 2 accepted, 1 refused, 0 failed" in text(browser, "chart-summary")
        assert len(browser.find_elements(By.CSS_SELECTOR, "#chart rect")) >= 2
        assert fills_the_width_without_scrolling_sideways(browser), "the dashboard scrolls sideways"
        path = full_page_screenshot(browser, f"admin-{name}.png")
        print(f"screenshot: {path}")

        browser.find_element(By.ID, "logout").click()
        wait_until(browser, lambda: browser.find_element(By.ID, "login").is_displayed(), 5, "logging out did not show the login form")
        assert browser.get_cookie(COOKIE) is None
    finally:
        browser.quit()
