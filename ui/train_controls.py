"""The Train page's settings: sidebar widgets -> one frozen ``TrainConfig`` (or clear problems).

Widget values live in ``st.session_state`` under ``KEYS``; they are initialised from the course
preset once per session and overwritten when a preset is picked. Widgets never get a ``value=``
as well (Streamlit warns when both are set). ``build_config`` only reads session_state, so button
callbacks can call it too.
"""

from __future__ import annotations

import streamlit as st

from gan_core.classroom import limits
from gan_core.data.fashion import APT_HINT, FASHION_FOLDER
from gan_core.data.mnist import find_idx_files
from gan_core.training.config import LOSS_NAMES, TrainConfig
from gan_core.training.presets import COURSE, DEFAULT_PRESET, PRESETS, get_preset
from ui.i18n import t

MODELS = ("mlp", "dcgan")
DATASETS = ("mnist", "fashion-mnist")  # the live quality charts score MNIST digits only
LR_OPTIONS = (1e-5, 2e-5, 5e-5, 1e-4, 2e-4, 4e-4, 6e-4, 1e-3, 2e-3, 5e-3, 1e-2)  # about log scale
SHIFT_OPTIONS = (0, 1, 2, 3, 4)  # DiffAugment: px D's images are shifted by
R1_OPTIONS = (0.0, 0.5, 1.0, 2.0, 5.0, 10.0)  # gamma of R1 (0: off)
R1_EVERY_OPTIONS = (1, 2, 4, 8, 16)
BETA2_OPTIONS = (0.9, 0.99, 0.999)
BATCH_OPTIONS = (16, 32, 64, 128, 256)
Z_OPTIONS = (0, 2, 8, 16, 32, 64, 100, 128)  # 0: the model's own default (MLP 128, DCGAN 64)
MAX_STEPS = limits().max_steps  # the step budget a student may ask for (.streamlit/classroom.toml)
PRESET_KEY = "train_preset"

# TrainConfig field -> widget key
KEYS = {
    "model": "train_model", "loss": "train_loss", "lr_g": "train_lr_g", "lr_d": "train_lr_d",
    "beta1": "train_beta1", "beta2": "train_beta2", "batch_size": "train_batch",
    "d_steps": "train_k", "z_dim": "train_z", "batchnorm": "train_bn",
    "leaky_slope": "train_slope", "label_smoothing": "train_smooth", "seed": "train_seed",
    "steps": "train_steps", "dataset": "train_dataset", "augment_shift": "train_shift",
    "r1_weight": "train_r1", "r1_every": "train_r1_every",
}
_KEEP_ON_PRESET = ("seed", "steps", "dataset")  # a preset turns knobs; it keeps the seed, budget and data


def _widget_value(field: str, config: TrainConfig) -> object:
    value = getattr(config, field)
    if field == "z_dim":
        return value or 0
    if field == "batchnorm":
        return bool(value)
    return value


def apply_preset(key: str | None = None) -> None:
    """Copy a preset's settings into the widgets (callback of the preset selectbox)."""
    preset = get_preset(key or st.session_state.get(PRESET_KEY, DEFAULT_PRESET))
    for field, widget in KEYS.items():
        if field in _KEEP_ON_PRESET and widget in st.session_state:
            continue
        st.session_state[widget] = _widget_value(field, preset.config)


def init_state() -> None:
    """The default preset's settings on a session's first visit (widgets then read session_state)."""
    st.session_state.setdefault(PRESET_KEY, DEFAULT_PRESET)
    if any(widget not in st.session_state for widget in KEYS.values()):
        start = get_preset(st.session_state[PRESET_KEY]).config
        for field, widget in KEYS.items():
            st.session_state.setdefault(widget, _widget_value(field, start))


def snapshot_every(steps: int) -> int:
    """About 40 frames per run (the film strip), at most every 50 steps, at least every step."""
    return max(1, min(50, steps // 40))


def build_config() -> tuple[TrainConfig | None, list[str]]:
    """The config the widgets describe, or (None, translated problems) for a bad combination."""
    s = st.session_state
    values = {field: s.get(widget) for field, widget in KEYS.items()}
    values["z_dim"] = values["z_dim"] or None
    problems = []
    if values["dataset"] == "fashion-mnist" and not fashion_installed():
        problems.append(t("train.problem_fashion_missing", hint=APT_HINT))
    if values["loss"] == "wgan-gp" and values["model"] == "dcgan" and values["batchnorm"]:
        problems.append(t("train.problem_gp_batchnorm"))
    try:
        steps = int(values["steps"])
        config = TrainConfig(**{**values, "steps": steps, "seed": int(values["seed"])},
                             snapshot_every=snapshot_every(steps))
    except (TypeError, ValueError) as exc:
        return None, [*problems, t("train.problem_invalid", details=str(exc))]
    return (None, problems) if problems else (config, [])


def fashion_installed() -> bool:
    """Debian's Fashion-MNIST files are there (a file check: loading waits for the run's thread)."""
    return find_idx_files(FASHION_FOLDER, "train", subdirs=("", "FashionMNIST/raw")) is not None


def _lr_label(v: float) -> str:
    return f"{v:.0e}".replace("e-0", "e-")


def preset_picker() -> str:
    """Preset selectbox (main area, next to Start) + its one sentence on what to watch for."""
    key = st.selectbox(t("train.preset"), list(PRESETS), key=PRESET_KEY,
                       format_func=lambda k: t(PRESETS[k].name_key), on_change=apply_preset)
    return key


def settings_sidebar() -> None:
    """All knobs of the run, in the sidebar (the main area stays free for the class to watch)."""
    sb = st.sidebar
    sb.subheader(t("train.settings"))
    sb.selectbox(t("train.dataset"), DATASETS, key=KEYS["dataset"], help=t("train.dataset_help"),
                 format_func=lambda d: t(f"train.dataset_{d.replace('-', '_')}"))
    sb.selectbox(t("train.model"), MODELS, key=KEYS["model"], format_func=lambda m: t(f"train.model_{m}"),
                 help=t("train.model_help"))
    sb.selectbox(t("train.loss"), LOSS_NAMES, key=KEYS["loss"],
                 format_func=lambda n: t(f"train.loss_{n.replace('-', '_')}"))
    sb.select_slider(t("train.lr_g"), LR_OPTIONS, key=KEYS["lr_g"], format_func=_lr_label)
    sb.select_slider(t("train.lr_d"), LR_OPTIONS, key=KEYS["lr_d"], format_func=_lr_label)
    sb.slider(t("train.beta1"), 0.0, 0.99, step=0.01, key=KEYS["beta1"], help=t("train.beta1_help"))
    sb.select_slider(t("train.beta2"), BETA2_OPTIONS, key=KEYS["beta2"])
    sb.select_slider(t("train.batch_size"), BATCH_OPTIONS, key=KEYS["batch_size"])
    sb.slider(t("train.d_steps"), 1, 10, key=KEYS["d_steps"], help=t("train.d_steps_help"))
    sb.select_slider(t("train.z_dim"), Z_OPTIONS, key=KEYS["z_dim"],
                     format_func=lambda z: t("train.z_auto") if z == 0 else str(z))
    sb.toggle(t("train.batchnorm"), key=KEYS["batchnorm"], help=t("train.batchnorm_help"))
    sb.slider(t("train.leaky_slope"), 0.0, 0.5, step=0.05, key=KEYS["leaky_slope"], help=t("train.leaky_slope_help"))
    sb.slider(t("train.label_smoothing"), 0.0, 0.3, step=0.05, key=KEYS["label_smoothing"],
              help=t("train.label_smoothing_help"))
    sb.select_slider(t("train.augment_shift"), SHIFT_OPTIONS, key=KEYS["augment_shift"],
                     help=t("train.augment_shift_help"))
    sb.select_slider(t("train.r1_weight"), R1_OPTIONS, key=KEYS["r1_weight"], help=t("train.r1_weight_help"))
    sb.select_slider(t("train.r1_every"), R1_EVERY_OPTIONS, key=KEYS["r1_every"], help=t("train.r1_every_help"),
                     disabled=float(st.session_state.get(KEYS["r1_weight"], 0.0)) == 0.0)
    sb.number_input(t("train.seed"), min_value=0, max_value=2**31 - 1, step=1, key=KEYS["seed"])
    sb.number_input(t("train.steps"), min_value=1, max_value=MAX_STEPS, step=100, key=KEYS["steps"],
                    help=t("train.steps_help"))


def describe(config: TrainConfig, base: TrainConfig | None = None) -> str:
    """Short label of what differs from ``base`` (default: the course preset), e.g. 'beta1=0.9'."""
    base = base or COURSE
    names = {"lr_g": "lr G", "lr_d": "lr D", "d_steps": "k", "batch_size": "batch",
             "label_smoothing": "smooth", "leaky_slope": "slope", "z_dim": "z", "augment_shift": "shift",
             "r1_weight": "R1", "r1_every": "R1 every"}
    diffs = []
    for field in KEYS:
        if field == "steps":
            continue
        value = getattr(config, field)
        if value != getattr(base, field):
            shown = _lr_label(value) if field in ("lr_g", "lr_d") else value
            diffs.append(f"{names.get(field, field)}={shown}")
    return ", ".join(diffs[:3]) + (" ..." if len(diffs) > 3 else "")
