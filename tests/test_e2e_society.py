"""Browser check of the Social GAN page: real `streamlit run`, headless Debian chromium, playwright.

Opens the page through the sidebar (unfolding a long page list), waits for the scene plot, checks
the axes are labelled in metres with one metre the same length on both axes, takes projector-sized
screenshots in English and Traditional Chinese. Uses the shipped Social GAN checkpoints when they are
there (else small random-weight ones) and the ETH/UCY folder when it is on this machine.
GAN_CLASSROOM_SCREENSHOTS=/some/folder keeps the screenshots.
"""
from __future__ import annotations

import pytest
from _society_ckpts import make_checkpoints
from e2e_browser import ROOT, launch, nav_to, settle, shot, streamlit_server

from gan_core.trajectory_eval import default_eth_ucy
from ui.i18n import catalog

pytestmark = pytest.mark.e2e
NS = "society_trajectories"


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    """One server for both languages (each test opens its own fresh browser)."""
    tmp_path = tmp_path_factory.mktemp("server")
    with pytest.MonkeyPatch.context() as monkeypatch:
        if not (ROOT / "checkpoints" / "social_gan_synthetic.json").is_file():
            monkeypatch.setenv("GAN_CLASSROOM_CHECKPOINTS", str(make_checkpoints(tmp_path / "ckpts")))
        folder = default_eth_ucy()
        if folder is not None:
            monkeypatch.setenv("GAN_CLASSROOM_ETH_UCY", str(folder))
        with streamlit_server(tmp_path) as url:
            yield url


def _aspect(page, x_title: str) -> float:
    """Pixels per metre on x divided by pixels per metre on y of the plot whose x axis is ``x_title``,
    read from plotly's own axis objects."""
    return page.evaluate("""(title) => {
        const gd = [...document.querySelectorAll('.js-plotly-plot')].find(
            g => g._fullLayout && g._fullLayout.xaxis.title.text === title);
        const xa = gd._fullLayout.xaxis, ya = gd._fullLayout.yaxis;
        const px = xa._length / (xa.range[1] - xa.range[0]), py = ya._length / (ya.range[1] - ya.range[0]);
        return px / py; }""", x_title)


@pytest.mark.parametrize("lang, locale", [("en", "en-US"), ("zh-TW", "zh-TW")])
def test_society_page_draws_a_scene_in_metres(server, tmp_path, lang, locale):
    from playwright.sync_api import sync_playwright

    text = catalog(lang)
    with sync_playwright() as p:
        browser = launch(p, tmp_path, locale=locale)
        try:
            page = browser.new_page()
            page.goto(server, wait_until="domcontentloaded")  # enter through app.py's navigation
            nav_to(page, text["common.group_society"], text[f"{NS}.nav_title"])  # the top navigation bar
            page.get_by_role("heading", name=text[f"{NS}.title"], level=1).wait_for(timeout=90_000)
            scene = page.locator(".js-plotly-plot").filter(
                has=page.locator(".g-xtitle", has_text=text[f"{NS}.axis_x"]))  # the scene, not the curves
            scene.first.wait_for(timeout=90_000)
            settle(page)
            assert scene.first.locator(".g-ytitle").text_content() == text[f"{NS}.axis_y"]
            assert _aspect(page, text[f"{NS}.axis_x"]) == pytest.approx(1.0, rel=0.02)
            assert page.locator('[data-testid="stException"]').count() == 0
            shot(page, tmp_path, f"society_{lang}.png")
        finally:
            browser.close()
