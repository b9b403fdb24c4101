"""The Check-yourself page under AppTest: predict first, reveal with evidence, the opt-in anonymous class
tally shared by two sessions, navigation, a bad question index, and the jump to the playground."""
from __future__ import annotations

from pathlib import Path

import pytest
import torch

from ui.check_evidence import QUESTIONS
from ui.i18n import catalog
from ui.tally import get_tally

PAGE = "pages/learn_check.py"
ROOT = Path(__file__).resolve().parent.parent
INDEX = {q.qid: i for i, q in enumerate(QUESTIONS)}


def _ok(at):
    assert not at.exception, "\n".join(e.message for e in at.exception)


def _tally_rows(at) -> list[str]:
    return [p.proto.text for p in at.get("progress")]


@pytest.fixture
def fresh_tally():
    get_tally().clear()  # the server-wide tally (st.cache_resource): shared by every AppTest in this process
    yield get_tally()
    get_tally().clear()


@pytest.fixture
def one_torch_thread():
    before = torch.get_num_threads()
    yield
    torch.set_num_threads(before)


def test_predict_reveal_and_the_class_tally_across_two_sessions(app_test, fresh_tally):
    en = catalog("en")
    student, lecturer = app_test(PAGE), app_test(PAGE)
    q = "js_overlap"  # cheap evidence: computed in milliseconds
    for at in (student, lecturer):
        at.selectbox(key="check_q").set_value(INDEX[q]).run()
    assert student.button(key=f"check_reveal_{q}").disabled  # predict first
    student.radio(key=f"check_{q}").set_value(2).run()  # answered, but not opted in: not counted
    assert fresh_tally.counts(q, 3) == [0, 0, 0]
    student.toggle(key="check_optin").set_value(True).run()
    _ok(student)
    lecturer.toggle(key=f"check_tally_{q}").set_value(True).run()
    _ok(lecturer)
    assert _tally_rows(lecturer) == ["A: 0 (0%)", "B: 0 (0%)", "C: 1 (100%)"]
    assert "1 answer so far" in [c.value for c in lecturer.caption]
    student.radio(key=f"check_{q}").set_value(0).run()  # a changed mind replaces the vote
    lecturer.run()
    assert _tally_rows(lecturer)[0] == "A: 1 (100%)"
    student.button(key=f"check_reveal_{q}").click().run()
    _ok(student)
    assert student.warning[0].value == en["learn_check.not_quite"]
    assert en["learn_check.js_overlap_a1"] in "".join(m.value for m in student.markdown)
    assert [m.value for m in student.metric][:2] == ["JS 1.000 bits · W1 4.00", "JS 1.000 bits · W1 2.00"]
    student.radio(key=f"check_{q}").set_value(1).run()  # after the reveal the tally keeps the prediction
    assert fresh_tally.counts(q, 3) == [1, 0, 0]
    student.toggle(key="check_optin").set_value(False).run()  # opting out takes the answers back
    lecturer.run()
    assert _tally_rows(lecturer)[0] == "A: 0 (0%)" and fresh_tally.counts(q, 3) == [0, 0, 0]
    lecturer.button(key=f"check_clear_{q}").click().run()
    _ok(lecturer)


def test_navigation_bad_index_and_polish(fresh_tally, one_torch_thread):
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    at.session_state["lang"] = "pl"
    at.session_state["check_q"] = 99  # a bad index (an old session, a stale link) falls back to the first
    at.run()
    at.switch_page(PAGE).run()
    _ok(at)
    torch.set_num_threads(1)
    pl = catalog("pl")
    assert at.title[0].value == pl["learn_check.title"] and at.session_state["check_q"] == 0
    assert at.button(key="check_prev").disabled
    at.button(key="check_next").click().run()
    assert at.session_state["check_q"] == 1 and pl["learn_check.d_loss_zero"] in at.subheader[0].value
    q = "strong_d"  # Polish options: set through session state (AppTest formats options in English)
    at.session_state["check_q"] = INDEX[q]
    at.session_state[f"check_{q}"] = 2
    at.run()
    at.button(key=f"check_reveal_{q}").click().run()
    _ok(at)
    assert at.success[0].value == pl["learn_check.right"]
    numbers = [c.value for c in at.caption if "D(G(z))" in c.value]
    assert len(numbers) == 2 and numbers[0].startswith("Pokryte skupiska: 2 z 8")  # collapse ...
    assert numbers[1].startswith("Pokryte skupiska: 0 z 8")  # ... and stall, measured from the shipped states
    at.button(key="check_open_ring_strong_d_stall").click().run()
    _ok(at)
    run = at.session_state["pg_run"]
    try:
        assert at.session_state["pg_preset"] == "ring_strong_d_stall" and run.config.loss == "minimax"
    finally:
        run.stop()
