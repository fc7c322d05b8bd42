"""End to end in a real browser: Debian's chromium driven by Selenium (/usr/bin/chromedriver) against
`docgen serve` running under uvicorn on 127.0.0.1, then `docgen collect` and `docgen report`."""

from __future__ import annotations

import csv
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest

from tests.serve.helpers import ROOT, free_port

pytestmark = pytest.mark.slow

PLAN = "plans/city/three-year-plan.yaml"
SHOTS = ROOT / "build" / "serve"
PASSWORD = "办公室的密码-2025"


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    import httpx

    data, port = tmp_path_factory.mktemp("serve") / "data", free_port()
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    proc = subprocess.Popen([sys.executable, "-m", "docgen.cli", "serve", PLAN, "--data", str(data), "--port", str(port)],
                            cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    for _ in range(300):
        try:
            if httpx.get(f"http://127.0.0.1:{port}/healthz", timeout=1).status_code == 200:
                break
        except httpx.HTTPError:
            time.sleep(0.1)
    else:
        proc.kill()
        raise AssertionError(proc.stderr.read())
    subprocess.run([sys.executable, "-m", "docgen.cli", "serve", "account", "--data", str(data), "值班员",
                    "--password-stdin"], input=PASSWORD + "\n", text=True, cwd=ROOT, env=env, check=True)
    with open(data / "links.csv", encoding="utf-8", newline="") as f:
        links = {row["单位"]: row["链接"] for row in csv.DictReader(f)}
    yield data, port, links, env
    proc.terminate()
    proc.wait(15)


@pytest.fixture(scope="module")
def browser():
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = "/usr/bin/chromium"
    profile = tempfile.mkdtemp(prefix="docgen-chromium-")
    for flag in ("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync",
                 f"--user-data-dir={profile}", "--window-size=390,844", "--lang=zh-CN"):
        options.add_argument(flag)
    driver = webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=options)
    driver.set_page_load_timeout(60)
    yield driver
    driver.quit()


def test_units_report_and_the_office_sees_them(server, browser, tmp_path):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import Select

    data, port, links, env = server
    first, second = list(links)[:2]
    browser.get(links[first])
    assert first in browser.title
    card = browser.find_elements(By.CSS_SELECTOR, "section.card")[0]
    task = card.find_element(By.NAME, "task").get_attribute("value")
    SHOTS.mkdir(parents=True, exist_ok=True)
    browser.save_screenshot(str(SHOTS / "unit-page-phone.png"))
    Select(card.find_element(By.NAME, "status")).select_by_visible_text("推进中")
    card.find_element(By.NAME, "progress").send_keys("已召开专题会议部署，完成摸底排查")
    card.find_element(By.NAME, "reporter").send_keys("王芳")
    card.find_element(By.NAME, "phone").send_keys("0571-88886666")
    evidence = tmp_path / "会议纪要.pdf"
    evidence.write_bytes(b"%PDF-1.4\n% docgen test\n%%EOF\n")
    card.find_element(By.NAME, "files").send_keys(str(evidence))
    card.find_element(By.CSS_SELECTOR, "button[value=submit]").click()
    assert browser.find_element(By.ID, "message").text == "已报送。"
    card = browser.find_elements(By.CSS_SELECTOR, "section.card")[0]
    assert "已报送" in card.text and "会议纪要.pdf" in card.text

    browser.get(links[second])
    assert second in browser.title and "已召开专题会议部署" not in browser.page_source
    assert "会议纪要.pdf" not in browser.page_source

    browser.get(f"http://127.0.0.1:{port}/u/{'x' * 32}")
    assert "链接无效" in browser.find_element(By.ID, "error").text
    assert not browser.find_elements(By.NAME, "task") and first not in browser.page_source

    browser.get(f"http://127.0.0.1:{port}/office")
    browser.find_element(By.NAME, "name").send_keys("值班员")
    browser.find_element(By.NAME, "password").send_keys(PASSWORD)
    browser.find_element(By.ID, "login").click()
    units = browser.find_element(By.ID, "units").text
    assert first in units and second in units
    row = next(r for r in browser.find_elements(By.CSS_SELECTOR, "#tasks tbody tr")
               if r.find_elements(By.TAG_NAME, "td")[0].text == task)
    assert int(row.find_elements(By.TAG_NAME, "td")[4].text) == 1  # reported once
    browser.find_element(By.LINK_TEXT, first).click()
    assert "已召开专题会议部署" in browser.page_source and "会议纪要.pdf" in browser.page_source

    out = tmp_path / "progress.yaml"
    collect = subprocess.run([sys.executable, "-m", "docgen.cli", "collect", str(data), "-o", str(out)],
                             cwd=ROOT, env=env, capture_output=True, text=True)
    assert collect.returncode == 0, collect.stderr
    assert "已召开专题会议部署，完成摸底排查" in out.read_text(encoding="utf-8")
    report = subprocess.run([sys.executable, "-m", "docgen.cli", "report", PLAN, "--progress", str(out), "-o",
                             str(tmp_path / "report")], cwd=ROOT, env=env, capture_output=True, text=True)
    assert report.returncode == 0, report.stderr
    assert (tmp_path / "report" / "three-year-plan-进展通报.docx").is_file()
    assert Path(SHOTS / "unit-page-phone.png").stat().st_size > 10_000
