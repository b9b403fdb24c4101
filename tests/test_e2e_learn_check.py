"""Browser check of "Check yourself": real `streamlit run`, headless Debian chromium, playwright.

English: opt in, go to the collapse-or-stall question, answer, show the class's answers, reveal (two
shipped 2-D states drawn), screenshot. Traditional Chinese: the pixel-loss question revealed (real 7s,
their mean and median), screenshot. Skipped locally without /usr/bin/chromium; GAN_CLASSROOM_SCREENSHOTS
keeps the pictures.
"""
from __future__ import annotations

import pytest
from e2e_browser import launch, nav_to, settle, shot, streamlit_server

from ui.check_evidence import QUESTIONS
from ui.i18n import catalog

pytestmark = pytest.mark.e2e
INDEX = {q.qid: i for i, q in enumerate(QUESTIONS)}


@pytest.fixture
def server(tmp_path):
    with streamlit_server(tmp_path) as url:
        yield url


def _open(page, url: str, text: dict) -> None:
    page.goto(url, wait_until="domcontentloaded")  # enter through app.py's navigation
    nav_to(page, text["common.group_learn"], text["learn_check.nav_title"])
    page.get_by_role("heading", name=text["learn_check.title"], level=1).wait_for(timeout=90_000)


def _go_to(page, text: dict, qid: str) -> None:
    for i in range(1, INDEX[qid] + 1):  # one click per question, each waited for (a rerun per click)
        page.get_by_role("button", name=text["learn_check.next"]).click()
        page.get_by_text(text[f"learn_check.{QUESTIONS[i].qid}"]).first.wait_for(timeout=30_000)


def test_check_yourself_in_a_browser(server, tmp_path):
    from playwright.sync_api import sync_playwright

    en, tw = catalog("en"), catalog("zh-TW")
    with sync_playwright() as p:
        browser = launch(p, tmp_path, locale="en-US")
        try:
            page = browser.new_page()
            _open(page, server, en)
            page.get_by_text(en["learn_check.optin"]).click()
            _go_to(page, en, "strong_d")
            page.get_by_text("C. " + en["learn_check.strong_d_a2"]).click()
            page.get_by_text(en["learn_check.show_tally"]).first.click()
            page.get_by_text("C: 1 (100%)").wait_for(timeout=30_000)  # this browser's own answer, counted
            page.get_by_role("button", name=en["learn_check.reveal"]).click()
            page.get_by_text(en["learn_check.right"]).wait_for(timeout=60_000)
            page.locator(".js-plotly-plot").nth(1).wait_for(state="attached", timeout=60_000)
            settle(page)
            shot(page, tmp_path, "learn_check_en.png")
            assert page.locator('[data-testid="stException"]').count() == 0
        finally:
            browser.close()
        browser = launch(p, tmp_path / "tw", locale="zh-TW")
        try:
            page = browser.new_page()
            _open(page, server, tw)
            _go_to(page, tw, "pixel_loss")
            page.get_by_text("B. " + tw["learn_check.pixel_loss_a1"]).click()
            page.get_by_role("button", name=tw["learn_check.reveal"]).click()
            page.get_by_text(tw["learn_check.right"]).wait_for(timeout=90_000)
            page.get_by_text(tw["learn_check.pixel_loss_mean"]).wait_for(timeout=90_000)
            settle(page)
            shot(page, tmp_path, "learn_check_zh_tw.png")
            assert page.locator('[data-testid="stException"]').count() == 0
        finally:
            browser.close()
