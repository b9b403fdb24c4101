"""The browser suite: every page, in every language, opened by its own URL on a fresh server.

One ``streamlit run`` for the whole module (started here, so its first request is a page deep link:
the case that used to render outside the app frame), one headless Debian chromium (flags from
DESIGN.md, never a downloaded browser), one browser context per language, the languages checked at
the same time (playwright's async API: the server runs one session's script while the browser draws
another's page). Each page URL is a new Streamlit session. For every page x language at 1280x800 --
and at 1920x1080 for a third of the pages, each in one language, rotating with the day
(``rotating_lang``) -- it checks:

- the app frame: top navigation with the translated section names, the language picker, no list of
  raw ``pages/`` file names, no "Running ..." function names, no exception box;
- nothing is cut: no button label, formula or selectbox value wider than its box
  (``scrollWidth > clientWidth``), no label outside an SVG diagram's box;
- the language: no catalog key on screen, and in zh-TW / zh-CN / pl no English sentence (code,
  formulas, plots' numbers and technical terms excepted; see ``english_sentences``);
- no request leaves the machine (the tab icon used to come from a web font host);

and saves the first screen to ``tests/artifacts/screens/<size>/<page>_<lang>.png`` (gitignored;
``GAN_CLASSROOM_SCREENSHOTS`` overrides the folder). A failure names the page, language and size.
``GAN_CLASSROOM_E2E_LANGS="en pl"`` limits a local run to some languages (CI runs all four).
Then: a copied link reproduces a setup in a student's browser, F5 keeps the language and the story's
step, projector mode; the playground's own data as a student brings it (a pasted Polish Excel export).
Skipped locally without /usr/bin/chromium; under CI=true a missing browser fails (e2e_browser.py).
"""

from __future__ import annotations

import asyncio
import datetime
import functools
import os
import re
import time
from pathlib import Path

import pytest
from e2e_browser import CHROMIUM, CHROMIUM_FLAGS, ROOT, require_browser, streamlit_server

import app
from ui.i18n import LANGS, catalog

pytestmark = pytest.mark.e2e

SIZES = {"1280x800": (1280, 800), "1920x1080": (1920, 1080)}
SHOTS = Path(os.environ.get("GAN_CLASSROOM_SCREENSHOTS") or ROOT / "tests" / "artifacts" / "screens")
FIRST = "pages/train_mnist.py"  # the suite's first request: a deep link, as in the issue
PAGE_TIMEOUT_MS = 120_000
PAGES_AT_ONCE = 4  # pages loading at once (one per language): see check_every_page
# words that only English sentences use (Polish shares "a", "to", "i", "on", "no" with English)
ENGLISH_WORDS = frozenset({
    "the", "and", "of", "is", "are", "with", "this", "that", "you", "your", "for", "from", "when", "what",
    "which", "it", "its", "be", "by", "or", "not", "how", "than", "will", "each", "into", "these", "there",
    "they", "has", "have", "was", "were", "would", "should", "does", "don't", "can't", "while", "after",
    "before", "until", "about", "their", "them", "then", "here", "where", "why", "who",
})
SKIP_TEXT_IN = ("pre", "code", ".katex", "[data-testid='stCode']", "textarea", "input", "[data-gc-no-i18n]")


def url_path(item: app.NavItem) -> str:
    return "" if item.path == app.PAGES[0].path else Path(item.path).stem


def rotating_lang(index: int) -> str | None:
    """The language a page is also checked in at 1920x1080 today, or None: a third of the pages each
    day, each in one language, so every page x language comes round within twelve days."""
    day = datetime.date.today().toordinal()
    if (index + day) % 3:
        return None
    return list(LANGS)[(index // 3 + day) % len(LANGS)]


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    require_browser()
    with streamlit_server(tmp_path_factory.mktemp("server")) as url:
        yield url


@pytest.fixture(scope="module")
def browser():
    require_browser()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_FLAGS)
        yield b
        b.close()


IDLE_JS = """() => {
  const app = document.querySelector('[data-testid=stApp]');
  if (!app || app.dataset.testScriptState !== 'notRunning') { window.__gcQuiet = 0; return false; }
  if (document.querySelector('[data-testid^=stSkeleton],[data-testid=stAppSkeleton]')) return false;
  if (!document.querySelector('h1')) return false;
  window.__gcQuiet = (window.__gcQuiet || 0) + 1;
  return window.__gcQuiet >= 3;
}"""


def wait_idle(page, timeout_ms: int = PAGE_TIMEOUT_MS) -> None:
    """Until the script has finished and no element is still a loading skeleton (three polls in a row)."""
    page.wait_for_function(IDLE_JS, polling=150, timeout=timeout_ms)


CUT_JS = """() => {
  const cut = [];
  const wide = (el) => el.scrollWidth > el.clientWidth + 1;
  const seen = (el) => el.offsetParent !== null && el.clientWidth > 0;
  for (const el of document.querySelectorAll("button [data-testid=stMarkdownContainer] p, button p")) {
    if (seen(el) && wide(el)) cut.push("button: " + el.innerText);
  }
  for (const k of document.querySelectorAll(".katex-display > .katex")) {
    // a display formula is centred in its block; wider than the block means its ends are hidden
    const block = k.closest("[data-testid=stMarkdown], [data-testid=stElementContainer]");
    if (!block || !seen(block)) continue;
    if (k.getBoundingClientRect().width > block.getBoundingClientRect().width + 2) {
      const tex = k.querySelector("annotation");
      cut.push("formula: " + (tex ? tex.textContent : k.innerText).slice(0, 60));
    }
  }
  for (const el of document.querySelectorAll("[data-baseweb=select] [value], [data-baseweb=select] div[title]")) {
    if (seen(el) && wide(el)) cut.push("select: " + (el.innerText || el.getAttribute("value")));
  }
  for (const svg of document.querySelectorAll("[data-testid=stMarkdownContainer] svg")) {
    const box = svg.getBoundingClientRect();
    for (const t of svg.querySelectorAll("text")) {
      const r = t.getBoundingClientRect();
      if (r.width && (r.left < box.left - 1 || r.right > box.right + 1)) cut.push("svg: " + t.textContent);
    }
    for (const rect of svg.querySelectorAll("rect[data-fit]")) {
      const b = rect.getBoundingClientRect();
      for (const t of svg.querySelectorAll(`text[data-in="${rect.dataset.fit}"]`)) {
        const r = t.getBoundingClientRect();
        if (r.width && (r.left < b.left - 1 || r.right > b.right + 1)) cut.push("svg label: " + t.textContent);
      }
    }
  }
  return cut;
}"""

TEXT_JS = """(skip) => {
  const out = [];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  while (walker.nextNode()) {
    const n = walker.currentNode, el = n.parentElement;
    if (!el || el.closest(skip) || !n.textContent.trim()) continue;
    if (el.closest("svg") || el.offsetParent !== null) out.push(n.textContent.trim());
  }
  return out.join("\\n");
}"""


async def visible_text(page) -> str:
    return await page.evaluate(TEXT_JS, ",".join(SKIP_TEXT_IN + ("script", "style")))


def catalog_keys_shown(text: str) -> list[str]:
    keys = set(catalog("en"))
    return sorted({m for m in re.findall(r"\b[a-z][a-z0-9_]*\.[a-z][a-z0-9_]*\b", text) if m in keys})


@functools.cache
def english_vocabulary() -> frozenset[str]:
    """Every word of the English catalogs, lower-cased (read once per test session)."""
    return frozenset(w.lower() for v in catalog("en").values() for s in ([v] if isinstance(v, str) else v.values())
                     for w in re.findall(r"[A-Za-z']+", s))


def english_sentences(text: str) -> list[str]:
    """Runs of at least four Latin words with at least two words only English uses ('the', 'and',
    'with', 'when', ...), and at least half of the run's words English function words or words of the
    English catalogs. Numbers, formulas, code and file names are not sentences."""
    vocabulary = english_vocabulary()
    found = []
    for line in text.splitlines():
        for run in re.findall(r"[A-Za-z'][A-Za-z' ,;:()-]*[A-Za-z]", line):
            words = re.findall(r"[A-Za-z']+", run)
            if len(words) < 4:
                continue
            marked = sum(w.lower() in ENGLISH_WORDS for w in words)
            known = sum(w.lower() in vocabulary for w in words)
            if marked >= 2 and known >= len(words) / 2:
                found.append(run)
    return found


PLOT_TEXT_JS = """() => [...document.querySelectorAll('.js-plotly-plot .gtitle, .js-plotly-plot .xtitle,'
  + ' .js-plotly-plot .ytitle, .js-plotly-plot .legendtext, .js-plotly-plot .annotation-text')]
  .map(t => t.textContent.trim()).filter(Boolean)"""


def _strings(lang: str) -> set[str]:
    return {form for v in catalog(lang).values() for form in ([v] if isinstance(v, str) else v.values())}


def english_plot_texts(texts: list[str], lang: str) -> list[str]:
    """Chart titles, axis titles, legend entries and labels that are an English catalog string (with a
    letter) not used by ``lang``'s catalogs: a plot label left untranslated."""
    english, own = _strings("en"), _strings(lang)
    return sorted({x for x in texts if x in english and x not in own and re.search(r"[A-Za-z]{3}", x)})


async def check_page(page, *, lang: str, where: str) -> list[str]:
    problems = []
    exception = page.locator("[data-testid=stException]")
    if await exception.count():
        problems.append("exception box: " + (await exception.first.inner_text())[:300])
    if await page.locator("[data-testid=stSidebarNav]").count():
        problems.append("Streamlit's raw pages/ list is shown")
    text = await visible_text(page)
    if "Running" in text and "()" in text:
        problems.append("a 'Running f()' spinner is shown")
    raw_names = [Path(i.path).stem.replace("_", " ") for i in app.PAGES]
    problems += [f"raw page name on screen: {n}" for n in raw_names
                 if " " in n and re.search(rf"(?m)^{re.escape(n)}$", text)]  # "home" is a word
    strings = catalog(lang)
    for group_key in {app.GROUPS[i.group] for i in app.PAGES if i.group}:
        if strings[group_key] not in text:
            problems.append(f"section '{strings[group_key]}' missing from the navigation")
    problems += [f"catalog key shown: {k}" for k in catalog_keys_shown(text)]
    if lang != "en":
        problems += [f"English sentence: {s!r}" for s in english_sentences(text)]
        plot_texts = await page.evaluate(PLOT_TEXT_JS)
        problems += [f"English plot label: {s!r}" for s in english_plot_texts(plot_texts, lang)]
    problems += [f"cut: {c}" for c in await page.evaluate(CUT_JS)]
    return [f"{where}: {p}" for p in problems]


async def visit(page, server: str, item: app.NavItem, lang: str, size: str) -> list[str]:
    width, height = SIZES[size]
    await page.set_viewport_size({"width": width, "height": height})
    t0 = time.monotonic()
    await page.goto(f"{server}/{url_path(item)}?lang={lang}", wait_until="domcontentloaded")
    t1 = time.monotonic()
    await page.wait_for_function(IDLE_JS, polling=150, timeout=PAGE_TIMEOUT_MS)
    t2 = time.monotonic()
    where = f"{Path(item.path).stem} [{lang}, {size}]"
    problems = await check_page(page, lang=lang, where=where)
    t3 = time.monotonic()
    folder = SHOTS / size
    folder.mkdir(parents=True, exist_ok=True)
    await page.screenshot(path=str(folder / f"{Path(item.path).stem}_{lang}.png"))
    print(f"{where}: load {t1 - t0:.1f} s, drawn {t2 - t1:.1f} s, checks {t3 - t2:.1f} s, "
          f"screenshot {time.monotonic() - t3:.1f} s")
    return problems


async def check_language(browser, server: str, lang: str, order: list[app.NavItem], outside: list[str],
                         gate: asyncio.Semaphore) -> list[str]:
    """Every page of ``order`` in one language: its own browser context (the browser's locale), one tab
    that opens each page by its URL (a new Streamlit session per page), at most ``gate``'s number of
    pages loading at once across languages."""
    context = await browser.new_context(locale={"zh-TW": "zh-TW", "zh-CN": "zh-CN", "pl": "pl-PL"}.get(lang, "en-US"))
    context.on("request", lambda r: outside.append(r.url) if not r.url.startswith((server, "data:", "blob:"))
               else None)
    page = await context.new_page()
    problems: list[str] = []
    try:
        for index, item in enumerate(order):
            async with gate:
                problems += await visit(page, server, item, lang, "1280x800")
            if rotating_lang(index) == lang:
                async with gate:
                    problems += await visit(page, server, item, lang, "1920x1080")
    finally:
        await context.close()
    return problems


async def check_every_page(server: str, order: list[app.NavItem], langs: list[str]) -> tuple[list[str], list[str]]:
    """All languages at once, one context each in one headless chromium: the server (its own process)
    runs one session's script while the browser draws another's page. Returns (outside requests, problems)."""
    from playwright.async_api import async_playwright

    outside: list[str] = []
    gate = asyncio.Semaphore(PAGES_AT_ONCE)
    async with async_playwright() as p:
        browser = await p.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_FLAGS)
        try:
            async with asyncio.TaskGroup() as group:  # one language failing (a timeout) stops the others
                tasks = [group.create_task(check_language(browser, server, lang, order, outside, gate))
                         for lang in langs]
        finally:
            await browser.close()
    return outside, [problem for task in tasks for problem in task.result()]


def test_every_page_in_every_language_by_its_own_url(server):
    first = next(i for i in app.PAGES if i.path == FIRST)
    order = [first] + [i for i in app.PAGES if i is not first]  # a deep link is the server's first request
    langs = [code for code in LANGS if code in os.environ.get("GAN_CLASSROOM_E2E_LANGS", " ".join(LANGS)).split()]
    outside, problems = asyncio.run(check_every_page(server, order, langs))
    assert not outside, f"requests left the machine: {sorted(set(outside))[:5]}"
    assert not problems, "\n".join(problems)


def _context(browser, lang: str = "en", **extra):
    return browser.new_context(locale={"zh-TW": "zh-TW", "zh-CN": "zh-CN", "pl": "pl-PL"}.get(lang, "en-US"),
                               viewport={"width": 1280, "height": 800}, **extra)


def test_copy_link_reproduces_the_setup_and_reloads_keep_language_and_story_step(server, browser):
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    pl = catalog("pl")
    context = _context(browser, "en", permissions=["clipboard-read", "clipboard-write"])
    page = context.new_page()
    try:
        page.goto(f"{server}/learn_objectives?lang=pl", wait_until="domcontentloaded")
        wait_idle(page)
        page.locator(".st-key-ob_cost_view [role=radiogroup] label").nth(1).click()  # G's gradient view
        wait_idle(page)
        box = page.locator(".gc-link input[data-key='ob_mu']")
        for _ in range(3):  # the radio's rerun may start late on a loaded machine and redraw the link box
            if not box.is_visible():  # closed: open "hide controls"
                page.locator(".gc-link details summary").click()
            try:
                box.wait_for(state="visible", timeout=5_000)
                break
            except PlaywrightTimeout:
                wait_idle(page)
        box.check()  # hide the mu slider in the link
        page.locator(".gc-link .gc-copy").click()
        page.wait_for_function("document.querySelector('.gc-link').dataset.copied === '1'", timeout=10_000)
        link = page.evaluate("navigator.clipboard.readText()")
        assert "lang=pl" in link and "ob_cost_view=dlogit" in link and "hide=ob_mu" in link, link
    finally:
        context.close()
    student = _context(browser, "en")  # a student's English browser opens the lecturer's link
    page = student.new_page()
    try:
        page.goto(link, wait_until="domcontentloaded")
        wait_idle(page)
        assert page.locator("h1").first.inner_text() == pl["learn_objectives.title"]
        assert page.locator(".st-key-ob_cost_view input[type=radio]").nth(1).is_checked()
        assert not page.locator(".st-key-ob_mu").is_visible()
        page.reload(wait_until="domcontentloaded")  # F5 keeps the language
        wait_idle(page)
        assert page.locator("h1").first.inner_text() == pl["learn_objectives.title"]
        page.goto(f"{server}/learn_story?lang=zh-CN", wait_until="domcontentloaded")
        wait_idle(page)
        page.locator(".st-key-story_next button").click()
        page.wait_for_url("**story_step=2**", timeout=30_000)
        page.reload(wait_until="domcontentloaded")  # F5 keeps the story's step and the language
        wait_idle(page)
        zh = catalog("zh-CN")
        assert page.locator("h1").first.inner_text() == zh["learn_story.title"]
        assert page.get_by_text(zh["learn_story.s2_title"]).first.is_visible()
        page.goto(f"{server}/train_mnist?lang=pl&projector=1", wait_until="domcontentloaded")
        wait_idle(page)
        assert page.evaluate("getComputedStyle(document.documentElement).fontSize") == "22px"
        folder = SHOTS / "projector"
        folder.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(folder / "train_mnist_pl.png"))
    finally:
        student.close()


def test_own_points_a_polish_excel_paste_of_6000_rows(server, browser):
    """The playground's "My own points", as a student brings data: a hint before any point (no red
    error, Play and Step on screen), a pasted Polish Excel export (';' and decimal commas) of 6,000
    rows, then Step D shows in the status line."""
    import numpy as np

    from ui.i18n import render

    pl = catalog("pl")
    rows = np.random.default_rng(0).normal(size=(6000, 2))
    text = "x;y\n" + "\n".join(f"{a:.4f};{b:.4f}".replace(".", ",") for a, b in rows)
    context = _context(browser, "pl", permissions=["clipboard-read", "clipboard-write"])
    page = context.new_page()
    try:
        page.goto(f"{server}/learn_playground?lang=pl&pg_dist=custom", wait_until="domcontentloaded")
        wait_idle(page)
        assert page.locator("[data-testid=stAlertContentError]").count() == 0
        page.get_by_text(pl["learn_playground.err_need_points"]).first.wait_for()
        assert page.get_by_role("button", name=pl["learn_playground.play"]).is_disabled()
        page.evaluate("(v) => navigator.clipboard.writeText(v)", text)
        box = page.locator(".st-key-pg_csv_text textarea")
        box.focus()
        started = time.monotonic()
        page.keyboard.press("Control+V")
        page.wait_for_function("el => el.value.length > 50000", arg=box.element_handle(), timeout=20_000)
        pasted_s = time.monotonic() - started
        page.get_by_role("button", name=pl["learn_playground.use_pasted"]).click()
        ok = render(pl["learn_playground.csv_ok"], "pl", {"n": 6000})
        page.get_by_text(ok).first.wait_for(timeout=60_000)
        wait_idle(page)
        assert pasted_s < 5, f"pasting 6,000 rows took {pasted_s:.1f} s"
        page.get_by_role("button", name=pl["learn_playground.step_d"], exact=True).first.click()
        ahead = render(pl["learn_playground.d_ahead"], "pl", {"n": 1})
        page.get_by_text(ahead).first.wait_for(timeout=60_000)
        page.mouse.move(5, 5)  # no tooltip in the picture
        folder = SHOTS / "1280x800"
        folder.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(folder / "learn_playground_own_points_pl.png"))
    finally:
        context.close()
