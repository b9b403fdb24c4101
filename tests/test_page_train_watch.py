"""AppTest: watching the lecturer's shared run from several student sessions, read-only, and forking it."""
from __future__ import annotations

import pytest

from gan_core.training.config import TrainConfig

PAGE = "pages/train_watch.py"


@pytest.fixture
def shared():
    """A lecturer's run, shared on the app's own pool (the one every page uses)."""
    from ui.runs import get_pool

    pool = get_pool()
    run = pool.submit(TrainConfig(model="mlp", batch_size=8, steps=10**6, snapshot_every=5, beta1=0.8, seed=5),
                      owner="lecturer", paused=True)
    for _ in range(3):  # a few steps, done here: the test does not wait on a busy machine's thread
        run.step_once("both")
    code = pool.share(run, owner="lecturer")
    yield run, code
    run.stop()


def test_no_code_and_a_wrong_code_explain_themselves(app_test):
    at = app_test(PAGE)
    assert at.info and not at.exception
    at.text_input(key="watch_code").set_value("QQQQ").run()
    assert any("QQQQ" in w.value for w in at.warning)


def test_students_watch_the_same_run_and_cannot_control_it(app_test, shared):
    run, code = shared
    students = [app_test(PAGE) for _ in range(3)]
    for at in students:
        at.text_input(key="watch_code").set_value(code.lower()).run()
        assert not at.exception
        assert at.get("plotly_chart") and at.image  # curves and the live grid
        assert not [b for b in at.button if b.key and b.key.startswith("train_")]  # no run controls
    assert run.status == "paused" and run.snapshot().step == 3  # untouched by the watchers


def test_a_student_forks_the_settings_into_their_own_train_page(app_test, shared):
    _run, code = shared
    at = app_test(PAGE)
    at.button(key=f"watch_pick_{code}").click().run()  # pick from the list of shared runs
    at.button(key="watch_fork").click().run()
    assert not at.exception
    assert at.session_state["train_beta1"] == 0.8 and at.session_state["train_seed"] == 5
    assert at.session_state.get("train_runs", []) == []  # nothing started behind the student's back
