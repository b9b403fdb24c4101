"""Browser check of the 2-D playground: real `streamlit run`, headless Debian chromium, playwright.

Presses Play, checks that the live view keeps redrawing while the background thread trains, takes a
projector-sized screenshot mid-training and pauses. Skipped locally when /usr/bin/chromium is missing
(install: `sudo apt-get install -y chromium`); under CI=true a missing browser is a failure. Never
downloads a browser. PLAYGROUND_SCREENSHOT=/tmp/playground.png keeps the screenshot there.
"""
from __future__ import annotations

import os
import re
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from ui.i18n import catalog

pytestmark = pytest.mark.e2e

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                  "--disable-background-networking", "--disable-component-update", "--disable-sync"]


def _require_browser() -> None:
    missing = None
    if not CHROMIUM.exists():
        missing = f"{CHROMIUM} not found; install it with `sudo apt-get install -y chromium`"
    else:
        try:
            import playwright.sync_api  # noqa: F401
        except ImportError:
            missing = "the playwright package is missing; `pip install -r requirements-dev.txt`"
    if missing:
        if os.environ.get("CI") == "true":
            pytest.fail(f"browser test cannot run under CI: {missing}")
        pytest.skip(missing)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def server(tmp_path):
    _require_browser()
    port = _free_port()
    with open(tmp_path / "streamlit.log", "w") as log:
        proc = subprocess.Popen(
            [sys.executable, "-m", "streamlit", "run", "app.py", "--server.port", str(port),
             "--server.headless", "true", "--server.address", "127.0.0.1"],
            cwd=ROOT, stdout=log, stderr=subprocess.STDOUT,
        )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as r:
                    if r.status == 200:
                        break
            except OSError:
                pass
            if proc.poll() is not None or time.monotonic() > deadline:
                pytest.fail("streamlit did not start:\n" + (tmp_path / "streamlit.log").read_text())
            time.sleep(0.5)
        yield url
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()


def _iteration(page, word: str) -> int:
    text = page.get_by_text(re.compile(word)).first.inner_text()
    return int(re.search(word + r" (\d+)", text).group(1))


def test_playground_trains_live_in_a_browser(server, tmp_path):
    from playwright.sync_api import sync_playwright

    en = catalog("en")
    word = en["learn_playground.step_n"].split(" {")[0]  # "iteration"
    with sync_playwright() as p:
        browser = p.chromium.launch_persistent_context(
            str(tmp_path / "profile"), executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_FLAGS,
            locale="en-US", viewport={"width": 1366, "height": 768},
        )
        try:
            page = browser.new_page()
            page.goto(server, wait_until="domcontentloaded")  # enter through app.py's navigation
            nav = page.locator('[data-testid="stSidebarNav"]')
            nav.get_by_text(en["learn_playground.nav_title"], exact=True).click()
            page.get_by_role("heading", name=en["learn_playground.title"], level=1).wait_for(timeout=60_000)
            page.locator(".js-plotly-plot .heatmaplayer, .js-plotly-plot image").first.wait_for(
                state="attached", timeout=60_000)
            assert _iteration(page, word) == 0
            page.get_by_role("button", name=en["learn_playground.play"]).click()
            page.get_by_text(en["learn_playground.status_playing"]).first.wait_for(timeout=30_000)
            seen = set()
            deadline = time.monotonic() + 30
            while len(seen) < 4 and time.monotonic() < deadline:  # the fragment keeps redrawing
                seen.add(_iteration(page, word))
                page.wait_for_timeout(300)
            assert len(seen) >= 4 and max(seen) > 0, seen
            page.wait_for_timeout(1500)
            shot = tmp_path / "playground.png"
            page.screenshot(path=str(shot))
            keep = os.environ.get("PLAYGROUND_SCREENSHOT")
            if keep:
                shutil.copy(shot, keep)
            assert page.locator('[data-testid="stException"]').count() == 0
            page.get_by_role("button", name=en["learn_playground.pause"]).click()
            page.get_by_text(en["learn_playground.status_paused"]).first.wait_for(timeout=30_000)
        finally:
            browser.close()
