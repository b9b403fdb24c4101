"""The story page under AppTest: every step, every question, the reveal and the jump to the playground."""
from __future__ import annotations

import pytest
import torch

from ui.i18n import catalog

PAGE = "pages/learn_story.py"


def _ok(at):
    assert not at.exception, "\n".join(e.message for e in at.exception)


def test_story_walks_six_steps_with_translated_pictures(app_test):
    at = app_test(PAGE, lang="pl")
    pl = catalog("pl")
    assert at.title[0].value == pl["learn_story.title"]
    assert at.button(key="story_prev").disabled
    seen = []
    for step in range(1, 7):
        svg = [m.value for m in at.markdown if m.value.startswith("<svg")]
        assert len(svg) == 1 and at.subheader[0].value == pl[f"learn_story.s{step}_title"]
        seen.append(svg[0])
        if step < 6:
            at.button(key="story_next").click().run()
            _ok(at)
    assert len(set(seen)) == 6  # a different picture per step
    assert pl["learn_story.lbl_one_net"] in seen[-1] and pl["learn_story.lbl_frozen"] in seen[-1]
    assert at.button(key="story_next").disabled and at.success[0].value == pl["learn_story.summary"]
    at.button(key="story_prev").click().run()
    assert at.session_state["story_step"] == 5


@pytest.fixture
def one_torch_thread():
    """Tiny nets train faster on one thread (see test_page_learn_playground); restored afterwards."""
    before = torch.get_num_threads()
    yield
    torch.set_num_threads(before)


def test_predict_then_reveal(app_test, one_torch_thread):
    at = app_test(PAGE)
    torch.set_num_threads(1)  # after app.py has set the process-wide count
    en = catalog("en")
    assert at.button(key="story_reveal_q_fast_d").disabled  # predict first
    at.radio(key="story_q_fast_d").set_value(1)
    at.radio(key="story_q_strong_d").set_value(0)
    at.radio(key="story_q_minimax").set_value(0).run()
    for qid in ("q_fast_d", "q_strong_d", "q_minimax"):
        at.button(key=f"story_reveal_{qid}").click().run()
        _ok(at)
    assert [s.value for s in at.success] == [en["learn_story.right"]] * 2
    assert [w.value for w in at.warning] == [en["learn_story.not_quite"]]  # strong D: 0 is wrong
    captions = [c.value for c in at.caption]
    modes = [int(c.split("/")[0].split()[-1]) for c in captions if "/8" in c]
    assert modes[0] == 8 and modes[3] <= 4  # balanced covers all 8 modes, the strong detective collapses
    pushes = [float(c.split(";")[0].split()[-1]) for c in captions if "push" in c]
    assert len(pushes) == 2 and pushes[0] < 0.2 * pushes[1]  # minimax: vanishing push vs -log D
    at.button(key="story_open_q_strong_d").click().run()
    _ok(at)
    assert at.session_state["pg_preset"] == "ring_strong_d"
    run = at.session_state["pg_run"]
    try:
        assert run.config.d_steps == 5 and run.snapshot().step == 2000  # the trained state was loaded
    finally:
        run.stop()


def test_strong_detective_names_every_change_and_opens_collapse_and_stall(app_test, one_torch_thread):
    at = app_test(PAGE)
    torch.set_num_threads(1)
    en = catalog("en")
    assert all(s in en["learn_story.q_strong_d"] for s in ("k = 5", "3e-3", "1e-3", "32"))
    at.radio(key="story_q_strong_d").set_value(2).run()
    at.button(key="story_reveal_q_strong_d").click().run()
    _ok(at)
    at.button(key="story_open_ring_strong_d_stall").click().run()
    _ok(at)
    assert at.session_state["pg_preset"] == "ring_strong_d_stall"
    run = at.session_state["pg_run"]
    try:  # the stall state was loaded: the same strong detective, an SGD forger on the saturating cost
        assert run.config.loss == "minimax" and run.config.opt_g == "sgd" and run.config.d_steps == 5
    finally:
        run.stop()
