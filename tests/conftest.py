"""Shared pytest fixtures for the app tests (owner: UI shell). Keep this file small.

Fixtures
--------
``app_test(page=None, *, lang="en", timeout=60) -> AppTest``
    Factory: runs ``app.py`` with ``streamlit.testing.v1.AppTest`` (language preset in
    ``st.session_state["lang"]``), optionally switches to ``page`` (e.g. ``"pages/train_mnist.py"``),
    and asserts that no exception was rendered. Widgets are found by key:
    ``at.button(key="home_new_samples").click().run()``; the language picker is
    ``at.sidebar.selectbox(key="_lang_picker")``.

``tiny_generator_checkpoint -> Path``
    A random-weight, small MLP generator saved with ``gan_core.checkpoints.save`` in ``tmp_path``
    (returns the stem). Seeded, so its samples are reproducible.

``checkpoints_dir -> Path``
    Folder holding ``tiny_generator_checkpoint``; ``$GAN_CLASSROOM_CHECKPOINTS`` points at it for the
    test, so pages that honour that variable (home) show only this checkpoint. ``empty_checkpoints_dir``
    does the same with an empty folder (the "no model trained yet" path).

``classroom_limits(**limits) -> Path``
    Factory: writes a ``.streamlit/classroom.toml`` with those ``[limits]`` in ``tmp_path``, points
    ``$GAN_CLASSROOM_CONFIG`` at it and clears ``gan_core.classroom.limits()``'s cache (again after the
    test). Only values read per call follow it; module constants such as ``ui.runs.MAX_RUNNING`` do not.

Autouse ``_navigation_not_pages_dir``
    Streamlit treats a folder named ``pages/`` next to the entry script as a legacy (v1) multipage app
    until ``st.navigation`` runs. ``AppTest`` resets that flag before every run, so from the second run
    on it would execute the page script *without* ``app.py`` (no sidebar, no language picker). We use
    ``st.navigation`` only, so the flag is forced off for every test.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

import pytest

# every figure built through ui.charts.figure is checked against plotly's schema under the tests
# (the app skips that check for speed); set before any page or bench module builds one
os.environ.setdefault("GAN_CLASSROOM_CHECK_FIGURES", "1")

ROOT = Path(__file__).resolve().parent.parent
CHECKPOINTS_ENV = "GAN_CLASSROOM_CHECKPOINTS"


@pytest.fixture(autouse=True)
def _navigation_not_pages_dir(monkeypatch: pytest.MonkeyPatch) -> None:
    try:
        from streamlit.runtime.pages_manager import PagesManager
    except ImportError:  # streamlit missing: nothing to patch (app tests will fail on their own)
        return
    original_init = PagesManager.__init__

    def init(self, *args, **kwargs) -> None:
        original_init(self, *args, **kwargs)
        PagesManager.uses_pages_directory = False

    monkeypatch.setattr(PagesManager, "__init__", init)


def _format_exceptions(at) -> str:
    return "\n\n".join(f"{e.message}\n" + "\n".join(e.stack_trace) for e in at.exception)


@pytest.fixture
def app_test() -> Callable[..., object]:
    from streamlit.testing.v1 import AppTest

    def make(page: str | None = None, *, lang: str = "en", timeout: float = 60) -> AppTest:
        at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=timeout)
        at.session_state["lang"] = lang
        at.run()
        if page is not None:
            at.switch_page(page).run()
        assert not at.exception, _format_exceptions(at)
        return at

    return make


@pytest.fixture
def tiny_generator_checkpoint(tmp_path: Path) -> Path:
    import torch
    from _families import build

    from gan_core import checkpoints

    torch.manual_seed(0)
    G, _D, config = build("mlp", z_dim=8, g_hidden=32, d_hidden=16)
    return checkpoints.save(
        tmp_path / "ckpt" / "tiny_mlp",
        modules={"G": G},
        family="mlp",
        config=config,
        step=7,
        metrics={},
        train_config={"dataset": "mnist"},
        recipe="(test fixture: random weights)",
        data_source="mnist: none (random weights)",
    )


@pytest.fixture
def checkpoints_dir(tiny_generator_checkpoint: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tiny_generator_checkpoint.parent
    monkeypatch.setenv(CHECKPOINTS_ENV, str(folder))
    return folder


@pytest.fixture
def empty_checkpoints_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "no_checkpoints"
    folder.mkdir()
    monkeypatch.setenv(CHECKPOINTS_ENV, str(folder))
    return folder


@pytest.fixture
def explore_ckpts(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Small random-weight checkpoints of every Explore family (tests/_explore_ckpts.py), listed
    to the app through $GAN_CLASSROOM_CHECKPOINTS."""
    from _explore_ckpts import make_checkpoints

    folder = make_checkpoints(tmp_path / "ckpts")
    monkeypatch.setenv("GAN_CLASSROOM_CHECKPOINTS", str(folder))
    return folder


@pytest.fixture
def classroom_limits(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    from gan_core.classroom import CONFIG_ENV, limits

    def make(**values: object) -> Path:
        path = tmp_path / "classroom.toml"
        path.write_text("[limits]\n" + "".join(f"{k} = {str(v).lower()}\n" for k, v in values.items()))
        monkeypatch.setenv(CONFIG_ENV, str(path))
        limits.cache_clear()
        return path

    yield make
    limits.cache_clear()  # before monkeypatch restores the variable: the next read sees the real file


@pytest.fixture(scope="module")
def one_torch_thread():
    """torch at one thread for a module's tests (numbers reproducible, no oversubscription), restored after;
    a module opts in with ``pytestmark = pytest.mark.usefixtures("one_torch_thread")``."""
    import torch

    n = torch.get_num_threads()
    torch.set_num_threads(1)
    yield
    torch.set_num_threads(n)
