"""Browser check of the Train page: real `streamlit run`, headless Debian chromium, playwright.

Starts a run, waits for the first sample grid and the live curves (the polling fragment has to
refresh them: nothing else would), takes a projector-sized screenshot, then stops the run.
Skipped locally when /usr/bin/chromium is missing (install: `sudo apt-get install -y chromium`);
under CI=true a missing browser is a failure. Never downloads a browser. Set
GAN_CLASSROOM_SCREENSHOTS=/some/folder to keep the screenshots (train.png, train_full.png).
"""

from __future__ import annotations

import os
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
CHROMIUM_FLAGS = [
    "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
    "--disable-component-update", "--disable-sync",
]


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
            cwd=ROOT, stdout=log, stderr=subprocess.STDOUT, env={**os.environ},
        )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 90
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
    finally:  # the run's thread lives in the server process: ending it ends the run
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()


def _shot(page, tmp_path: Path, name: str) -> None:
    """Projector-sized first screen, then the whole page (Streamlit scrolls inside <main>)."""
    path = tmp_path / name
    page.screenshot(path=str(path))
    size = page.viewport_size
    height = page.evaluate("document.querySelector('[data-testid=\"stMain\"]').scrollHeight")
    page.set_viewport_size({"width": size["width"], "height": max(size["height"], height + 40)})
    page.wait_for_timeout(500)
    page.screenshot(path=str(path.with_name(path.stem + "_full.png")))
    page.set_viewport_size(size)
    keep = os.environ.get("GAN_CLASSROOM_SCREENSHOTS")
    if keep:
        Path(keep).mkdir(parents=True, exist_ok=True)
        for shot in (path, path.with_name(path.stem + "_full.png")):
            shutil.copy(shot, Path(keep) / shot.name)


def test_train_page_runs_live_in_a_real_browser(server, tmp_path):
    from playwright.sync_api import sync_playwright

    en = catalog("en")
    with sync_playwright() as p:
        browser = p.chromium.launch_persistent_context(
            str(tmp_path / "profile"), executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_FLAGS,
            locale="en-US", viewport={"width": 1366, "height": 768},
        )
        try:
            page = browser.new_page()
            # enter through app.py's navigation, as a lecturer does (a deep link before the first
            # st.navigation run would be served as a legacy pages/ app)
            page.goto(server, wait_until="domcontentloaded")
            page.get_by_role("link", name=en["train.nav_title"]).click(timeout=90_000)
            page.get_by_role("heading", name=en["train.title"], level=1).wait_for(timeout=90_000)
            page.get_by_role("button", name=en["train.start"]).click()
            # the first grid (step 0) comes from the run thread; the fragment polls it in
            page.locator('[data-testid="stImage"] img').first.wait_for(state="visible", timeout=90_000)
            # the curves need the first 50 steps: only the run_every fragment can bring them
            page.locator(".js-plotly-plot").first.wait_for(state="visible", timeout=90_000)
            page.wait_for_timeout(1500)  # a few more live refreshes
            assert page.locator('[data-testid="stException"]').count() == 0
            _shot(page, tmp_path, "train.png")
            page.get_by_role("button", name=en["train.stop"]).click()
            page.get_by_text(en["train.status_stopped"], exact=True).first.wait_for(timeout=30_000)
            assert page.locator('[data-testid="stException"]').count() == 0
        finally:
            browser.close()
