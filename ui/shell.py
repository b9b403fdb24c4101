"""The frame around every page (app.py calls it; pages need no code of their own for any of this).

- ``configure``: page config with a bundled tab icon (nothing is fetched from the internet), the
  app's CSS (button labels wrap instead of being cut, darker chart ticks), projector mode's CSS,
  and CSS hiding the controls a link names (``?hide=key1,key2``).
- ``sidebar``: language picker, projector-mode toggle, a slot for the link button and the page's
  presenter notes (``notes.<page namespace>`` in notes.json, or ``<namespace>.presenter_notes``).
- ``run_page``: runs the page, then fills the slot with "copy link to this setup" when the page
  drew settings, applies a link's settings (``ui.url_state``) and keeps ``lang`` / ``projector``
  in the address bar, so a reload (F5) keeps the language.
"""

from __future__ import annotations

import hashlib
import html
import json
from pathlib import Path

import streamlit as st

from ui import url_state
from ui.i18n import EXPLICIT_KEY, SESSION_KEY, catalog, current_lang, language_picker, t, url_lang

FAVICON = Path(__file__).resolve().parent.parent / "assets" / "favicon.png"
PROJECTOR_KEY = "_projector"

BASE_CSS = """<style>
/* less empty margin: at 1280 px the lesson gets the width, and the first screen matters */
[data-testid='stMainBlockContainer']{padding-top:2.5rem;padding-left:2.5rem;padding-right:2.5rem}
/* a button label wraps onto a second line instead of ending in '...' (Chinese, Polish) */
[data-testid^='stBaseButton'] [data-testid='stMarkdownContainer'] p{white-space:normal;overflow:visible;
  text-overflow:clip;overflow-wrap:break-word;line-height:1.25}
[data-testid^='stBaseButton']{height:auto;min-height:2.5rem}
/* chart ticks and legends in the text colour, not light grey */
.js-plotly-plot .xtick text,.js-plotly-plot .ytick text,.js-plotly-plot .legendtext{fill:#1e293b !important}
/* no scroll bar for the 2 px KaTeX's aligned blocks overhang (formulas are written to fit; a test checks) */
.katex-display{overflow:visible}
.gc-link button{width:100%;padding:0.45rem 0.75rem;border:1px solid rgba(49,51,63,0.25);border-radius:0.5rem;
  background:#fff;color:inherit;font:inherit;cursor:pointer;text-align:center;white-space:normal}
.gc-link button:hover{border-color:#1d4ed8;color:#1d4ed8}
.gc-link details{margin-top:0.35rem;font-size:0.85rem}
.gc-link label{display:block;margin:0.15rem 0}
.gc-link input[type=text]{width:100%;margin-top:0.35rem;font-size:0.75rem}
</style>"""

# Projector mode: bigger type and figures, no code listings, the full width for the lesson.
PROJECTOR_CSS = """<style>
html{font-size:22px}
[data-testid='stMainBlockContainer']{max-width:100%;padding-left:2rem;padding-right:2rem}
[data-testid='stExpander']:has([data-testid='stCode']){display:none}
[data-testid='stCaptionContainer']{font-size:0.95rem}
.stPlotlyChart{zoom:1.2}
</style>"""


def _url_flag(name: str) -> bool | None:
    raw = st.query_params.get(name)
    return None if raw is None else raw.lower() in ("1", "true", "on", "yes")


def projector_on() -> bool:
    """Projector mode: from ``?projector=1`` on a session's first run, then the sidebar toggle."""
    if PROJECTOR_KEY not in st.session_state:
        st.session_state[PROJECTOR_KEY] = bool(_url_flag("projector"))
    return bool(st.session_state[PROJECTOR_KEY])


def configure() -> None:
    """Page config and CSS; call first in app.py (before any other element)."""
    if url_lang():
        st.session_state.setdefault(EXPLICIT_KEY, True)
    projector = projector_on()
    st.set_page_config(page_title=t("common.app_title"), page_icon=str(FAVICON), layout="wide",
                       initial_sidebar_state="collapsed" if projector else "auto")
    st.html(BASE_CSS + (PROJECTOR_CSS if projector else "")
            + url_state.hide_css(url_state.hidden_keys()))


def _notes_key(namespace: str) -> str | None:
    """The page's presenter notes: ``notes.<namespace>`` (assets/i18n/<lang>/notes.json) or, for a
    page that keeps them in its own catalog, ``<namespace>.presenter_notes``; None without notes."""
    english = catalog("en")
    return next((k for k in (f"notes.{namespace}", f"{namespace}.presenter_notes") if k in english), None)


def sidebar(namespace: str):  # -> DeltaGenerator: the slot run_page fills with the link button
    """Language, projector mode, the slot for the link button, presenter notes (when the page has some)."""
    language_picker()
    st.sidebar.toggle(t("shell.projector"), key=PROJECTOR_KEY, help=t("shell.projector_help"))
    slot = st.sidebar.empty()
    key = _notes_key(namespace)
    if key is not None:
        with st.sidebar.expander(t("shell.notes"), icon=":material/speaker_notes:"):
            st.markdown(t(key))
    return slot


# Material Symbols "link" (Apache 2.0), inline: emoji need a colour-emoji font projectors often lack
LINK_ICON = ('<svg aria-hidden="true" width="18" height="18" viewBox="0 -960 960 960" fill="currentColor" '
             'style="vertical-align:-3px;margin-right:0.4rem"><path d="M440-280H280q-83 0-141.5-58.5T80-480q0-83 '
             '58.5-141.5T280-680h160v80H280q-50 0-85 35t-35 85q0 50 35 85t85 35h160v80ZM320-440v-80h320v80H320Zm200 '
             '160v-80h160q50 0 85-35t35-85q0-50-35-85t-85-35H520v-80h160q83 0 141.5 58.5T880-480q0 83-58.5 '
             '141.5T680-280H520Z"/></svg>')


def _link_widget(url: str, keys: list[str], hidden: list[str]) -> str:
    """HTML + script of the copy button: copies ``url`` (+ ``hide=`` of the ticked controls).

    The list of controls to hide is built in the browser from the page itself (each keyed widget's
    element carries the class st-key-<key>; its label is read from there), so it is in the reader's
    language without the server knowing any label."""
    node_id = "gc-link-" + hashlib.sha1(json.dumps([url, keys]).encode()).hexdigest()[:12]
    data = {"url": url, "keys": keys, "hidden": hidden, "copied": t("shell.copied"),
            "label": t("shell.copy_link")}
    return f"""<div class="gc-link" id="{node_id}" data-link='{html.escape(json.dumps(data), quote=True)}'>
<button type="button" class="gc-copy">{LINK_ICON}<span>{html.escape(t("shell.copy_link"))}</span></button>
<details><summary>{html.escape(t("shell.hide_controls"))}</summary><div class="gc-hide"></div></details>
<input type="text" class="gc-url" readonly hidden aria-label="{html.escape(t("shell.copy_link"))}">
</div>
<script>
(() => {{
  const root = document.getElementById("{node_id}");
  if (!root || root.dataset.ready) return;
  root.dataset.ready = "1";
  const d = JSON.parse(root.dataset.link);
  const hidden = new Set(d.hidden);
  const out = root.querySelector(".gc-url"), btn = root.querySelector(".gc-copy"), txt = btn.querySelector("span");
  const link = () => {{
    if (!hidden.size) return d.url;
    return d.url + (d.url.includes("?") ? "&" : "?") + "hide=" + [...hidden].sort().join(",");
  }};
  const show = () => {{ out.value = link(); root.dataset.href = link(); }};
  const labelOf = (k) => {{
    const el = document.querySelector(".st-key-" + CSS.escape(k));
    if (!el) return k;
    const l = el.querySelector("[data-testid='stWidgetLabel']") || el;
    return (l.innerText || "").trim().split("\\n")[0] || k;
  }};
  root.querySelector("details").addEventListener("toggle", () => {{
    const box = root.querySelector(".gc-hide");
    if (box.childElementCount) return;
    for (const k of d.keys) {{
      const lab = document.createElement("label"), cb = document.createElement("input");
      cb.type = "checkbox"; cb.checked = hidden.has(k); cb.dataset.key = k;
      cb.addEventListener("change", () => {{ cb.checked ? hidden.add(k) : hidden.delete(k); show(); }});
      lab.append(cb, " " + labelOf(k)); box.append(lab);
    }}
  }});
  btn.addEventListener("click", async () => {{
    show();
    let ok = false;
    try {{ await navigator.clipboard.writeText(link()); ok = true; }} catch (e) {{
      out.hidden = false; out.select();  // plain http on a classroom network: no clipboard API
      try {{ ok = document.execCommand("copy"); }} catch (e2) {{ ok = false; }}
    }}
    root.dataset.copied = ok ? "1" : "0";
    txt.textContent = ok ? d.copied : d.label;
    setTimeout(() => {{ txt.textContent = d.label; }}, 2500);
  }});
  show();
}})();
</script>"""


def _sync_url() -> None:
    """Keep ``lang`` (once chosen) and ``projector`` in the address bar; F5 then keeps them."""
    want: dict[str, str | None] = {"projector": "1" if st.session_state.get(PROJECTOR_KEY) else None}
    if st.session_state.get(EXPLICIT_KEY):
        want["lang"] = st.session_state.get(SESSION_KEY)
    for name, value in want.items():
        if value is None and name in st.query_params:
            del st.query_params[name]
        elif value is not None and st.query_params.get(name) != value:
            st.query_params[name] = value


def page_link(keys: list[str], settings: dict[str, url_state.Setting]) -> str:
    """The full link to this page with its current setup (language always included)."""
    params = {"lang": current_lang(), **url_state.bound_params(), **url_state.link_params(settings)}
    if st.session_state.get(PROJECTOR_KEY):
        params["projector"] = "1"
    from urllib.parse import urlencode

    base = st.context.url or ""
    return base + "?" + urlencode(params)


def run_page(page, page_id: str, slot) -> None:
    """Run the page inside the frame: link settings first, the page, then the link button."""
    url_state.apply_pending()
    page.run()
    if url_state.schedule_from_url(page_id):
        st.rerun()
    settings = url_state.rendered()
    keys = url_state.rendered_keys()
    if settings or url_state.bound_params():
        slot.html(_link_widget(page_link(keys, settings), keys, url_state.hidden_keys()),
                  unsafe_allow_javascript=True)
    _sync_url()
