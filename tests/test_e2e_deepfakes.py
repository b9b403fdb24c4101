"""Browser check of the deepfake page: real `streamlit run`, headless Debian chromium, playwright.

With the shipped checkpoints: the swap demo draws its pictures, one game round is answered, the
detector table renders; then the page is switched to Traditional Chinese. Screenshots: deepfakes_en.png,
deepfakes_game_en.png, deepfakes_detector_en.png, deepfakes_zh_tw.png (+ _full). Skipped locally when
/usr/bin/chromium is missing; under CI=true that is a failure. GAN_CLASSROOM_SCREENSHOTS=/some/folder
keeps the screenshots.
"""

from __future__ import annotations

import pytest
from e2e_browser import launch, settle, shot, streamlit_server

from ui.i18n import catalog

pytestmark = pytest.mark.e2e
NS = "society_deepfakes"


@pytest.fixture
def server(tmp_path):
    with streamlit_server(tmp_path) as url:
        yield url


def _no_exception(page) -> None:
    assert page.locator('[data-testid="stException"]').count() == 0


def test_deepfake_page_in_a_real_browser(server, tmp_path):
    from playwright.sync_api import sync_playwright

    en, tw = catalog("en"), catalog("zh-TW")
    with sync_playwright() as p:
        browser = launch(p, tmp_path, locale="en-US")
        try:
            page = browser.new_page()
            page.goto(server, wait_until="domcontentloaded")  # enter through app.py's navigation
            page.get_by_role("link", name=en[f"{NS}.nav_title"]).click(timeout=90_000)
            page.get_by_role("heading", name=en[f"{NS}.title"], level=1).wait_for(timeout=120_000)
            page.get_by_text(en[f"{NS}.lbl_recon"]).first.wait_for(timeout=120_000)  # the swap's captions
            settle(page)
            _no_exception(page)
            shot(page, tmp_path, "deepfakes_en.png")

            page.get_by_role("tab", name=en[f"{NS}.tab_game"]).click()
            page.get_by_role("button", name=en[f"{NS}.btn_fake"]).first.click()
            page.get_by_text("Round 2 of 10").first.wait_for(timeout=60_000)
            settle(page)
            _no_exception(page)
            shot(page, tmp_path, "deepfakes_game_en.png")

            page.get_by_role("tab", name=en[f"{NS}.tab_detector"]).click()
            page.locator('[data-testid="stDataFrame"]').first.wait_for(state="visible", timeout=90_000)
            settle(page)  # the vega chart draws after the table
            _no_exception(page)
            shot(page, tmp_path, "deepfakes_detector_en.png")

            page.locator('[data-testid="stSidebar"]').get_by_role("combobox").click()
            page.get_by_role("option", name="繁體中文").click()
            page.get_by_role("heading", name=tw[f"{NS}.title"], level=1).wait_for(timeout=60_000)
            page.get_by_text(tw[f"{NS}.lbl_recon"]).first.wait_for(timeout=60_000)
            settle(page)
            _no_exception(page)
            shot(page, tmp_path, "deepfakes_zh_tw.png")
        finally:
            browser.close()
