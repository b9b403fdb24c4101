"""What each Train-page preset's "watch for" sentence promises, as a check on a traced run.

``bench.preset_claims`` runs every preset for its steps on the embedded 5,000 digits, traces it
(``preset_trace``) and judges each claim here. Claims that compare with the course settings get
the course preset's trace as ``course``. The sentences themselves live in the i18n catalogs
(``train.preset_<key>_watch``); each check below names the sentence's words it tests, so a
sentence changed in one place and not the other shows up as a failed claim.
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from statistics import fmean as _mean

from gan_core.training.preset_trace import TracePoint

Trace = list[TracePoint]


@dataclass(frozen=True)
class Verdict:
    holds: bool
    evidence: str  # the numbers the verdict rests on, for the benchmark's printout


def _first_all_digits(trace: Trace) -> int | None:
    """The first traced step at which every digit is at least 5% of the samples."""
    return next((p.step for p in trace if p.min_share >= 0.05), None)


def fast(trace: Trace, course: Trace) -> Verdict:
    """"all ten digits, each at least 5% of the samples, by about FAST_DIGITS_STEPS steps; then the
    count wobbles between 8 and 10" (the coverage chart; bench.time_to_digits adds a confidence bar)."""
    first = _first_all_digits(trace)
    after = [p.coverage for p in trace if first is not None and p.step >= first]
    ok = first is not None and first <= FAST_DIGITS_STEPS + 250 and min(after) >= 8
    return Verdict(ok, f"all ten digits >= 5% first at step {first} (promised about {FAST_DIGITS_STEPS}); "
                       f"digits covered from then on {after}; course settings: {_first_all_digits(course)}")


def course(trace: Trace, course: Trace) -> Verdict:
    """"only 1-3 of the 10 digits for 2,000 steps, one digit fills most of the grid"."""
    most = max(p.coverage for p in trace)
    top = _mean(p.top_share for p in trace)
    return Verdict(most <= 3 and top >= 0.5, f"most digits covered {most}, mean top-digit share {top:.2f}")


def beta1_high(trace: Trace, course: Trace) -> Verdict:
    """"D wins almost at once (D(x) near 1, D(G(z)) near 0.03), G's loss swings several times
    wider than with the course settings, the grid stays on one to three digits"."""
    later = trace[1:]
    d_real, d_fake = _mean(p.d_real for p in later), _mean(p.d_fake for p in later)
    swing = _mean(p.g_loss_std for p in trace) / _mean(p.g_loss_std for p in course)
    most = max(p.coverage for p in trace)
    ok = d_real >= 0.9 and d_fake <= 0.1 and swing >= 3 and most <= 3
    return Verdict(ok, f"after step {trace[0].step}: D(x) {d_real:.3f}, D(G(z)) {d_fake:.3f}; "
                       f"G-loss spread {swing:.1f}x the course's; most digits covered {most}")


def lr_high(trace: Trace, course: Trace) -> Verdict:
    """"does not blow up within 2,000 steps; covers more digits than the course settings"."""
    end, ref = trace[-1], course[-1]
    ok = end.coverage >= ref.coverage + 3 and end.fid < ref.fid
    return Verdict(ok, f"at step {end.step}: {end.coverage} digits (course {ref.coverage}), "
                       f"FID {end.fid:.0f} (course {ref.fid:.0f})")


def d_fast(trace: Trace, course: Trace) -> Verdict:
    """"D(G(z)) does not fall to 0: it stays around 0.4 and G keeps learning, a little faster
    than with the course settings"."""
    low = min(p.d_fake for p in trace)
    end, ref = trace[-1], course[-1]
    ok = low >= 0.3 and end.coverage >= ref.coverage
    return Verdict(ok, f"lowest window mean of D(G(z)) {low:.3f}; at step {end.step}: {end.coverage} digits "
                       f"(course {ref.coverage})")


def saturating(trace: Trace, course: Trace) -> Verdict:
    """"the samples do not stay noise: D(G(z)) stays around 0.4-0.5 ... learns about as fast as
    with the non-saturating loss"."""
    low = min(p.d_fake for p in trace)
    end, ref = trace[-1], course[-1]
    ok = low >= 0.3 and end.coverage >= ref.coverage - 1 and end.fid <= 1.5 * ref.fid
    return Verdict(ok, f"lowest window mean of D(G(z)) {low:.3f}; at step {end.step}: {end.coverage} digits, "
                       f"FID {end.fid:.0f} (course {ref.coverage}, {ref.fid:.0f})")


def no_bn(trace: Trace, course: Trace) -> Verdict:
    """"without BatchNorm in G the generator stays on a single digit for all 2,000 steps, while
    the course settings (with BatchNorm) reach 2-3"."""
    most, ref_most = max(p.coverage for p in trace), max(p.coverage for p in course)
    top = trace[-1].top_share
    ok = most <= 1 and ref_most >= 2 and top >= 0.8
    return Verdict(ok, f"most digits covered {most} (course {ref_most}); top-digit share at the end {top:.2f}")


FAST_DIGITS_STEPS = 1250  # what train.preset_fast_watch promises, in every language

CLAIMS: dict[str, Callable[[Trace, Trace], Verdict]] = {
    "fast": fast, "course": course, "beta1_high": beta1_high, "lr_high": lr_high,
    "d_fast": d_fast, "saturating": saturating, "no_bn": no_bn,
}
