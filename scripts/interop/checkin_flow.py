#!/usr/bin/env python3
"""Uses the check-in page as a patient would, in headless Chromium at 390 x 844.

    checkin_flow.py flood CHECK-IN-URL COUNT SHOT-DIR
        Sends COUNT ordinary reports through the form (each: tap a score, tap Send, wait for
        the confirmation), then taps "Warning signs" at the top, ticks chest pain and sends
        it. Prints JSON: the layout of the form, what each answer page showed.
    checkin_flow.py reload CHECK-IN-URL SHOT-DIR
        Sends one red report (7, after, the first exercise listed), reloads its
        confirmation twice, and prints JSON with what the confirmation said.

Screenshots (viewport only, as a phone shows it) are written to SHOT-DIR.
"""
import json, os, sys
from selenium.common.exceptions import WebDriverException
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from browser import chromium  # noqa: E402


def answer(driver):
    """Waits for the page after a tap: loaded and no longer the marked form page."""
    def ready(d):
        marked, state, h1 = d.execute_script(
            "const h = document.querySelector('h1');"
            "return [window.__rehabFormPage === true, document.readyState, h ? h.innerText.trim() : ''];")
        return (h1 or d.execute_script("return document.body ? document.body.innerText.slice(0, 200) : ''")) \
            if not marked and state == "complete" else False
    WebDriverWait(driver, 30, poll_frequency=0.05, ignored_exceptions=(WebDriverException,)).until(ready)
    return driver.execute_script(
        "const a = document.querySelector('.advice');"
        "return {url: location.href, h1: (document.querySelector('h1') || {innerText: ''}).innerText.trim(),"
        " advice: a ? a.innerText : '', text: document.body.innerText};")


def layout(driver):
    return driver.execute_script("""
        const send = document.querySelector('form button[type=submit]').getBoundingClientRect();
        const first = document.querySelector('a');
        const r = first.getBoundingClientRect();
        return {sendBottom: send.bottom, sendTop: send.top, innerHeight: window.innerHeight,
                innerWidth: window.innerWidth, scrollWidth: document.documentElement.scrollWidth,
                firstLink: first.getAttribute('href'), firstLinkTop: r.top, firstLinkText: first.innerText,
                checkedWhen: (document.querySelector('input[name=when]:checked') || {value: ''}).value,
                exercises: [...document.querySelectorAll('#exercise option')].map(o => o.value).filter(v => v)};""")


def send_report(driver, url, pain, exercise=None):
    driver.get(url)
    driver.find_element(By.CSS_SELECTOR, f"label[for='pain-{pain}']").click()
    driver.find_element(By.CSS_SELECTOR, "label[for='when-after']").click()
    if exercise:
        driver.find_element(By.CSS_SELECTOR, f"#exercise option[value='{exercise}']").click()
    driver.execute_script("window.__rehabFormPage = true")
    driver.find_element(By.CSS_SELECTOR, "form button[type=submit]").click()
    return answer(driver)


def flood(url, count, shots):
    driver = chromium()
    try:
        driver.get(url)
        form = layout(driver)
        driver.save_screenshot(os.path.join(shots, "check-in-390.png"))
        answers = [send_report(driver, url, 1 + i % 3) for i in range(count)]
        driver.get(url)
        driver.find_element(By.CSS_SELECTOR, "a[href='#signs']").click()
        signs_top = driver.execute_script("return document.getElementById('signs').getBoundingClientRect().top")
        driver.save_screenshot(os.path.join(shots, "signs-390.png"))
        driver.find_element(By.CSS_SELECTOR, "label[for='flag-chest-pain']").click()
        driver.execute_script("window.__rehabFormPage = true")
        driver.find_element(By.CSS_SELECTOR, "#signs button[type=submit]").click()
        chest = answer(driver)
        driver.save_screenshot(os.path.join(shots, "advice-390.png"))
        print(json.dumps({"form": form, "signsTopAfterTap": signs_top,
                          "saved": sum(1 for a in answers if a["h1"] == "Your report is saved"),
                          "answers": [a["h1"] or a["text"][:120] for a in answers], "chest": chest}))
    finally:
        driver.quit()


def reload(url, shots):
    driver = chromium()
    try:
        driver.get(url)
        form = layout(driver)
        first = send_report(driver, url, 7, exercise=form["exercises"][0] if form["exercises"] else None)
        driver.save_screenshot(os.path.join(shots, "confirmation-390.png"))
        reloads = []
        for _ in range(2):
            driver.refresh()
            reloads.append(driver.execute_script("return [location.href, document.body.innerText]"))
        print(json.dumps({"first": first, "reloads": reloads, "exercise": form["exercises"][0] if form["exercises"] else None}))
    finally:
        driver.quit()


if __name__ == "__main__":
    mode = sys.argv[1]
    if mode == "flood":
        flood(sys.argv[2], int(sys.argv[3]), sys.argv[4])
    else:
        reload(sys.argv[2], sys.argv[3])
