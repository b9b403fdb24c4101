"""Self-describing checkpoints: safetensors weights + a JSON sidecar.

    <stem>.safetensors   tensors of every module, keys prefixed by the module's name ("G.", "D.", "C.", ...)
    <stem>.json          family, config (the model config), train_config (the run config), step,
                         metrics, recipe (the command that made it), data_source, created (UTC ISO-8601),
                         sha256 of the .safetensors, params

`load(path)` rebuilds the modules from the files alone (the family + config select the classes
through the family registry, like nanoGPT's checkpoint["model_args"]), for any family.
Both files are written to temporary names first and then moved into place; a crash between the two
moves is rolled forward by the next reader (the new sidecar's sha256 matches the new weights). Loading never unpickles:
weights go through `safetensors.torch.load_file`, metadata through `json`. Anything that does not
match - bytes changed since saving, missing/extra tensors, wrong shapes, unknown family, bad
config - raises `CheckpointError` with a message naming the file and the culprit.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import os
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import torch
from torch import nn

REPO_ROOT = Path(__file__).resolve().parent.parent
SHIPPED_DIR = REPO_ROOT / "checkpoints"
CLASSIFIER_FAMILY = "classifier"
REQUIRED_KEYS = (
    "family",
    "config",
    "step",
    "metrics",
    "recipe",
    "data_source",
    "created",
    "sha256",
    "params",
)
_SUFFIXES = (".safetensors", ".json")
FORMAT = 2  # 2: train_config at the top level of the sidecar (1 kept it inside metrics)


class CheckpointError(ValueError):
    """A checkpoint file is missing, corrupt, tampered with or does not match its config."""


@dataclass(frozen=True)
class Checkpoint:
    family: str
    config: Any  # the family's frozen config dataclass (typed, rebuilt from the JSON)
    meta: dict  # the whole JSON sidecar
    modules: dict[str, nn.Module]  # "G" / "D" / "C" -> module in eval mode
    path: Path  # the stem (no suffix)

    @property
    def train_config(self) -> dict:
        return train_config_of(self.meta)


@dataclass(frozen=True)
class CheckpointInfo:
    """Cheap listing entry for the gallery (JSON only; weights are verified by `load`)."""

    path: Path  # stem: pass to load()
    family: str
    step: int
    metrics: dict = field(default_factory=dict)
    created: str = ""
    recipe: str = ""
    data_source: str = ""
    train_config: dict = field(default_factory=dict)

    @property
    def name(self) -> str:
        return self.path.name

    @property
    def capabilities(self) -> frozenset[str]:
        """What the checkpoint's family can do (empty for a family this version does not know)."""
        from gan_core.families import get_family

        try:
            return get_family(self.family).capabilities
        except KeyError:
            return frozenset()

    @property
    def shipped(self) -> bool:
        return self.path.parent.resolve() == SHIPPED_DIR.resolve()


def train_config_of(meta: dict) -> dict:
    """The run config a sidecar records (top-level since format 2; inside metrics before)."""
    value = meta.get("train_config", (meta.get("metrics") or {}).get("train_config"))
    return dict(value) if isinstance(value, dict) else {}


def stem_of(path: str | Path) -> Path:
    """'x/foo', 'x/foo.json' and 'x/foo.safetensors' all -> Path('x/foo')."""
    p = Path(path)
    return p.with_suffix("") if p.suffix in _SUFFIXES else p


def files_of(path: str | Path) -> tuple[Path, Path]:
    """(weights, sidecar) paths for a stem (suffix-safe for stems containing dots)."""
    s = str(stem_of(path))
    return Path(s + ".safetensors"), Path(s + ".json")


def sha256_file(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def _config_dict(config: Any) -> dict:
    if dataclasses.is_dataclass(config) and not isinstance(config, type):
        return dataclasses.asdict(config)
    return dict(config)


def _plain(value: Any) -> Any:
    """json.dumps fallback: numpy/torch scalars and arrays, paths; anything else is an error."""
    if hasattr(value, "tolist"):  # np.float32(0.5), np.ndarray, 0-d torch tensors
        return value.tolist()
    if isinstance(value, Path):
        return str(value)
    raise TypeError(f"{type(value).__name__} is not JSON-serialisable")


def save(
    path_stem: str | Path,
    *,
    modules: dict[str, nn.Module],
    family: str,
    config: dict | Any,
    step: int,
    metrics: dict,
    recipe: str,
    data_source: str,
    train_config: dict | Any = None,
) -> Path:
    """Write `<stem>.safetensors` + `<stem>.json`; returns the stem (what `load` accepts)."""
    from safetensors.torch import save_file

    if not modules:
        raise ValueError("save() needs at least one module")
    train = {} if train_config is None else _config_dict(train_config)
    config, metrics, train = json.loads(
        json.dumps([_config_dict(config), dict(metrics), train], default=_plain)
    )  # fail early
    tensors: dict[str, torch.Tensor] = {}
    params: dict[str, int] = {}
    for name, module in modules.items():
        if not name or "." in name:
            raise ValueError(f"module name {name!r} must be non-empty and contain no '.'")
        # clone: state_dict tensors may share storage, which safetensors refuses
        for key, t in module.state_dict().items():
            tensors[f"{name}.{key}"] = t.detach().to("cpu").clone().contiguous()
        params[name] = sum(p.numel() for p in module.parameters())
    weights, sidecar = files_of(path_stem)
    weights.parent.mkdir(parents=True, exist_ok=True)
    tmp, tmp_json = _tmp(weights), _tmp(sidecar)
    save_file(tensors, str(tmp), metadata={"family": family})
    os.chmod(tmp, 0o644)  # safetensors creates 0600; shipped/downloaded files should be readable
    meta = {
        "format": FORMAT,
        "family": family,
        "config": config,
        "train_config": train,
        "step": int(step),
        "metrics": metrics,
        "recipe": recipe,
        "data_source": data_source,
        "created": datetime.now(UTC).isoformat(timespec="seconds"),
        "sha256": sha256_file(tmp),
        "params": params,
    }
    tmp_json.write_text(json.dumps(meta, indent=2, sort_keys=False) + "\n", encoding="utf-8")
    # both files are complete before either is moved: a crash between the moves leaves a new
    # sidecar waiting in tmp_json whose sha256 matches the new weights (rolled forward by readers)
    os.replace(tmp, weights)
    os.replace(tmp_json, sidecar)
    return stem_of(weights)


def update_metrics(path_stem: str | Path, metrics: dict) -> None:
    """Merge ``metrics`` into a checkpoint's sidecar (the weights and their sha256 are unchanged)."""
    _, sidecar = files_of(path_stem)
    meta = read_meta(path_stem)
    meta["metrics"] = {**meta["metrics"], **json.loads(json.dumps(metrics, default=_plain))}
    tmp = _tmp(sidecar)
    tmp.write_text(json.dumps(meta, indent=2) + "\n", encoding="utf-8")
    os.replace(tmp, sidecar)


def _tmp(path: Path) -> Path:
    return path.with_name(path.name + ".tmp")


def _roll_forward(stem: Path) -> None:
    """Finish a save that crashed between its two moves (new weights, old sidecar)."""
    weights, sidecar = files_of(stem)
    pending = _tmp(sidecar)
    if not pending.is_file() or not weights.is_file() or _tmp(weights).exists():
        return
    try:
        recorded = json.loads(pending.read_text(encoding="utf-8")).get("sha256")
    except (OSError, ValueError, AttributeError):
        return
    if recorded == sha256_file(weights):
        os.replace(pending, sidecar)


def _known_families() -> list[str]:
    from gan_core.families import family_names

    return family_names()


def read_meta(path: str | Path) -> dict:
    """Parse and validate the JSON sidecar (required keys, types, known family)."""
    _roll_forward(stem_of(path))
    _, sidecar = files_of(path)
    if not sidecar.is_file():
        raise CheckpointError(f"{sidecar}: metadata file not found")
    try:
        meta = json.loads(sidecar.read_text(encoding="utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as e:
        raise CheckpointError(f"{sidecar}: not valid JSON ({e})") from e
    if not isinstance(meta, dict):
        raise CheckpointError(f"{sidecar}: expected a JSON object, got {type(meta).__name__}")
    missing = [k for k in REQUIRED_KEYS if k not in meta]
    if missing:
        raise CheckpointError(f"{sidecar}: missing required key(s): {', '.join(missing)}")
    for key, typ in (
        ("config", dict),
        ("metrics", dict),
        ("params", dict),
        ("step", int),
        ("family", str),
        ("sha256", str),
    ):
        if not isinstance(meta[key], typ):
            raise CheckpointError(
                f"{sidecar}: key {key!r} should be {typ.__name__}, got {type(meta[key]).__name__}"
            )
    families = _known_families()
    if meta["family"] not in families:
        raise CheckpointError(f"{sidecar}: unknown family {meta['family']!r}; valid: {', '.join(families)}")
    return meta


def _build(family: str, config: dict, where: Path) -> tuple[Any, dict[str, nn.Module]]:
    """Fresh modules for a family + model config dict. The config is validated (bounds included)
    before any module is built, so a sidecar claiming z_dim 1e9 fails here, not in an allocation."""
    from gan_core.families import get_family

    try:
        fam = get_family(family)
        cfg = fam.model_config(config)
        return cfg, fam.build(cfg)
    except (TypeError, ValueError, KeyError) as e:
        raise CheckpointError(f"{where}: config does not fit family {family!r}: {e}") from e


def _check_state(name: str, module: nn.Module, state: dict[str, torch.Tensor], where: Path) -> None:
    expected = module.state_dict()
    missing = sorted(set(expected) - set(state))
    extra = sorted(set(state) - set(expected))
    if missing:
        raise CheckpointError(
            f"{where}: tensor(s) missing for module {name}: {', '.join(name + '.' + k for k in missing[:5])}"
        )
    if extra:
        raise CheckpointError(
            f"{where}: unexpected tensor(s) for module {name}: {', '.join(name + '.' + k for k in extra[:5])}"
        )
    for key, t in expected.items():
        if tuple(state[key].shape) != tuple(t.shape):
            raise CheckpointError(
                f"{where}: tensor {name}.{key} has shape {tuple(state[key].shape)}, "
                f"but the config expects {tuple(t.shape)}"
            )


def load(path: str | Path, *, map_location: str | torch.device = "cpu") -> Checkpoint:
    """Verify and rebuild a checkpoint from `<stem>`, `<stem>.json` or `<stem>.safetensors`."""
    from safetensors import SafetensorError
    from safetensors.torch import load_file

    stem = stem_of(path)
    weights, _ = files_of(stem)
    meta = read_meta(stem)
    if not weights.is_file():
        raise CheckpointError(f"{weights}: weights file not found")
    digest = sha256_file(weights)
    if digest != meta["sha256"]:
        raise CheckpointError(
            f"{weights}: sha256 mismatch (file {digest[:12]}..., sidecar records {meta['sha256'][:12]}...): "
            "the weights were modified or corrupted after saving"
        )
    try:
        tensors = load_file(str(weights), device=str(map_location))  # never unpickles
    except (SafetensorError, OSError, RuntimeError) as e:
        raise CheckpointError(f"{weights}: not a readable safetensors file ({e})") from e
    config, candidates = _build(meta["family"], meta["config"], weights)
    by_module: dict[str, dict[str, torch.Tensor]] = {}
    for key, t in tensors.items():
        prefix, _, rest = key.partition(".")
        if prefix not in candidates or not rest:
            raise CheckpointError(
                f"{weights}: unexpected tensor {key!r} (family {meta['family']!r} has modules {', '.join(candidates)})"
            )
        by_module.setdefault(prefix, {})[rest] = t
    if not by_module:
        raise CheckpointError(f"{weights}: contains no tensors")
    modules: dict[str, nn.Module] = {}
    for name, state in by_module.items():  # a checkpoint may hold only some modules (e.g. G alone)
        module = candidates[name]
        _check_state(name, module, state, weights)
        module.load_state_dict(state, strict=True)
        modules[name] = module.to(map_location).eval()
    return Checkpoint(family=meta["family"], config=config, meta=meta, modules=modules, path=stem)


def runs_dir() -> Path:
    """Where saved runs live: `$GAN_CLASSROOM_RUNS`, else <repo>/runs."""
    return Path(os.environ.get("GAN_CLASSROOM_RUNS") or REPO_ROOT / "runs")


def default_folders() -> tuple[Path, Path]:
    return SHIPPED_DIR, runs_dir()


_LISTED: dict[str, tuple[tuple[int, int], CheckpointInfo | None]] = {}  # sidecar -> (mtime_ns, size), info


def _listed(sidecar: Path, stem: Path) -> CheckpointInfo | None:
    """The listing's view of one sidecar, parsed again only when its mtime or size changed (every page
    of the app lists the checkpoints on every rerun)."""
    try:
        st = sidecar.stat()
    except OSError:
        return None
    key, stamp = str(sidecar), (st.st_mtime_ns, st.st_size)
    known = _LISTED.get(key)
    if known is not None and known[0] == stamp:
        return known[1]
    info = _parse_listed(sidecar, stem)
    if len(_LISTED) > 4096:  # bounded: a server that saw many runs come and go
        _LISTED.clear()
    _LISTED[key] = (stamp, info)
    return info


def _parse_listed(sidecar: Path, stem: Path) -> CheckpointInfo | None:
    try:
        meta = json.loads(sidecar.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError):
        return None
    if not isinstance(meta, dict) or not all(k in meta for k in ("family", "sha256")):
        return None
    try:
        return CheckpointInfo(
            path=stem,
            family=str(meta["family"]),
            step=int(meta.get("step", 0) or 0),
            metrics=dict(meta.get("metrics") or {}),
            created=str(meta.get("created", "")),
            recipe=str(meta.get("recipe", "")),
            data_source=str(meta.get("data_source", "")),
            train_config=train_config_of(meta),
        )
    except (TypeError, ValueError):
        return None  # malformed sidecar: load() would explain why; the listing just skips it


def list_checkpoints(*folders: str | Path) -> list[CheckpointInfo]:
    """Checkpoints (a .json sidecar with its .safetensors next to it) under the folders, newest first.
    Reads JSON only (each sidecar once until it changes); files that are not checkpoints are skipped.
    Default: <repo>/checkpoints + <repo>/runs."""
    infos: list[CheckpointInfo] = []
    for folder in folders or default_folders():
        folder = Path(folder)
        if not folder.is_dir():
            continue
        for sidecar in sorted(folder.rglob("*.json")):
            stem = stem_of(sidecar)
            if not files_of(stem)[0].is_file():
                continue
            info = _listed(sidecar, stem)
            if info is not None:
                infos.append(info)
    return sorted(infos, key=lambda i: i.created, reverse=True)
