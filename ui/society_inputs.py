"""The inputs of the Social GAN page's first section: the ETH/UCY folder box, the scene a student lays
out in the sandbox, and reading a chosen scene (a message, never a traceback, for a bad file)."""
from __future__ import annotations

import pandas as pd
import streamlit as st

from gan_core.data.idx import DataUnavailable
from gan_core.data.trajectories import SPLITS
from gan_core.trajectory_eval import default_eth_ucy
from gan_core.trajectory_scenes import MAX_SANDBOX, SANDBOX_LIMIT, SandboxError, Scene, sandbox_scene
from ui import society as S
from ui.i18n import t

NS = "society_trajectories"
FOLDER_KEY, WALLS_KEY, TABLE_KEY, TABLE_VERSION = "sg_folder", "sg_walls", "sg_table", "sg_table_version"
DEFAULT_SANDBOX = [[-6.0, 0.0, 8.0, 0.0], [6.0, 0.3, -8.0, 0.3], [0.0, -6.0, 0.0, 8.0], [-6.5, 1.0, 7.5, 1.0]]


def scene_name(source: str) -> str:
    kind, _, name = source.partition(":")
    return t(f"{NS}.scene_{name}") if kind == "synthetic" else (t(f"{NS}.scene_sandbox") if kind == S.SANDBOX
                                                                   else t(f"{NS}.scene_eth_ucy", split=name))


def data_folder() -> str | None:
    """The ETH/UCY folder box; returns a folder with at least one split, or None (message shown)."""
    if FOLDER_KEY not in st.session_state:
        st.session_state[FOLDER_KEY] = str(default_eth_ucy() or "")
    with st.popover(t(f"{NS}.folder_header"), icon=":material/folder_open:", width="stretch"):
        folder = st.text_input(t(f"{NS}.folder"), key=FOLDER_KEY, help=t(f"{NS}.folder_help")).strip()
        if not folder:
            st.caption(t(f"{NS}.folder_none"))
            return None
        splits = S.folder_splits(folder)
        if not splits:
            st.error(t(f"{NS}.folder_bad", folder=folder, splits=", ".join(SPLITS)),
                     icon=":material/folder_off:")
            return None
        st.caption(t(f"{NS}.folder_ok", splits=", ".join(splits)))
        return folder


def sandbox() -> Scene | None:
    """The student's layout (start and goal of each pedestrian), simulated; None with a message."""
    st.markdown(t(f"{NS}.sandbox_intro", n=MAX_SANDBOX, limit=SANDBOX_LIMIT))
    walls = st.selectbox(t(f"{NS}.walls"), ("open", "corridor"), key=WALLS_KEY,
                         format_func=lambda w: t(f"{NS}.walls_{w}"))
    version = int(st.session_state.get(TABLE_VERSION, 0))
    cols = {c: st.column_config.NumberColumn(t(f"{NS}.col_{c}"), min_value=-SANDBOX_LIMIT,
                                             max_value=SANDBOX_LIMIT, step=0.5, format="%.1f")
            for c in ("x0", "y0", "x1", "y1")}
    base = pd.DataFrame(DEFAULT_SANDBOX, columns=list(cols))
    edited = st.data_editor(base, key=f"{TABLE_KEY}_{version}", num_rows="dynamic", hide_index=True,
                            column_config=cols, width="stretch")
    if st.button(t(f"{NS}.sandbox_reset"), key="sg_sandbox_reset", icon=":material/restart_alt:"):
        st.session_state[TABLE_VERSION] = version + 1
        st.rerun()
    try:
        scene, left = sandbox_scene(edited[list(cols)].to_numpy(dtype=object).tolist(), walls=walls)
    except SandboxError as err:
        st.error(t(f"{NS}.sandbox_{err.code}", **err.params), icon=":material/error:")
        return None
    if left:
        st.warning(t(f"{NS}.sandbox_left", n=left), icon=":material/directions_walk:")
    return scene


def read_scene(source: str, folder: str | None) -> Scene | None:
    """A synthetic or ETH/UCY scene; None with a message when its files cannot be read or hold no window."""
    try:
        scene = S.scene_of(source, folder)
    except (ValueError, DataUnavailable) as err:  # TrajectoryFileError is a ValueError
        st.error(t(f"{NS}.scene_unreadable", scene=scene_name(source), error=str(err)),
                 icon=":material/error:")
        return None
    if scene.windows.num_windows == 0:
        st.warning(t(f"{NS}.scene_empty", scene=scene_name(source)), icon=":material/hourglass_empty:")
        return None
    return scene
