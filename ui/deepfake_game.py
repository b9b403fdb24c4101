"""Spot the fake: rounds of real vs generated digits, the score kept in the session, then human vs
machine on the same rounds, the class against published studies, and a round with machine advice
that is sometimes wrong."""
from __future__ import annotations

import threading

import numpy as np
import streamlit as st

from gan_core.deepfake_facts import HUMAN_BASELINES
from gan_core.detection import GameRounds, advice_reliance, machine_answers, make_rounds, score_game
from gan_core.explore import LRU
from gan_core.spot_the_fake import AdviceRounds, advice_rounds, fake_pool, photo_pools
from gan_core.training.family import DETECTS_FAKES
from ui import deepfake_data as dd
from ui import explore_widgets as ew
from ui.i18n import pct, t

NS = "society_deepfakes"
N_ROUNDS = 10
ADVICE_N, ADVICE_WRONG = 8, 3
GAME_KEY, ADVICE_KEY, SOURCE_KEY = "df_game", "df_advice", "df_game_source"
MIXED = "__mixed__"
PHOTO = "photos:"  # + the name of a style-studio checkpoint (cartoon -> photo) trained on the built-in photos
_photo_pools = LRU(8)
ADVICE_POOL_EACH = 100  # generated pictures per generator the advice round picks from


@st.cache_resource
def _class_tally() -> dict:
    """Finished games of everyone on this server (a lecturer's laptop: the class), in memory only."""
    return {"lock": threading.Lock(), "games": []}


def _state(key: str) -> dict:
    state = st.session_state.get(key)
    if not isinstance(state, dict) or not isinstance(state.get("answers"), list):
        state = {"seed": 0, "answers": [], "recorded": False}
        st.session_state[key] = state
    return state


def _answer(key: str, value: int) -> None:
    _state(key)["answers"].append(int(value))


def _restart(key: str) -> None:
    old = _state(key)
    st.session_state[key] = {"seed": int(old["seed"]) + 1, "answers": [], "recorded": False}


def _detector():
    infos = dd.infos_with(DETECTS_FAKES)
    if not infos:
        return None
    try:
        model, meta = dd.detector(infos[0])
    except (OSError, ValueError):
        return None
    return model, meta


def _photo_infos() -> list:
    """Style-studio checkpoints trained on the built-in photos and cartoons (their G_BA makes "photos")."""
    from ui import style_widgets as sw

    return [i for i in sw.infos() if not (i.train_config or {}).get("domain_a")
            and not (i.train_config or {}).get("domain_b")]


def _photo_rounds(name: str, seed: int) -> GameRounds | None:
    from ui import style_widgets as sw

    info = next((i for i in _photo_infos() if i.path.name == name), None)
    model = sw.load(info) if info is not None else None
    if model is None:
        return None
    tc = info.train_config or {}
    size, side = int(tc.get("crop_size", 128)), int(tc.get("photo_side", 512))
    real, fake = _photo_pools.get((model.meta.get("sha256"), seed, size, side),
                                  lambda: photo_pools(model.g_ba, N_ROUNDS, size=size, photo_side=side, seed=seed))
    if len(real) < N_ROUNDS // 2:
        return None
    return make_rounds(real, fake, N_ROUNDS, kind="single", seed=seed)


def _rounds(source: str, seed: int) -> GameRounds | None:
    if source.startswith(PHOTO):
        return _photo_rounds(source[len(PHOTO):], seed)
    gens = dd.generators()
    chosen = gens if source == MIXED else [g for g in gens if g.name == source]
    if not chosen:
        return None
    fake, _ = fake_pool([g.stem for g in chosen], max(N_ROUNDS, 60 // len(chosen)), seed=seed)
    return make_rounds(dd.real_pool(), fake, N_ROUNDS, kind="single", seed=seed)


def _play(key: str, images: np.ndarray, *, advice: AdviceRounds | None = None) -> bool:
    """One round at a time; True once every round has an answer."""
    state = _state(key)
    i, n = len(state["answers"]), len(images)
    if i >= n:
        return True
    pic, side = st.columns([1, 2])
    with pic:
        ew.show(images[i][None], nrow=1, scale=max(1, 224 // images.shape[1]),
                caption=t(f"{NS}.round_of", i=i + 1, n=n))
    with side:
        if advice is not None:
            called = t(f"{NS}.call_fake" if advice.advice[i] else f"{NS}.call_real")
            st.info(t(f"{NS}.advice_says", call=called, p=pct(float(advice.score[i]))))
        st.markdown(t(f"{NS}.round_question"))
        a, b = st.columns(2)
        a.button(t(f"{NS}.btn_real"), key=f"{key}_real", on_click=_answer, args=(key, 0), width="stretch")
        b.button(t(f"{NS}.btn_fake"), key=f"{key}_fake", on_click=_answer, args=(key, 1), width="stretch")
        if i:
            right = int((np.asarray(state["answers"]) == _truth(key)[:i]).sum())
            st.caption(t(f"{NS}.score_so_far", k=right, i=i))
    return False


def _truth(key: str) -> np.ndarray:
    return st.session_state[f"{key}__truth"]


def _captions(truth: np.ndarray, human: np.ndarray, machine: np.ndarray | None) -> list[str]:
    ok = {True: "✓", False: "✗"}
    out = []
    for k in range(len(truth)):
        what = t(f"{NS}.call_fake" if truth[k] else f"{NS}.call_real")
        mark = ok[bool(human[k] == truth[k])]
        if machine is None:
            out.append(t(f"{NS}.cap_round", truth=what, you=mark))
        else:
            out.append(t(f"{NS}.cap_round_machine", truth=what, you=mark, machine=ok[bool(machine[k] == truth[k])]))
    return out


def _baseline_chart(rows: list[tuple[str, float]]) -> dict:
    values = [{"who": who, "accuracy": round(100 * acc, 1)} for who, acc in rows]
    return {
        "data": {"values": values},
        "mark": {"type": "bar", "cornerRadiusEnd": 3},
        "encoding": {
            "y": {"field": "who", "type": "nominal", "sort": None, "title": None, "axis": {"labelLimit": 320}},
            "x": {"field": "accuracy", "type": "quantitative", "title": t(f"{NS}.chart_accuracy"),
                  "scale": {"domain": [0, 100]}},
        },
        "height": {"step": 28},
    }


def section_game() -> None:
    st.subheader(t(f"{NS}.game_header"))
    st.markdown(t(f"{NS}.game_intro", n=N_ROUNDS))
    gens = dd.generators()
    if not gens:
        st.info(t(f"{NS}.no_generator"))
        return
    photos = [PHOTO + i.path.name for i in _photo_infos()]
    options = [MIXED] + [g.name for g in gens] + photos
    if st.session_state.get(SOURCE_KEY, MIXED) not in options:  # a generator that is gone
        st.session_state[SOURCE_KEY] = MIXED
    names = {o: o for o in options} | {MIXED: t(f"{NS}.source_mixed")}
    names |= {o: t(f"{NS}.source_photos", name=o[len(PHOTO):]) for o in photos}
    source_col, new_col = st.columns([3, 1], vertical_alignment="bottom")
    with source_col:
        dd.choice(st.selectbox, t(f"{NS}.game_source"), options, key=SOURCE_KEY, names=names, on_change=_restart,
                  args=(GAME_KEY,))
    new_col.button(t(f"{NS}.game_new"), key="df_game_new", icon=":material/replay:", on_click=_restart,
                   args=(GAME_KEY,), width="stretch")
    state = _state(GAME_KEY)
    rounds = _rounds(st.session_state.get(SOURCE_KEY, MIXED), int(state["seed"]))
    if rounds is None:
        st.info(t(f"{NS}.no_generator"))
        return
    st.session_state[f"{GAME_KEY}__truth"] = rounds.answer
    if not _play(GAME_KEY, rounds.images):
        return
    human = np.asarray(state["answers"][:N_ROUNDS])
    det = _detector()
    machine = None
    photo_round = str(st.session_state.get(SOURCE_KEY, MIXED)).startswith(PHOTO)
    if det is not None and not photo_round:
        machine = machine_answers(rounds, dd.scores(det[0], det[1], rounds.images), 0.5)
    _results(rounds, human, machine, state, no_machine_key="photo_no_detector" if photo_round else "no_detector")


def _results(rounds: GameRounds, human: np.ndarray, machine: np.ndarray | None, state: dict, *,
             no_machine_key: str = "no_detector") -> None:
    st.markdown("#### " + t(f"{NS}.results_header"))
    right = int((human == rounds.answer).sum())
    cols = st.columns(3)
    cols[0].metric(t(f"{NS}.m_you"), t(f"{NS}.k_of_n", k=right, n=len(human)))
    tally = _class_tally()
    if not state.get("recorded"):
        with tally["lock"]:
            tally["games"].append(right / len(human))
        state["recorded"] = True
    with tally["lock"]:
        games = list(tally["games"])
    cols[1].metric(t(f"{NS}.m_class"), pct(float(np.mean(games)), 1), help=t(f"{NS}.m_class_help", n=len(games)))
    rows = [(t(f"{NS}.who_you"), right / len(human)), (t(f"{NS}.who_class", n=len(games)), float(np.mean(games)))]
    if machine is not None:
        score = score_game(rounds.answer, human, machine)
        cols[2].metric(t(f"{NS}.m_machine"), t(f"{NS}.k_of_n", k=score.machine_correct, n=score.n))
        rows.append((t(f"{NS}.who_machine"), score.machine_accuracy))
        st.markdown(t(f"{NS}.breakdown", both=score.both_correct, you=score.human_only, machine=score.machine_only,
                      neither=score.both_wrong))
    else:
        cols[2].info(t(f"{NS}.{no_machine_key}"))
    ew.row_with_captions(rounds.images, _captions(rounds.answer, human, machine),
                         scale=max(1, 56 // rounds.images.shape[1]))
    st.markdown("#### " + t(f"{NS}.baselines_header"))
    for b in HUMAN_BASELINES:
        rows.append((t(f"{NS}.who_{b.key}", n=b.participants), b.accuracy / 100))
    rows.append((t(f"{NS}.who_chance"), 0.5))
    st.vega_lite_chart(_baseline_chart(rows), width="stretch")
    st.markdown(t(f"{NS}.baselines_note"))


def section_advice() -> None:
    st.subheader(t(f"{NS}.advice_header"))
    det = _detector()
    gens = dd.generators()
    if det is None or not gens:
        st.info(t(f"{NS}.no_detector"))
        return
    st.markdown(t(f"{NS}.advice_intro", n=ADVICE_N))
    state = _state(ADVICE_KEY)
    real = dd.real_pool()
    fake, _ = fake_pool([g.stem for g in gens], ADVICE_POOL_EACH, seed=50_000 + int(state["seed"]))
    model, meta = det
    rounds = advice_rounds(real, fake, dd.scores(model, meta, real), dd.scores(model, meta, fake), ADVICE_N,
                           n_wrong=ADVICE_WRONG, seed=int(state["seed"]))
    st.session_state[f"{ADVICE_KEY}__truth"] = rounds.rounds.answer
    st.button(t(f"{NS}.advice_new"), key="df_advice_new", icon=":material/replay:", on_click=_restart,
              args=(ADVICE_KEY,))
    if not _play(ADVICE_KEY, rounds.rounds.images, advice=rounds):
        return
    human = np.asarray(state["answers"][:ADVICE_N])
    r = advice_reliance(rounds.rounds.answer, human, rounds.advice)
    cols = st.columns(4)
    cols[0].metric(t(f"{NS}.m_you"), pct(r["human_accuracy"]))
    cols[1].metric(t(f"{NS}.m_advice"), pct(r["advice_accuracy"]))
    cols[2].metric(t(f"{NS}.m_followed_right"), _pct_or_dash(r["followed_when_right"]))
    cols[3].metric(t(f"{NS}.m_followed_wrong"), _pct_or_dash(r["followed_when_wrong"]))
    ew.row_with_captions(rounds.rounds.images, _captions(rounds.rounds.answer, human, rounds.advice), scale=2)
    st.markdown(t(f"{NS}.advice_after", wrong=rounds.n_wrong, n=ADVICE_N))


def _pct_or_dash(x: float) -> str:
    return "—" if not np.isfinite(x) else pct(x)
