"""Idle-machine training time of the shipped checkpoints: each recipe re-run for a slice of its steps.

The ``train_seconds`` in a sidecar is the wall time of the run that made the checkpoint, and those runs
shared the two cores with another training, so they say little about how long the recipe takes on a
lecturer's idle laptop. This benchmark replays each checkpoint's recorded recipe (same flags, same
data) into a scratch folder for a slice of its steps, with every core, no evaluation and one timeline
frame, and projects the full run from the measured seconds per step (a training step costs the same
at step 10 and at step 10,000 in every family here). Recipes that differ only in ``--steps`` are timed
once. Run it on an otherwise idle machine.

    python -m bench.train_time [--quick] [--only pix2pix_ social_gan_eth ...] [--seconds 30] [--write]

``--write`` stores the figures in each sidecar's metrics (``idle_train_seconds``, ``idle_s_per_step``,
``idle_timed_steps``, ``idle_threads``; weights and sha256 untouched) so README's "Shipped models"
table shows them; ``--quick`` times three small recipes for a few seconds each.
Last line: {"models", "idle_minutes_total", "idle_minutes_max", "slowest"}
"""
from __future__ import annotations

import re
import shlex
import subprocess
import sys
import tempfile
from pathlib import Path

from bench.common import emit, parser

QUICK = ("pix2pix_completion_l1", "social_lstm_univ", "detector_dcgan")


def slice_steps(full_steps: int, recorded_s_per_step: float | None, seconds: float) -> int:
    """Steps to time: about ``seconds`` at the recorded (shared-machine, so slower) pace, 20..full."""
    if not recorded_s_per_step or recorded_s_per_step <= 0:
        return max(20, min(full_steps, 200))
    return max(20, min(full_steps, round(seconds / recorded_s_per_step)))


def slice_command(recipe: str, steps: int, out: Path) -> list[str]:
    """The recipe as argv with ``--steps`` and ``--out`` replaced, evaluation and extra frames off."""
    argv = shlex.split(recipe)
    if argv[:3] != ["python", "-m", "gan_core"] or "train" not in argv:
        raise ValueError(f"not a gan_core train recipe: {recipe}")
    cleaned: list[str] = []
    skip = False
    for token in argv[3:]:
        if skip:
            skip = False
            continue
        if token in ("--steps", "--out", "--threads", "--eval-n", "--snapshots"):
            skip = True
            continue
        cleaned.append(token)
    return [sys.executable, "-m", "gan_core", *cleaned, "--steps", str(steps), "--out", str(out),
            "--eval-n", "0", "--snapshots", "1", "--overwrite"]


def recipe_key(recipe: str) -> str:
    """The recipe without its step budget and destination (runs that differ only there share a pace)."""
    text = re.sub(r"--steps \d+", "", recipe)
    return re.sub(r"--out \S+", "", text).strip()


def time_slice(recipe: str, steps: int) -> tuple[float, int]:
    """(seconds of training, threads) for ``steps`` steps of ``recipe`` in a scratch folder."""
    from gan_core import checkpoints

    with tempfile.TemporaryDirectory(prefix="gc_train_time_") as tmp:
        out = Path(tmp) / "slice"
        cmd = slice_command(recipe, steps, out)
        done = subprocess.run(cmd, check=False, cwd=checkpoints.REPO_ROOT, capture_output=True, text=True)
        if done.returncode != 0:
            tail = (done.stderr or done.stdout).strip().splitlines()[-3:]
            raise RuntimeError(f"{' '.join(cmd[1:])} failed: {' | '.join(tail)}")
        metrics = checkpoints.read_meta(out)["metrics"]
        return float(metrics["train_seconds"]), int(metrics.get("threads") or 0)


def main() -> int:
    p = parser(__doc__.splitlines()[0])
    p.add_argument("--only", nargs="*", default=None, help="checkpoint names (prefixes) to time")
    p.add_argument("--seconds", type=float, default=30.0, help="rough length of each timed slice")
    p.add_argument("--write", action="store_true", help="store the figures in the sidecars")
    args = p.parse_args()

    from gan_core import checkpoints
    from gan_core.shipped_table import shipped, shipped_name

    wanted = QUICK if args.quick and not args.only else args.only
    seconds = 4.0 if args.quick else args.seconds
    paces: dict[str, tuple[float, int, int]] = {}
    rows = []
    for info in shipped():
        name = shipped_name(info)
        recipe = info.recipe or ""
        if wanted and not any(name.startswith(w) for w in wanted):
            continue
        if " train " not in f" {recipe} " or info.step <= 0:
            print(f"{name:42s} skipped: no train recipe")
            continue
        key = recipe_key(recipe)
        if key not in paces:
            recorded = info.metrics.get("train_seconds")
            per = recorded / info.step if isinstance(recorded, (int, float)) and recorded > 0 else None
            steps = slice_steps(info.step, per, seconds)
            try:
                took, threads = time_slice(recipe, steps)
            except (RuntimeError, ValueError, OSError, KeyError) as exc:
                print(f"{name:42s} FAILED: {exc}")
                continue
            paces[key] = (took / steps, steps, threads)
        per_step, steps, threads = paces[key]
        idle = per_step * info.step
        recorded = info.metrics.get("train_seconds")
        shared = f"{recorded / 60:6.1f}" if isinstance(recorded, (int, float)) else "     -"
        print(f"{name:42s} {info.step:6d} steps  idle {idle / 60:6.1f} min  (shared-machine run {shared} min;"
              f" timed {steps} steps, {per_step * 1000:.1f} ms/step, {threads} threads)", flush=True)
        rows.append((name, idle))
        if args.write:
            checkpoints.update_metrics(info.path, {
                "idle_train_seconds": round(idle, 1), "idle_s_per_step": round(per_step, 5),
                "idle_timed_steps": steps, "idle_threads": threads})
    if not rows:
        print("nothing timed", file=sys.stderr)
        return 1
    slowest = max(rows, key=lambda r: r[1])
    emit({"models": len(rows), "idle_minutes_total": round(sum(r[1] for r in rows) / 60, 1),
          "idle_minutes_max": round(slowest[1] / 60, 1), "slowest": slowest[0]})
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
