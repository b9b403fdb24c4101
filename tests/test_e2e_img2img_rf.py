"""Browser check of the two img2img lessons by this area: the receptive-field calculator and the
checkerboard page, in English and Polish. Real `streamlit run`, headless Debian chromium, playwright.

Skipped locally when /usr/bin/chromium is missing (install: `sudo apt-get install -y chromium`); under
CI=true a missing browser is a failure. Never downloads a browser. GAN_CLASSROOM_SCREENSHOTS=/some/folder
keeps the screenshots (img2img_rf_<lang>.png, img2img_checkerboard_<lang>.png and their _full versions).
"""
from __future__ import annotations

import pytest
from e2e_browser import launch, nav_to, settle, shot, streamlit_server

from ui.i18n import catalog

pytestmark = pytest.mark.e2e


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    """One server for both languages (each test opens its own fresh browser)."""
    with streamlit_server(tmp_path_factory.mktemp("server")) as url:
        yield url


def _open(page, cat: dict, ns: str) -> None:
    """Follow app.py's navigation bar: the image-to-image menu, then the page's link."""
    nav_to(page, cat["common.group_img2img"], cat[f"{ns}.nav_title"])
    page.get_by_role("heading", name=cat[f"{ns}.title"], level=1).wait_for(timeout=60_000)


def _plots_drawn(page, n: int) -> None:
    page.wait_for_function(f"document.querySelectorAll('.js-plotly-plot .main-svg').length >= {n}", timeout=60_000)
    page.mouse.move(5, 5)  # no tooltip in the screenshot
    settle(page)


@pytest.mark.parametrize(("lang", "locale"), [("en", "en-US"), ("pl", "pl-PL")])
def test_img2img_lessons_in_a_real_browser(server, tmp_path, lang, locale):
    from playwright.sync_api import sync_playwright

    cat = catalog(lang)
    with sync_playwright() as p:
        browser = launch(p, tmp_path, locale=locale)
        try:
            page = browser.new_page()
            page.goto(server, wait_until="domcontentloaded")  # enter through app.py's navigation
            _open(page, cat, "img2img_rf")
            page.locator('[data-testid="stNumberInput"] input').first.fill("22")
            page.keyboard.press("Enter")
            page.get_by_role("button", name=cat["img2img_rf.quiz_reveal"]).click()
            page.get_by_text("22 × 22 px").first.wait_for(timeout=30_000)
            page.locator('[data-testid="stDataFrameResizable"], [data-testid="stDataFrame"]').first.wait_for(
                timeout=30_000)
            _plots_drawn(page, 2)  # the judged patch and the coverage heatmap
            assert page.get_by_text(cat["img2img_rf.agree"]).count() == 1  # formula == module == measured
            assert page.locator('[data-testid="stException"]').count() == 0
            shot(page, tmp_path, f"img2img_rf_{lang}.png")

            _open(page, cat, "img2img_checkerboard")
            page.get_by_text(cat["img2img_checkerboard.choice_k3_k4"]).click()
            page.get_by_role("button", name=cat["img2img_checkerboard.reveal"]).click()
            page.get_by_text(cat["img2img_checkerboard.right"]).wait_for(timeout=60_000)
            _plots_drawn(page, 3)  # two write-count maps + the untrained spectra
            assert page.locator('[data-testid="stException"]').count() == 0
            shot(page, tmp_path, f"img2img_checkerboard_{lang}.png")
        finally:
            browser.close()
