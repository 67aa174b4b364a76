"""Headless Chromium through Selenium (Debian's chromium and chromium-driver), shared by
the check-in and handout browser scripts: a phone (390 x 844, touch) or a desktop window."""
import shutil
import subprocess
from selenium import webdriver
from selenium.webdriver.chrome.service import Service


def chromium(width=390, height=844, phone=True):
    options = webdriver.ChromeOptions()
    options.binary_location = shutil.which("chromium") or "/usr/bin/chromium"
    for arg in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu",
                "--hide-scrollbars", "--force-device-scale-factor=1", f"--window-size={width},{height}"):
        options.add_argument(arg)
    if phone:
        options.add_experimental_option("mobileEmulation", {
            "deviceMetrics": {"width": width, "height": height, "pixelRatio": 1.0, "touch": True},
            "userAgent": "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) "
                         "Chrome/120 Mobile Safari/537.36",
        })
    # The driver (and the browser it starts) write to /dev/null, not to this script's
    # stdout: a browser helper that outlives the driver must not hold the caller's pipe.
    service = Service(executable_path=shutil.which("chromedriver") or "/usr/bin/chromedriver",
                      log_output=subprocess.DEVNULL)
    driver = webdriver.Chrome(options=options, service=service)
    driver.set_page_load_timeout(30)
    if not phone:
        # The window's outer size includes nothing in headless mode, but set the viewport exactly.
        driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride",
                               {"width": width, "height": height, "deviceScaleFactor": 1, "mobile": False})
    return driver
