"""Browser check of the Train page: real `streamlit run`, headless Debian chromium, playwright.

Starts a run, waits for the first sample grid and the live curves (the polling fragment has to
refresh them: nothing else would), takes a projector-sized screenshot, then stops the run.
Skipped locally when /usr/bin/chromium is missing (install: `sudo apt-get install -y chromium`);
under CI=true a missing browser is a failure. Never downloads a browser. Set
GAN_CLASSROOM_SCREENSHOTS=/some/folder to keep the screenshots (train.png, train_full.png).
"""

from __future__ import annotations

import pytest
from e2e_browser import launch, shot, streamlit_server

from ui.i18n import catalog

pytestmark = pytest.mark.e2e


@pytest.fixture
def server(tmp_path):
    with streamlit_server(tmp_path) as url:
        yield url


def test_train_page_runs_live_in_a_real_browser(server, tmp_path):
    from playwright.sync_api import sync_playwright

    en = catalog("en")
    with sync_playwright() as p:
        browser = launch(p, tmp_path, locale="en-US")
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
            shot(page, tmp_path, "train.png")
            page.get_by_role("button", name=en["train.stop"]).click()
            page.get_by_text(en["train.status_stopped"], exact=True).first.wait_for(timeout=30_000)
            assert page.locator('[data-testid="stException"]').count() == 0
        finally:
            browser.close()
