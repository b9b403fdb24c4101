"""Browser check of the 2-D playground: real `streamlit run`, headless Debian chromium, playwright.

Presses Play, checks that the live view keeps redrawing while the background thread trains, takes a
projector-sized screenshot mid-training and pauses. Skipped locally when /usr/bin/chromium is missing
(install: `sudo apt-get install -y chromium`); under CI=true a missing browser is a failure. Never
downloads a browser. GAN_CLASSROOM_SCREENSHOTS=/some/folder keeps the screenshots.
"""
from __future__ import annotations

import re
import time

import pytest
from e2e_browser import launch, nav_to, shot, streamlit_server

from ui.i18n import catalog

pytestmark = pytest.mark.e2e


@pytest.fixture
def server(tmp_path):
    with streamlit_server(tmp_path) as url:
        yield url


def _iteration(page, word: str) -> int:
    text = page.locator('[data-testid="stMain"]').get_by_text(re.compile(word + r" \d")).first.inner_text()
    return int(re.search(word + r" (\d+)", text).group(1))


def test_playground_trains_live_in_a_browser(server, tmp_path):
    from playwright.sync_api import sync_playwright

    en = catalog("en")
    word = en["learn_playground.step_n"].split(" {")[0]  # "iteration"
    with sync_playwright() as p:
        browser = launch(p, tmp_path, locale="en-US")
        try:
            page = browser.new_page()
            page.goto(server, wait_until="domcontentloaded")  # enter through app.py's navigation
            nav_to(page, en["common.group_learn"], en["learn_playground.nav_title"])
            page.get_by_role("heading", name=en["learn_playground.title"], level=1).wait_for(timeout=60_000)
            page.locator(".js-plotly-plot .heatmaplayer, .js-plotly-plot image").first.wait_for(
                state="attached", timeout=60_000)
            assert _iteration(page, word) == 0
            page.get_by_role("button", name=en["learn_playground.play"]).click()
            page.get_by_text(en["learn_playground.status_running"]).first.wait_for(timeout=30_000)
            seen = set()
            deadline = time.monotonic() + 30
            while len(seen) < 4 and time.monotonic() < deadline:  # the fragment keeps redrawing
                seen.add(_iteration(page, word))
                page.wait_for_timeout(300)
            assert len(seen) >= 4 and max(seen) > 0, seen
            page.wait_for_timeout(1500)
            shot(page, tmp_path, "playground.png")
            assert page.locator('[data-testid="stException"]').count() == 0
            page.get_by_role("button", name=en["learn_playground.pause"]).click()
            page.get_by_text(en["learn_playground.status_paused"]).first.wait_for(timeout=30_000)
        finally:
            browser.close()
