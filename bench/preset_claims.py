"""Is every Train-page preset's "watch for" sentence true? Each preset runs from scratch for its
steps on the embedded 5,000 digits (fixed seed), traced every 250 steps (``preset_trace``), and
its claim (``preset_claims``) is judged on the trace; claims that compare with the course settings
use the course preset's trace. Prints each trace and verdict.

    python -m bench.preset_claims [--quick] [--presets fast,course]
JSON: {"presets", "claims_true", "false"}   (--quick: two presets, 500 steps: a smoke run only)
"""
from __future__ import annotations

import json

from bench.common import emit, parser
from gan_core.data import load_mnist
from gan_core.device import set_threads
from gan_core.training.preset_claims import CLAIMS
from gan_core.training.preset_trace import as_dicts, trace_run
from gan_core.training.presets import PRESETS


def main() -> None:
    p = parser(__doc__.splitlines()[0])
    p.add_argument("--presets", default=",".join(PRESETS), help="comma-separated preset keys")
    args = p.parse_args()
    set_threads()
    data = load_mnist()
    keys = ["course", "fast"] if args.quick else [k for k in args.presets.split(",") if k]
    steps = 500 if args.quick else None
    unknown = [k for k in keys if k not in PRESETS]
    if unknown:
        raise SystemExit(f"unknown preset(s) {unknown}; valid: {', '.join(PRESETS)}")
    traces = {}
    for key in ["course", *[k for k in keys if k != "course"]]:  # the course trace is every comparison's base
        traces[key] = trace_run(PRESETS[key].config, data, steps=steps)
        print(f"{key}: {PRESETS[key].config.steps if steps is None else steps} steps", flush=True)
        for point in as_dicts(traces[key]):
            print("  " + json.dumps(point), flush=True)
    false = []
    for key in keys:
        verdict = CLAIMS[key](traces[key], traces["course"])
        print(f"{key:>11}: {'TRUE ' if verdict.holds else 'FALSE'} {verdict.evidence}", flush=True)
        if not verdict.holds:
            false.append(key)
    emit({"presets": len(keys), "claims_true": len(keys) - len(false), "false": false})


if __name__ == "__main__":
    main()
