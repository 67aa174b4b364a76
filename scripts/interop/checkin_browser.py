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
from selenium.common.exceptions import NoSuchElementException, StaleElementReferenceException
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as EC
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
    # The form page has its own <h1>: wait for that page to go before reading the answer's,
    # or a fast check could read the old heading, or none while the new page is loading.
    form_page = driver.find_element(By.TAG_NAME, "html")
    driver.find_element(By.CSS_SELECTOR, "button[type=submit]").click()
    WebDriverWait(driver, 30).until(EC.staleness_of(form_page))
    heading = WebDriverWait(driver, 30, ignored_exceptions=(NoSuchElementException, StaleElementReferenceException)) \
        .until(lambda d: d.find_element(By.TAG_NAME, "h1").text)
    print(json.dumps({"title": title, "heading": heading, "scrollWidth": width, "innerWidth": viewport}))
finally:
    driver.quit()
