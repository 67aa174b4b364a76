#!/usr/bin/env python3
"""Prints a handout in headless Chromium and takes its pictures.

    handout_print.py HANDOUT.html OUT-DIR

Writes OUT-DIR/handout-a4.pdf and handout-letter.pdf (Chromium's own PDF printing, page
margins from the handout's CSS, backgrounds on), screenshots of the top of the page as a
phone (390 x 844) and a desktop (1280 x 800) show it, and qr.png: the QR codes' section as
the browser renders it (for zbarimg). Prints JSON with the page's layout facts.
"""
import base64, json, os, sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from browser import chromium  # noqa: E402

html, out = sys.argv[1], sys.argv[2]
url = "file://" + os.path.abspath(html)
facts = {}

driver = chromium(1280, 800, phone=False)
try:
    driver.get(url)
    facts["desktopScrollWidth"] = driver.execute_script("return document.documentElement.scrollWidth")
    facts["resources"] = driver.execute_script(
        "return performance.getEntriesByType('resource').map(e => e.name)")
    driver.save_screenshot(os.path.join(out, "handout-1280.png"))
    for name, (w, h) in {"a4": (8.27, 11.69), "letter": (8.5, 11.0)}.items():
        pdf = driver.execute_cdp_cmd("Page.printToPDF", {
            "paperWidth": w, "paperHeight": h, "printBackground": True, "preferCSSPageSize": False,
            "marginTop": 0, "marginBottom": 0, "marginLeft": 0, "marginRight": 0})
        with open(os.path.join(out, f"handout-{name}.pdf"), "wb") as f:
            f.write(base64.b64decode(pdf["data"]))
    qr = driver.find_elements("css selector", ".qr")
    if qr:
        qr[0].screenshot(os.path.join(out, "qr.png"))
    facts["qrSections"] = len(qr)
finally:
    driver.quit()

driver = chromium(390, 844, phone=True)
try:
    driver.get(url)
    facts["phoneScrollWidth"] = driver.execute_script("return document.documentElement.scrollWidth")
    driver.save_screenshot(os.path.join(out, "handout-390.png"))
finally:
    driver.quit()
print(json.dumps(facts))
