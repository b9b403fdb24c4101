"""Browser check of the home page: real `streamlit run`, headless Debian chromium, playwright.

Skipped locally when /usr/bin/chromium is missing (install: `sudo apt-get install -y chromium`);
under CI=true a missing browser is a failure. Never downloads a browser. Set
GAN_CLASSROOM_SCREENSHOTS=/some/folder to keep the screenshots.
"""

from __future__ import annotations

import pytest
from e2e_browser import launch, shot, streamlit_server

from ui.i18n import catalog

pytestmark = pytest.mark.e2e


@pytest.fixture
def server(checkpoints_dir, tmp_path):
    with streamlit_server(tmp_path) as url:
        yield url


def _grid_src(page) -> str:
    img = page.locator('[data-testid="stImage"] img').first
    img.wait_for(state="visible", timeout=60_000)
    page.wait_for_function("img => img.complete && img.naturalWidth > 0", arg=img.element_handle())
    return img.get_attribute("src")


def test_home_in_a_real_browser(server, tmp_path):
    from playwright.sync_api import sync_playwright

    pl, en = catalog("pl"), catalog("en")
    with sync_playwright() as p:
        browser = launch(p, tmp_path, locale="pl-PL")
        try:
            page = browser.new_page()
            page.goto(server, wait_until="domcontentloaded")
            # the browser says Polish -> the first render is Polish
            page.get_by_role("heading", name=pl["home.title"], level=1).wait_for(timeout=60_000)
            first = _grid_src(page)
            verdict = page.locator("svg text", has_text=pl["home.diag_verdict"])
            verdict.first.wait_for(timeout=30_000)  # the diagram may paint after the heading on a busy machine
            assert verdict.count() == 1
            shot(page, tmp_path, "home_pl.png")

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
            shot(page, tmp_path, "home_en.png")
        finally:
            browser.close()
