"""Shared pieces of the browser tests: a real `streamlit run` and headless Debian chromium.

Never downloads a browser: playwright drives /usr/bin/chromium with the flags from DESIGN.md.
Locally a missing chromium skips the test with the install command; under CI=true it fails.
GAN_CLASSROOM_SCREENSHOTS=/some/folder keeps every screenshot there.
"""
from __future__ import annotations

import contextlib
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_FLAGS = [
    "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
    "--disable-component-update", "--disable-sync",
]


def require_browser() -> None:
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


@contextlib.contextmanager
def streamlit_server(tmp_path: Path, *, start_timeout: float = 90) -> Iterator[str]:
    """Serve app.py on a free loopback port (with the current environment); yields its URL."""
    require_browser()
    port = _free_port()
    log_path = tmp_path / "streamlit.log"
    with open(log_path, "w") as log:
        proc = subprocess.Popen(
            [sys.executable, "-m", "streamlit", "run", "app.py", "--server.port", str(port),
             "--server.headless", "true", "--server.address", "127.0.0.1"],
            cwd=ROOT, stdout=log, stderr=subprocess.STDOUT, env={**os.environ},
        )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + start_timeout
        while True:
            try:
                with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as r:
                    if r.status == 200:
                        break
            except OSError:
                pass
            if proc.poll() is not None or time.monotonic() > deadline:
                pytest.fail("streamlit did not start:\n" + log_path.read_text())
            time.sleep(0.5)
        yield url
    finally:  # runs live in the server process: ending it ends them
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()


def nav_to(page, section: str, title: str) -> None:
    """Open a page through app.py's navigation bar at the top: its section's menu, then its link
    (the home page is a plain link). A deep link (``page.goto(f"{url}/train_mnist")``) works too."""
    page.locator('[data-testid="stTopNav"]').wait_for(timeout=90_000)
    if section:
        page.locator('[data-testid="stTopNavSection"]', has_text=section).first.click()
        page.locator('[data-testid="stTopNavDropdownLink"]', has_text=title).first.click()
    else:
        page.locator('[data-testid="stTopNavLink"]', has_text=title).first.click()


def launch(playwright, tmp_path: Path, *, locale: str = "en-US", width: int = 1366, height: int = 768):
    """A fresh-profile headless chromium context with a projector-sized viewport."""
    return playwright.chromium.launch_persistent_context(
        str(tmp_path / "profile"), executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_FLAGS,
        locale=locale, viewport={"width": width, "height": height},
    )


SETTLED_JS = """() => {
  const app = document.querySelector('[data-testid=stApp]');
  if (!app || app.dataset.testScriptState !== 'notRunning') return false;
  if (document.querySelector('[data-testid=stStatusWidget], [data-testid^=stSkeleton], [data-testid=stAppSkeleton]')) {
    return false;
  }
  const main = document.querySelector('[data-testid=stMain]');
  const shown = (selector) => main ? [...main.querySelectorAll(selector)].filter(e => e.offsetParent !== null) : [];
  return !!main && shown('img').every(i => i.complete)
    && shown('.js-plotly-plot').every(p => p.querySelector('.main-svg'))
    && shown('[data-testid=stVegaLiteChart]').every(c => c.querySelector('.marks'));
}"""
NEXT_FRAMES_JS = "() => new Promise(done => requestAnimationFrame(() => requestAnimationFrame(() => done(true))))"


def settle(page, *, timeout_ms: int = 60_000) -> None:
    """Until the script has finished (no "Running" widget, no loading skeleton), every picture on screen
    has loaded, every plotly and vega chart on screen is drawn (other tabs' are not), and two more frames
    have painted: the moment for a screenshot, in place of a fixed pause."""
    page.wait_for_function(SETTLED_JS, polling=100, timeout=timeout_ms)
    page.evaluate(NEXT_FRAMES_JS)


def shot(page, tmp_path: Path, name: str) -> Path:
    """Projector-sized first screen, then the whole page (Streamlit scrolls inside <main>, so the
    viewport grows instead of using full_page). Returns the first screenshot's path."""
    path = tmp_path / name
    page.screenshot(path=str(path))
    size = page.viewport_size
    height = page.evaluate("document.querySelector('[data-testid=\"stMain\"]').scrollHeight")
    page.set_viewport_size({"width": size["width"], "height": max(size["height"], height + 40)})
    page.evaluate(NEXT_FRAMES_JS)  # the taller layout painted (same width: charts keep their size)
    full = path.with_name(path.stem + "_full.png")
    page.screenshot(path=str(full))
    page.set_viewport_size(size)
    keep = os.environ.get("GAN_CLASSROOM_SCREENSHOTS")
    if keep:
        Path(keep).mkdir(parents=True, exist_ok=True)
        for picture in (path, full):
            shutil.copy(picture, Path(keep) / picture.name)
    return path
