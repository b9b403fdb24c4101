"""Every page runs inside app.py's frame, even as the very first request to a fresh server.

Why this exists: Streamlit treats a folder named ``pages/`` next to the entry script as a legacy
(v1) multipage app until ``st.navigation`` has run once in the server process
(``PagesManager.uses_pages_directory``). So on a freshly started server the first request to
``/train_mnist`` ran ``pages/train_mnist.py`` on its own: a sidebar of raw file names, no language
picker, no section headers, no styling. ``.streamlit/config.toml`` hides that legacy list
(``client.showSidebarNavigation = false``; app.py draws its own navigation at the top), and this
guard makes the legacy run restart through app.py before the page draws anything.

It runs when the ``ui`` package is first imported in the server process (``ui/__init__.py``).
Every page imports ``ui`` (its strings go through ``ui.i18n.t``) before it draws, and app.py imports
it too, so the first script run of the process always passes here. The rerun keeps the requested
page: a legacy page and app.py's page for the same file share their URL path, hence their id.
"""

from __future__ import annotations


def legacy_pages_mode() -> bool:
    """True while Streamlit still serves ``pages/*.py`` as a legacy app (before any st.navigation)."""
    try:
        from streamlit.runtime.pages_manager import PagesManager
    except ImportError:  # a Streamlit without this class has no legacy mode to leave
        return False
    return bool(PagesManager.uses_pages_directory)


def ensure_app_frame() -> None:
    """Inside a legacy run: switch Streamlit to app.py's navigation and rerun (no-op otherwise)."""
    if not legacy_pages_mode():
        return
    from streamlit.runtime.scriptrunner import get_script_run_ctx

    if get_script_run_ctx() is None:  # imported by a test or a script, not by a page run
        return
    import streamlit as st
    from streamlit.runtime.pages_manager import PagesManager

    PagesManager.uses_pages_directory = False  # what st.navigation itself does on its first call
    st.rerun()
