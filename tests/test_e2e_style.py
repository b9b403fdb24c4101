"""Browser check of the Style studio: real `streamlit run`, headless Debian chromium, playwright.

Opens the page through the navigation, waits for the example photo's round trips (photo -> cartoon ->
photo and cartoon -> photo -> cartoon, with heat maps), takes projector-sized screenshots in English
and Polish, then uploads a text file renamed .png (a translated message, no traceback) followed by a
real photo (translated again). Uses the shipped checkpoints (or $GAN_CLASSROOM_CHECKPOINTS).
Skipped locally without /usr/bin/chromium; under CI=true that is a failure. Never downloads a browser.
GAN_CLASSROOM_SCREENSHOTS=/some/folder keeps the screenshots (style_en.png, style_pl.png, ...).
"""
from __future__ import annotations

import io

import numpy as np
import pytest
from e2e_browser import launch, settle, shot, streamlit_server
from PIL import Image

from ui.i18n import catalog

pytestmark = pytest.mark.e2e
NS = "img2img_style"


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    """One server for both languages (each test opens its own fresh browser)."""
    with streamlit_server(tmp_path_factory.mktemp("server")) as url:
        yield url


def _open(page, server: str, cat: dict) -> None:
    page.goto(server, wait_until="domcontentloaded")
    page.get_by_role("link", name=cat[f"{NS}.nav_title"]).click(timeout=90_000)
    page.get_by_role("heading", name=cat[f"{NS}.title"], level=1).wait_for(timeout=90_000)
    page.get_by_role("heading", name=cat[f"{NS}.ba_header"]).wait_for(timeout=90_000)
    page.locator('[data-testid="stImage"] img').nth(7).wait_for(state="visible", timeout=90_000)
    settle(page)  # the last pictures painted


@pytest.mark.parametrize("locale,lang", [("en-US", "en"), ("pl-PL", "pl")])
def test_style_studio_translates_an_example_photo(server, tmp_path, locale, lang):
    from playwright.sync_api import sync_playwright

    cat = catalog(lang)
    with sync_playwright() as p:
        browser = launch(p, tmp_path, locale=locale)
        try:
            page = browser.new_page()
            _open(page, server, cat)
            assert page.locator('[data-testid="stException"]').count() == 0
            page.get_by_role("heading", name=cat[f"{NS}.ab_header"]).scroll_into_view_if_needed()
            shot(page, tmp_path, f"style_{lang}.png")
            if lang != "en":
                return
            page.get_by_text(cat[f"{NS}.src_upload"]).click()
            chooser = page.locator('[data-testid="stFileUploaderDropzoneInput"]')
            chooser.set_input_files(files=[{"name": "notes.png", "mimeType": "image/png",
                                            "buffer": b"shopping list:\n- milk\n- eggs\n" * 5}])
            page.get_by_text("text file renamed to .png").first.wait_for(timeout=60_000)
            assert page.locator('[data-testid="stException"]').count() == 0
            x, y = np.meshgrid(np.linspace(0, 255, 300), np.linspace(0, 255, 200))
            buf = io.BytesIO()
            Image.fromarray(np.stack([x, y, np.full_like(x, 90)], -1).astype(np.uint8)).save(buf, "PNG")
            chooser.set_input_files(files=[{"name": "gradient.png", "mimeType": "image/png", "buffer": buf.getvalue()}])
            page.get_by_text("text file renamed to .png").first.wait_for(state="detached", timeout=60_000)
            page.get_by_role("heading", name=cat[f"{NS}.ab_header"]).wait_for(timeout=60_000)
            settle(page)  # the photo's run has finished: the message stays gone
            assert page.get_by_text("text file renamed to .png").count() == 0
            assert page.locator('[data-testid="stException"]').count() == 0
            shot(page, tmp_path, "style_upload.png")
        finally:
            browser.close()
