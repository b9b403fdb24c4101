"""AppTest: receptive-field calculator - quiz, presets, input size, edited tables (good and bad), the judged
patch, formula == module == measured, the two course remarks."""

from ui.i18n import catalog

PAGE = "pages/img2img_receptive_field.py"
EN = catalog("en")


def _edit(at, **edits):
    at.session_state["rf_table"] = {"edited_rows": {}, "added_rows": [], "deleted_rows": [], **edits}
    return at.run()


def _texts(elements) -> list[str]:
    return [e.value for e in elements]


def test_quiz_predict_then_reveal(app_test):
    at = app_test(PAGE)
    assert at.button(key="rf_quiz_reveal").disabled  # no guess yet: nothing to reveal
    at.number_input(key="rf_quiz_guess").set_value(12).run()
    at.button(key="rf_quiz_reveal").click().run()
    assert any("You said 12" in w for w in _texts(at.warning))
    at.number_input(key="rf_quiz_guess").set_value(22).run()  # a new guess hides the answer again
    assert not any("22 × 22" in s for s in _texts(at.success))
    at.button(key="rf_quiz_reveal").click().run()
    assert any("22 × 22" in s for s in _texts(at.success)) and not at.exception


def test_presets_walk_and_the_70_question(app_test):
    at = app_test(PAGE)
    assert at.selectbox(key="rf_preset").value == "dcgan_d_28"
    assert any("whole-image judge" in i for i in _texts(at.info))
    assert at.metric[0].value == "34 × 34" and at.metric[2].value == "1 × 1"
    assert any(EN["img2img_rf.whole_image"] == w for w in _texts(at.warning))
    assert any(EN["img2img_rf.agree"] == s for s in _texts(at.success))

    at.selectbox(key="rf_preset").set_value("pix2pix_n3").run()
    assert at.number_input(key="rf_input_size").value == 256
    assert at.metric[0].value == "70 × 70" and at.metric[2].value == "30 × 30"
    assert any("gives 94 px here" in w and "70 px" in w for w in _texts(at.warning))  # the slip, as a question
    assert any("34 - 1" in x.value.replace("−", "-") for x in at.latex)  # the walk, written out
    at.slider(key="rf_cell_row").set_value(0).run()
    at.slider(key="rf_cell_col").set_value(29).run()
    at.radio(key="rf_example").set_value("photo").run()
    assert any(EN["img2img_rf.agree"] == s for s in _texts(at.success)) and not at.exception

    at.selectbox(key="rf_preset").set_value("pix2pix_n0").run()
    assert any("--netD pixel" in i and "16 px" in i for i in _texts(at.info))
    at.number_input(key="rf_input_size").set_value(64).run()
    assert at.metric[0].value == "1 × 1" and at.metric[2].value == "64 × 64"
    assert not at.exception


def test_edited_tables_good_and_bad(app_test):
    at = app_test(PAGE)
    _edit(at, edited_rows={"2": {"kernel": 5}})  # last conv 7 -> 5: 5, 4 + 4 * 2 = 12, 4 + 11 * 2 = 26 px
    assert at.metric[0].value == "26 × 26" and at.metric[2].value == "3 × 3" and not at.error
    assert any(EN["img2img_rf.source_table"] == c for c in _texts(at.caption))  # no longer the real D
    assert any(EN["img2img_rf.agree"] == s for s in _texts(at.success))

    _edit(at, edited_rows={"0": {"kernel": 0}})
    assert at.error[0].value == 'Row 1: "kernel k" = 0 is outside the allowed range 1–64.'
    assert not at.exception and not at.get("plotly_chart")[:-1]  # only the remark's heatmap is left

    _edit(at, added_rows=[{"kind": "maxpool", "kernel": 2, "stride": 2, "padding": 3, "dilation": 1}])
    assert at.error[0].value.startswith("Row 4: a pooling layer's padding")

    _edit(at, deleted_rows=[0, 1, 2])
    assert at.error[0].value == EN["img2img_rf.err_empty"]

    at.selectbox(key="rf_preset").set_value("course_5").run()  # a new preset drops the old edits
    assert not at.error and at.metric[0].value == "94 × 94"
    at.number_input(key="rf_input_size").set_value(28).run()
    assert at.error[0].value.startswith("The input is too small for this stack: layer 5 receives 1 px")
    at.number_input(key="rf_input_size").set_value(1024).run()
    _edit(at, edited_rows={"0": {"kernel": 64, "stride": 1, "padding": 32}})  # too slow to measure live
    assert any(EN["img2img_rf.too_big_to_measure"] == i for i in _texts(at.info))
    assert at.metric[0].value == "109 × 109" and not at.exception  # the formula still answers: 46 + 63


def test_remarks_and_languages(app_test):
    at = app_test(PAGE)
    assert len(at.dataframe) >= 4  # per-layer table, three ways, two remark tables (+ coverage summary)
    at.slider(key="rf_cov_k").set_value(4).run()
    at.slider(key="rf_cov_s").set_value(2).run()
    assert any(m.value.startswith("k = 4 is a multiple of s = 2") for m in at.markdown)
    at.slider(key="rf_cov_s").set_value(3).run()
    assert any(m.value.startswith("k = 4 is not a multiple of s = 3") for m in at.markdown)
    for lang in ("zh-TW", "pl"):
        other = app_test(PAGE, lang=lang)
        assert other.title[0].value == catalog(lang)["img2img_rf.title"]
        _edit(other, edited_rows={"1": {"stride": None}})
        assert other.error and not other.exception
