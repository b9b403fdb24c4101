"""Browser check of the GAN vs MAE page: real `streamlit run`, headless Debian chromium, playwright.

The drawing canvas (streamlit-drawable-canvas, its frontend served from the installed wheel: no
network) is drawn on with the mouse, and every variant's completion of the drawing must change.
Screenshots in English and Polish. Small random-weight checkpoints stand in for the shipped ones
(the page finds variants by run config, so it works the same). Skipped locally when
/usr/bin/chromium is missing; under CI=true a missing browser is a failure.
GAN_CLASSROOM_SCREENSHOTS=/some/folder keeps the screenshots.
"""
from __future__ import annotations

import pytest
from _pix2pix_ckpts import make_checkpoints
from e2e_browser import launch, nav_to, settle, shot, streamlit_server

from ui.i18n import catalog

pytestmark = pytest.mark.e2e
NS = "img2img_losses"


@pytest.fixture
def server(tmp_path, monkeypatch):
    monkeypatch.setenv("GAN_CLASSROOM_CHECKPOINTS", str(make_checkpoints(tmp_path / "p2p")))
    with streamlit_server(tmp_path) as url:
        yield url


def _open(page, server: str, texts: dict) -> None:
    """Enter through app.py's navigation (the top bar: section, then page)."""
    page.goto(server, wait_until="domcontentloaded")
    nav_to(page, texts["common.group_img2img"], texts[f"{NS}.nav_title"])


def _idle(page) -> None:
    """The script has finished (app state, not the status widget: that one is never in the DOM here) and
    every picture and chart is drawn."""
    settle(page, timeout_ms=120_000)


def _draw(page, canvas) -> None:
    """The top of a 7 with the real (trusted) mouse."""
    canvas.scroll_into_view_if_needed()  # the mouse only reaches what is on screen
    page.wait_for_timeout(500)
    box = canvas.bounding_box()
    x0, y0, w, h = box["x"], box["y"], box["width"], box["height"]
    page.mouse.move(x0 + 0.3 * w, y0 + 0.15 * h)
    page.mouse.down()
    for fx, fy in ((0.5, 0.15), (0.7, 0.15), (0.7, 0.3), (0.7, 0.45), (0.5, 0.45), (0.35, 0.45)):
        page.mouse.move(x0 + fx * w, y0 + fy * h, steps=6)
    page.mouse.up()


REDRAWN_JS = """(before) => {
  const panel = [...document.querySelectorAll('[role=tabpanel]')].find(p => p.offsetParent !== null);
  const srcs = panel ? [...panel.querySelectorAll('[data-testid=stImage] img')].map(i => i.getAttribute('src')) : [];
  return JSON.stringify(srcs.slice(-4)) !== JSON.stringify(before);
}"""  # the visible tab's last four pictures differ from ``before``


def _drawing_srcs(panel) -> list[str]:
    imgs = panel.locator('[data-testid="stImage"] img')
    return [imgs.nth(i).get_attribute("src") for i in range(imgs.count())]


def test_page_and_drawing_canvas_in_a_real_browser(server, tmp_path):
    from playwright.sync_api import sync_playwright

    en, pl = catalog("en"), catalog("pl")
    with sync_playwright() as p:
        browser = launch(p, tmp_path, locale="en-US")
        try:
            page = browser.new_page()
            _open(page, server, en)
            page.get_by_role("heading", name=en[f"{NS}.title"], level=1).wait_for(timeout=90_000)
            page.get_by_text(en[f"{NS}.quiz_pick"].format(letter="A")).wait_for(timeout=90_000)
            _idle(page)
            page.wait_for_function("() => [...document.querySelectorAll('[data-testid=stImage] img')]"
                                   ".some(i => i.complete && i.naturalWidth > 0)", timeout=60_000)
            shot(page, tmp_path, "img2img_losses_quiz_en.png")

            page.get_by_role("tab", name=en[f"{NS}.tab_gallery"]).click()
            panel = page.locator('[role="tabpanel"]:visible')
            canvas = panel.locator("canvas").last  # fabric.js draws on its upper canvas
            canvas.wait_for(state="visible", timeout=60_000)
            page.get_by_text(en[f"{NS}.draw_fallback"]).wait_for(timeout=30_000)
            before = _drawing_srcs(panel)
            _idle(page)
            for attempt in range(2):  # a first stroke can land while the component is still starting up
                _draw(page, canvas)
                try:
                    page.get_by_text(en[f"{NS}.draw_fallback"]).wait_for(state="detached", timeout=20_000)
                    break
                except Exception:  # noqa: BLE001 - playwright's TimeoutError: draw once more
                    assert attempt == 0, "the drawing never reached the page"
                    _idle(page)
            page.wait_for_function(
                "n => document.querySelectorAll('[role=tabpanel] [data-testid=stImage] img').length >= n",
                arg=len(before), timeout=30_000)
            page.wait_for_function(REDRAWN_JS, arg=before[-4:], timeout=30_000)
            settle(page)
            assert _drawing_srcs(panel)[-4:] != before[-4:]  # the drawing row was redrawn from the strokes
            assert page.locator('[data-testid="stException"]').count() == 0
            shot(page, tmp_path, "img2img_losses_drawing_en.png")

        finally:
            browser.close()
        browser = launch(p, tmp_path / "pl", locale="pl-PL")  # a Polish browser: the page starts in Polish
        try:
            page = browser.new_page()
            _open(page, server, pl)
            page.get_by_role("heading", name=pl[f"{NS}.title"], level=1).wait_for(timeout=90_000)
            page.get_by_role("tab", name=pl[f"{NS}.tab_pixel"]).click()
            page.get_by_text(pl[f"{NS}.guess_median"], exact=True).click()
            page.get_by_text(pl[f"{NS}.curve_mae"]).first.wait_for(timeout=60_000)
            _idle(page)
            assert page.locator('[data-testid="stException"]').count() == 0
            shot(page, tmp_path, "img2img_losses_pixel_pl.png")
        finally:
            browser.close()
