"""GAN Classroom entry point: page config, language picker, navigation.

Run with ``streamlit run app.py``. Every page is one line in ``PAGES`` below.
"""

from __future__ import annotations

from pathlib import Path
from typing import NamedTuple

import streamlit as st

from ui import shell
from ui.i18n import t


class NavItem(NamedTuple):
    group: str  # key of GROUPS ("" = top, no header)
    path: str  # page file, relative to this file
    title_key: str  # i18n key in the page owner's namespace, e.g. "learn_story.nav_title"
    blurb_key: str  # one sentence for the home page's "what you can do here" list
    icon: str  # Material icon, ":material/<name>:" (https://fonts.google.com/icons)


# Section headers in display order; a group with no pages is left out.
GROUPS: dict[str, str] = {
    "": "",
    "learn": "common.group_learn",
    "train": "common.group_train",
    "explore": "common.group_explore",
    "img2img": "common.group_img2img",
    "society": "common.group_society",
}

# THE page list: add your page with one line, in reading order within its group. The first line is the
# default page. Only list files that exist; add "<ns>.nav_title" and "<ns>.nav_blurb" to your catalogs.
PAGES: list[NavItem] = [
    NavItem("", "pages/home.py", "home.nav_title", "home.nav_blurb", ":material/home:"),
    NavItem("learn", "pages/learn_story.py", "learn_story.nav_title", "learn_story.nav_blurb", ":material/menu_book:"),
    NavItem("learn", "pages/learn_playground.py", "learn_playground.nav_title", "learn_playground.nav_blurb", ":material/scatter_plot:"),
    NavItem("learn", "pages/learn_objectives.py", "learn_objectives.nav_title", "learn_objectives.nav_blurb", ":material/functions:"),
    NavItem("learn", "pages/learn_check.py", "learn_check.nav_title", "learn_check.nav_blurb", ":material/quiz:"),
    NavItem("train", "pages/train_mnist.py", "train.nav_title", "train.nav_blurb", ":material/model_training:"),
    NavItem("train", "pages/train_watch.py", "train_watch.nav_title", "train_watch.nav_blurb", ":material/live_tv:"),
    NavItem("explore", "pages/explore_gallery.py", "explore_gallery.nav_title", "explore_gallery.nav_blurb", ":material/photo_library:"),
    NavItem("explore", "pages/explore_latent.py", "explore_latent.nav_title", "explore_latent.nav_blurb", ":material/timeline:"),
    NavItem("explore", "pages/explore_cgan.py", "explore_cgan.nav_title", "explore_cgan.nav_blurb", ":material/pin:"),
    NavItem("explore", "pages/explore_infogan.py", "explore_infogan.nav_title", "explore_infogan.nav_blurb", ":material/tune:"),
    NavItem("img2img", "pages/img2img_receptive_field.py", "img2img_rf.nav_title", "img2img_rf.nav_blurb", ":material/center_focus_strong:"),
    NavItem("img2img", "pages/img2img_style.py", "img2img_style.nav_title", "img2img_style.nav_blurb", ":material/palette:"),
    NavItem("img2img", "pages/img2img_checkerboard.py", "img2img_checkerboard.nav_title", "img2img_checkerboard.nav_blurb", ":material/grid_on:"),
    NavItem("img2img", "pages/img2img_losses.py", "img2img_losses.nav_title", "img2img_losses.nav_blurb", ":material/compare:"),
    NavItem("society", "pages/society_deepfakes.py", "society_deepfakes.nav_title", "society_deepfakes.nav_blurb", ":material/theater_comedy:"),
    NavItem("society", "pages/society_trajectories.py", "society_trajectories.nav_title", "society_trajectories.nav_blurb", ":material/directions_walk:"),
]


@st.cache_resource(show_spinner=False)  # never "Running _init_torch()" on a first visit
def _init_torch() -> int:
    """Set torch's thread count once per process (shared by every session).

    The server trains up to MAX_RUNNING runs at once; each gets its share of the cores. Two runs
    with two OpenMP threads each on a 2-core laptop wait on each other at every barrier: an MLP
    step went from 23 ms to 111 ms when one other process was busy (measured here).
    """
    import os

    from gan_core.device import set_threads
    from ui.runs import MAX_RUNNING

    return set_threads(max(1, (os.cpu_count() or 1) // MAX_RUNNING))


def build_navigation():  # -> StreamlitPage
    unknown = sorted({item.group for item in PAGES} - set(GROUPS))
    if unknown:
        raise KeyError(f"app.PAGES uses unknown group(s) {unknown}; valid: {sorted(GROUPS)}")
    sections: dict[str, list[st.Page]] = {}
    for group, group_key in GROUPS.items():
        pages = [
            st.Page(item.path, title=t(item.title_key), icon=item.icon, default=item.path == PAGES[0].path)
            for item in PAGES
            if item.group == group
        ]
        if pages:
            sections[t(group_key) if group_key else ""] = pages
    # at the top: the sidebar stays free for each page's settings (on the first screen at 1280x800)
    return st.navigation(sections, position="top")


def current_item(page) -> NavItem:  # page: the StreamlitPage st.navigation chose
    return next((item for item in PAGES if Path(item.path).stem == page.url_path), PAGES[0])


def main() -> None:
    shell.configure()  # page config, local tab icon, CSS (projector mode, hidden controls)
    page = build_navigation()
    item = current_item(page)
    slot = shell.sidebar(item.title_key.split(".")[0])  # language, projector, presenter notes
    _init_torch()
    shell.run_page(page, item.path, slot)  # the page, a link's settings, "copy link to this setup"


if __name__ == "__main__":  # streamlit runs this file as __main__; pages may `from app import PAGES`
    main()
