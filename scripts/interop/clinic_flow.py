"""The clinic's pages as a clinician uses them, in headless Chromium (Selenium): sign in,
read the caseload, open the first (most urgent) patient, clear them to resume with the
page's form, then approve a gated step for another patient the same way. Screenshots of
the caseload and both patient pages at 1280 x 800 and 390 x 844. Prints one JSON object.

usage: clinic_flow.py BASE_URL NAME PASSWORD GATED_ID SHOTS_DIR"""
import json
import sys

from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as EC
from selenium.webdriver.support.ui import WebDriverWait

from browser import chromium


def sign_in(driver, base, name, password):
    driver.get(base + "/clinic/")
    landed = driver.current_url
    driver.find_element(By.ID, "name").send_keys(name)
    driver.find_element(By.ID, "password").send_keys(password)
    submit(driver, "form[action$='/clinic/login']")
    return landed


def patient_links(driver):
    return [(a.text.strip(), a.get_attribute("href"))
            for a in driver.find_elements(By.CSS_SELECTOR, "a[href*='/clinic/patients/']")]


def halted_shown(driver):
    return len(driver.find_elements(By.CSS_SELECTOR, ".status-halted")) > 0


def submit(driver, selector):
    """Clicks the first matching form's button and waits for the page it leads to (on a
    busy machine the old page's elements may otherwise still be read, then go stale)."""
    forms = driver.find_elements(By.CSS_SELECTOR, selector)
    if not forms:
        return False
    old = driver.find_element(By.TAG_NAME, "html")
    forms[0].find_element(By.CSS_SELECTOR, "button[type=submit]").click()
    WebDriverWait(driver, 60).until(EC.staleness_of(old))
    WebDriverWait(driver, 60).until(lambda d: d.execute_script("return document.readyState") == "complete")
    return True


def main():
    base, name, password, gated, shots = sys.argv[1:6]
    result = {}
    # The phone first, so that it sees the caseload before the desktop's actions change it.
    sizes = [("390x844", 390, 844, True), ("1280x800", 1280, 800, False)]
    for label, width, height, phone in sizes:
        driver = chromium(width, height, phone=phone)
        try:
            landed = sign_in(driver, base, name, password)
            page = {"landedOn": landed, "afterSignIn": driver.current_url,
                    "links": patient_links(driver),
                    "firstRowText": driver.find_element(By.CSS_SELECTOR, "tbody tr").text
                    if driver.find_elements(By.CSS_SELECTOR, "tbody tr") else "",
                    "scrollWidth": driver.execute_script("return document.documentElement.scrollWidth")}
            driver.save_screenshot(f"{shots}/caseload-{label}.png")
            if label == "1280x800":
                # Open the first patient (the most urgent) and clear them to resume.
                driver.get(page["links"][0][1])
                page["patientURL"] = driver.current_url
                page["haltedBefore"] = halted_shown(driver)
                driver.save_screenshot(f"{shots}/patient-halted-{label}.png")
                page["resumed"] = submit(driver, "form[action$='/resume']")
                page["afterResumeURL"] = driver.current_url
                page["haltedAfter"] = halted_shown(driver)
                page["afterResumeText"] = driver.find_element(By.TAG_NAME, "body").text
                driver.save_screenshot(f"{shots}/patient-resumed-{label}.png")
                # The gated patient: approve the next step of the tensioner with its form.
                driver.get(base + "/clinic/patients/" + gated)
                page["approveForms"] = [f.find_element(By.CSS_SELECTOR, "button").text
                                        for f in driver.find_elements(By.CSS_SELECTOR, "form[action$='/approve']")]
                driver.save_screenshot(f"{shots}/patient-gated-{label}.png")
                page["approved"] = submit(driver, "form[action$='/approve']")
                page["afterApproveURL"] = driver.current_url
                page["afterApproveText"] = driver.find_element(By.TAG_NAME, "body").text
                page["approveFormsAfter"] = len(driver.find_elements(By.CSS_SELECTOR, "form[action$='/approve']"))
                driver.save_screenshot(f"{shots}/patient-approved-{label}.png")
            else:
                driver.get(base + "/clinic/patients/" + gated)
                page["patientScrollWidth"] = driver.execute_script("return document.documentElement.scrollWidth")
                driver.save_screenshot(f"{shots}/patient-{label}.png")
            result[label] = page
        finally:
            driver.quit()
    print(json.dumps(result))


if __name__ == "__main__":
    main()
