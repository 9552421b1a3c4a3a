"""The page at ``GET /`` in a real browser (headless Chromium through selenium): paste or upload a
report, see the entities and the facts predict gives, download them as CSV, and a screenshot that
shows something."""
import csv
import os
import shutil
import time
from pathlib import Path

import pytest

from ipner.types import format_value
from tests.serve.conftest import REPORTS, run_cli

pytest.importorskip("uvicorn", reason="the extra ipner[serve] is not installed")
webdriver = pytest.importorskip("selenium.webdriver", reason="selenium is not installed (pip install -e '.[test]')")

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser") or shutil.which("google-chrome")
DRIVER = shutil.which("chromedriver")
pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(not (CHROMIUM and DRIVER), reason="no chromium and chromedriver: apt-get install chromium chromium-driver (.ci/run does)"),
]
#: Set to a path to keep the screenshot (docs/images/serve_page.png in the README was made so).
SCREENSHOT_ENV = "IPNER_PAGE_SCREENSHOT"
COLUMNS = ("place", "metric", "value", "unit", "period")


@pytest.fixture(scope="module")
def server():
    from ipner.serve.local import LocalServer

    with LocalServer("default") as running:
        yield running


@pytest.fixture(scope="module")
def browser(tmp_path_factory):
    from selenium.webdriver.chrome.service import Service

    downloads = tmp_path_factory.mktemp("downloads")
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for argument in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--window-size=1280,1500",
                     "--lang=zh-CN"):
        options.add_argument(argument)
    options.add_experimental_option("prefs", {"download.default_directory": str(downloads), "download.prompt_for_download": False})
    driver = webdriver.Chrome(options=options, service=Service(DRIVER))
    driver.execute_cdp_cmd("Page.setDownloadBehavior", {"behavior": "allow", "downloadPath": str(downloads)})
    driver.downloads = downloads
    yield driver
    driver.quit()


def expected_rows(record):
    """The facts of a predict record in the columns the page shows, read from the record itself."""
    rows = []
    for fact in record["facts"]:
        quantity, time_slot = fact["quantity"], fact["time"] or {}
        rows.append({
            "place": (fact["place"] or {}).get("name") or "",
            "metric": fact["metric"]["text"],
            "value": format_value(quantity["value"]),
            "unit": quantity["unit"] or "",
            "period": time_slot.get("period") or "",
        })
    return rows


def page_rows(driver):
    from selenium.webdriver.common.by import By

    header = [th.text for th in driver.find_elements(By.CSS_SELECTOR, "#facts thead th")]
    rows = []
    for tr in driver.find_elements(By.CSS_SELECTOR, "#facts tbody tr"):
        cells = dict(zip(header, (td.text for td in tr.find_elements(By.TAG_NAME, "td"))))
        rows.append({column: cells[column] for column in COLUMNS})
    return rows


def wait_done(driver, timeout=90):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait

    status = driver.find_element(By.ID, "status")
    WebDriverWait(driver, timeout).until(lambda d: status.get_attribute("data-state") in ("done", "error"))
    assert status.get_attribute("data-state") == "done", status.text


def test_paste_a_report_and_see_predicts_facts(server, browser, tmp_path):
    from selenium.webdriver.common.by import By

    text = "\n".join(REPORTS)
    expected = run_cli(tmp_path, "predict", [{"id": "0", "text": text, "date": "2024-04-26"}])[0]
    assert len(expected["facts"]) >= 5
    browser.get(server.url + "/")
    browser.find_element(By.ID, "text").send_keys(text)
    browser.find_element(By.ID, "date").send_keys("2024-04-26")
    browser.find_element(By.ID, "submit").click()
    wait_done(browser)
    assert page_rows(browser) == expected_rows(expected)
    marks = browser.find_elements(By.CSS_SELECTOR, "#entities mark")
    assert len(marks) == len(expected["entities"])

    browser.find_element(By.ID, "csv").click()
    saved = browser.downloads / "ipner-facts.csv"
    deadline = time.monotonic() + 20
    while not saved.exists() and time.monotonic() < deadline:
        time.sleep(0.2)
    with open(saved, encoding="utf-8-sig", newline="") as handle:
        downloaded = [{c: row[c] for c in COLUMNS} for row in csv.DictReader(handle)]
    assert downloaded == expected_rows(expected)

    shot = Path(os.environ.get(SCREENSHOT_ENV) or tmp_path / "page.png")
    browser.execute_script("window.scrollTo(0, 0);")
    assert browser.save_screenshot(str(shot))
    assert_not_blank(shot)


def test_upload_a_gb18030_file(server, browser, tmp_path):
    from selenium.webdriver.common.by import By

    text = "２０２４年，長沙每萬人有效發明專利擁有量增至７２．４２件。去年，株洲发明专利授权量达到2157件。"
    path = tmp_path / "report.txt"
    path.write_bytes(text.encode("gb18030"))
    expected = run_cli(tmp_path, "predict", [{"id": "0", "text": text}])[0]
    browser.get(server.url + "/")
    browser.find_element(By.ID, "file").send_keys(str(path))
    wait_done(browser)
    assert browser.find_element(By.ID, "text").get_attribute("value") == text
    assert page_rows(browser) == expected_rows(expected)
    assert any(row["value"] == "72.42" for row in page_rows(browser))


def assert_not_blank(path):
    import numpy as np
    from PIL import Image

    pixels = np.asarray(Image.open(path).convert("RGB")).reshape(-1, 3)
    colours = len(np.unique(pixels, axis=0))
    non_white = float((pixels.min(axis=1) < 235).mean())
    assert colours > 50 and non_white > 0.03, (colours, non_white)
