"""Headless Chromium for the demo page tests: Debian's `chromium` and `chromedriver` driven by
selenium (never selenium-manager downloads), a phone-sized window, bounded waits."""
import shutil
from pathlib import Path

import pytest
from selenium import webdriver
from selenium.webdriver.chrome.options import Options
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

from conftest import REPO

ARTIFACTS = REPO / "test-artifacts"
PHONE_WINDOW = (390, 844)


def open_browser(window=PHONE_WINDOW):
    chromium, chromedriver = shutil.which("chromium"), shutil.which("chromedriver")
    if not chromium or not chromedriver:
        pytest.fail("chromium and chromium-driver are not installed (scripts/test installs them)")
    options = Options()
    options.binary_location = chromium
    for argument in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu"):
        options.add_argument(argument)
    # A phone's viewport (a window is at least 500 pixels wide in headless Chromium).
    options.add_experimental_option("mobileEmulation", {"deviceMetrics": {"width": window[0], "height": window[1], "pixelRatio": 1}})
    driver = webdriver.Chrome(service=Service(executable_path=chromedriver), options=options)
    driver.set_page_load_timeout(20)
    driver.set_script_timeout(20)
    return driver


def text(driver, element_id):
    return driver.find_element(By.ID, element_id).text


def status(driver):
    return driver.find_element(By.ID, "status").get_attribute("data-status")


def wait_until(driver, condition, timeout=15, message=""):
    return WebDriverWait(driver, timeout, poll_frequency=0.05).until(lambda _: condition(), message)


def wait_for_status(driver, expected, timeout=15):
    wait_until(driver, lambda: status(driver) == expected, timeout, f"#status never became {expected}; it says {text(driver, 'status')!r}")


def wait_until_live(driver, timeout=15):
    """The page has subscribed: from now on a payment reaches it as an event."""
    wait_until(driver, lambda: text(driver, "connection").startswith("Live"), timeout, f"never live: {text(driver, 'connection')!r}")


def screenshot(driver, name) -> Path:
    ARTIFACTS.mkdir(exist_ok=True)
    path = ARTIFACTS / name
    driver.save_screenshot(str(path))
    return path


def full_page_screenshot(driver, name) -> Path:
    """The whole page, not only what the window shows (Chromium's DevTools protocol)."""
    import base64

    ARTIFACTS.mkdir(exist_ok=True)
    path = ARTIFACTS / name
    width, height = driver.execute_script("return [document.documentElement.scrollWidth, document.documentElement.scrollHeight]")
    shot = driver.execute_cdp_cmd("Page.captureScreenshot", {"captureBeyondViewport": True, "clip": {"x": 0, "y": 0, "width": width, "height": height, "scale": 1}})
    path.write_bytes(base64.b64decode(shot["data"]))
    return path
