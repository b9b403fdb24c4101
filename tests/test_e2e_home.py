"""Browser check of the home page: real `streamlit run`, headless Debian chromium, playwright.

Skipped locally when /usr/bin/chromium is missing (install: `sudo apt-get install -y chromium`);
under CI=true a missing browser is a failure. Never downloads a browser. Set
GAN_CLASSROOM_SCREENSHOTS=/some/folder to keep the screenshots.
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


def _require_browser():
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
def server(checkpoints_dir, tmp_path):
    _require_browser()
    port = _free_port()
    with open(tmp_path / "streamlit.log", "w") as log:
        proc = subprocess.Popen(
            [sys.executable, "-m", "streamlit", "run", "app.py", "--server.port", str(port),
             "--server.headless", "true", "--server.address", "127.0.0.1"],
            cwd=ROOT, stdout=log, stderr=subprocess.STDOUT, env={**os.environ},  # carries $GAN_CLASSROOM_CHECKPOINTS
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


def _shot(page, tmp_path: Path, name: str) -> None:
    """Projector-sized first screen, then the whole page (Streamlit scrolls inside <main>, so grow the
    viewport instead of using full_page)."""
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


def _grid_src(page) -> str:
    img = page.locator('[data-testid="stImage"] img').first
    img.wait_for(state="visible", timeout=60_000)
    page.wait_for_function("img => img.complete && img.naturalWidth > 0", arg=img.element_handle())
    return img.get_attribute("src")


def test_home_in_a_real_browser(server, tmp_path):
    from playwright.sync_api import sync_playwright

    pl, en = catalog("pl"), catalog("en")
    with sync_playwright() as p:
        browser = p.chromium.launch_persistent_context(
            str(tmp_path / "profile"), executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_FLAGS,
            locale="pl-PL", viewport={"width": 1366, "height": 768},
        )
        try:
            page = browser.new_page()
            page.goto(server, wait_until="domcontentloaded")
            # the browser says Polish -> the first render is Polish
            page.get_by_role("heading", name=pl["home.title"], level=1).wait_for(timeout=60_000)
            first = _grid_src(page)
            assert page.locator("svg text", has_text=pl["home.diag_verdict"]).count() == 1
            _shot(page, tmp_path, "home_pl.png")

            page.get_by_role("button", name=pl["home.new_samples"]).click()
            page.wait_for_function(
                "src => { const i = document.querySelector('[data-testid=\"stImage\"] img');"
                " return i && i.getAttribute('src') !== src; }", arg=first, timeout=30_000,
            )

            # switch to English with the sidebar picker
            page.locator('[data-testid="stSidebar"]').get_by_role("combobox").click()
            page.get_by_role("option", name="English").click()
            page.get_by_role("heading", name=en["home.title"], level=1).wait_for(timeout=30_000)
            _grid_src(page)
            assert page.locator('[data-testid="stException"]').count() == 0
            _shot(page, tmp_path, "home_en.png")
        finally:
            browser.close()
