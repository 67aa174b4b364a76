#!/usr/bin/env python3
"""Fills in the pain check-in page in headless Chromium at phone size.

    checkin_browser.py CHECK-IN-URL SCREENSHOT.png PAIN WHEN NOTE

Opens the page as a 390 x 844 phone (Debian's chromium and chromium-driver, driven by
Selenium), saves a screenshot of the empty form, picks the pain score and the time,
types the note and sends the form by tapping the button. Prints JSON: the page title
before, the heading after, and the screenshot's path.
"""
import json, shutil, sys
from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.common.exceptions import WebDriverException
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

url, shot, pain, when, note = sys.argv[1:6]
options = webdriver.ChromeOptions()
options.binary_location = shutil.which("chromium") or "/usr/bin/chromium"
for arg in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu",
            "--hide-scrollbars", "--force-device-scale-factor=1"):
    options.add_argument(arg)
options.add_experimental_option("mobileEmulation", {
    "deviceMetrics": {"width": 390, "height": 844, "pixelRatio": 1.0, "touch": True},
    "userAgent": "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120 Mobile Safari/537.36",
})
service = Service(executable_path=shutil.which("chromedriver") or "/usr/bin/chromedriver")
driver = webdriver.Chrome(options=options, service=service)
try:
    driver.set_page_load_timeout(30)
    driver.get(url)
    title = driver.title
    width = driver.execute_script("return document.documentElement.scrollWidth")
    viewport = driver.execute_script("return window.innerWidth")
    driver.save_screenshot(shot)
    driver.find_element(By.CSS_SELECTOR, f"label[for='pain-{pain}']").click()
    driver.find_element(By.CSS_SELECTOR, f"label[for='when-{when}']").click()
    driver.find_element(By.ID, "note").send_keys(note)
    # The form page has its own <h1>, so "an h1 is there" proves nothing. Mark the form
    # page's window, tap, and wait for a loaded page without the mark. Everything is read
    # in one script call, never through element handles: while the page changes, Chromium
    # answers a handle from the old page with errors Selenium does not class as stale
    # ("Node with given id does not belong to the document"), so any WebDriver error in
    # between only means "not yet".
    driver.execute_script("window.__rehabFormPage = true")
    driver.find_element(By.CSS_SELECTOR, "button[type=submit]").click()

    def answer_heading(d):
        marked, state, text = d.execute_script(
            "const h = document.querySelector('h1');"
            "return [window.__rehabFormPage === true, document.readyState, h ? h.innerText.trim() : ''];")
        return text if not marked and state == "complete" and text else False

    heading = WebDriverWait(driver, 30, poll_frequency=0.1, ignored_exceptions=(WebDriverException,)) \
        .until(answer_heading)
    print(json.dumps({"title": title, "heading": heading, "scrollWidth": width, "innerWidth": viewport}))
finally:
    driver.quit()
