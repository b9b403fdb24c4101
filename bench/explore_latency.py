"""How long a redraw of the Explore pages takes after a slider move or a click.

Each interaction (slider, pills, button, select box) is applied with Streamlit's AppTest and the
whole script rerun is timed: app.py + the page, i.e. everything the server computes before it
sends the new page (the browser's drawing is not included). Uses the shipped checkpoints.

    python -m bench.explore_latency [--quick]
Last line: {"p50_ms": ..., "p95_ms": ..., "n": ..., "pages": {...}}  (p95 is the figure; goal <= 100)
"""
from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path

from bench.common import emit, parser, percentile

ROOT = Path(__file__).resolve().parent.parent


def _no_pages_dir() -> None:
    # As tests/conftest.py: we navigate with st.navigation, not the legacy pages/ folder.
    from streamlit.runtime.pages_manager import PagesManager

    original = PagesManager.__init__

    def init(self, *args, **kwargs) -> None:
        original(self, *args, **kwargs)
        PagesManager.uses_pages_directory = False

    PagesManager.__init__ = init


Action = Callable[[object], None]


def _scenarios(quick: bool) -> dict[str, list[Action]]:
    r = range(2 if quick else 5)
    return {
        "pages/explore_gallery.py": [
            *(lambda at: at.button(key="gallery_new").click() for _ in r),
            *(lambda at, i=i: at.number_input(key="gallery_seed").set_value(100 + i) for i in r),
            *(lambda at, i=i: at.select_slider(key="gallery_timeline_mnist_dcgan").set_value(
                at.select_slider(key="gallery_timeline_mnist_dcgan").options[i % 4]) for i in r),
        ],
        "pages/explore_latent.py": [
            *(lambda at, i=i: at.pills(key="latent_pick").set_value([i, i + 3]) for i in r),
            *(lambda at, i=i: at.slider(key="latent_steps").set_value(6 + i) for i in r),
            lambda at: at.pills(key="latent_pick").set_value([0, 1, 2, 3]),
            *(lambda at, i=i: at.pills(key="latent_group_a").set_value([i, 10, 11]) for i in r),
            *(lambda at, i=i: at.slider(key="latent_sigma").set_value(0.1 * (i + 1)) for i in r),
            *(lambda at, c=c: at.segmented_control(key="latent_concept").set_value(c)
              for c in ("slant", "class", "thickness")),
            *(lambda at, i=i: at.pills(key="latent_base").set_value(i + 1) for i in r),
        ],
        "pages/explore_cgan.py": [
            *(lambda at, i=i: at.button(key=f"cgan_btn_{i}").click() for i in r),
            *(lambda at: at.button(key="cgan_new_style").click() for _ in r),
        ],
        "pages/explore_infogan.py": [
            *(lambda at, i=i: at.segmented_control(key="infogan_c1").set_value(i) for i in r),
            *(lambda at, i=i: at.slider(key="infogan_c2").set_value(-2.0 + i * 0.5) for i in r),
            *(lambda at, i=i: at.slider(key="infogan_c3").set_value(2.0 - i * 0.5) for i in r),
        ],
    }


def main() -> None:
    args = parser(__doc__.splitlines()[0]).parse_args()
    from streamlit.testing.v1 import AppTest

    from gan_core.device import set_threads

    set_threads()
    _no_pages_dir()
    times: list[float] = []
    per_page: dict[str, float] = {}
    for page, actions in _scenarios(args.quick).items():
        at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
        at.session_state["lang"] = "en"
        at.run()
        at.switch_page(page).run()
        at.run()  # warm: models loaded, caches filled (a lecturer opens the page once)
        if at.exception:
            raise SystemExit(f"{page}: {at.exception[0].message}")
        page_times = []
        for act in actions:
            act(at)
            t0 = time.perf_counter()
            at.run()
            page_times.append((time.perf_counter() - t0) * 1000)
            if at.exception:
                raise SystemExit(f"{page}: {at.exception[0].message}")
        per_page[Path(page).stem] = round(percentile(page_times, 95), 1)
        print(f"{page:<28} {len(page_times):>3} redraws  p50 {percentile(page_times, 50):6.1f} ms"
              f"  p95 {percentile(page_times, 95):6.1f} ms  max {max(page_times):6.1f} ms", flush=True)
        times += page_times
    print(f"{len(times)} redraws in all; p95 per page (ms): {per_page}")
    emit({"p50_ms": percentile(times, 50), "p95_ms": percentile(times, 95)})


if __name__ == "__main__":
    main()
