"""The playground's own data, as students bring it (gan_core.data.toy2d.parse_points_csv)."""

from __future__ import annotations

import numpy as np
import pytest

from gan_core.data.toy2d import MAX_CSV_BYTES, MAX_CSV_ROWS, ToyDataError, parse_points_csv


def test_a_polish_excel_export_semicolons_and_decimal_commas():
    text = "x;y\r\n1,5;2,25\r\n-3;4,0\r\n0,125;-1e-2\r\n"
    pts = parse_points_csv(text.encode("utf-8-sig"))  # Excel adds a byte-order mark
    np.testing.assert_allclose(pts, [[1.5, 2.25], [-3.0, 4.0], [0.125, -0.01]])


def test_tabs_with_decimal_commas_spaces_and_a_numeric_first_row():
    np.testing.assert_allclose(parse_points_csv("1,5\t2\n3\t4,5\n"), [[1.5, 2.0], [3.0, 4.5]])
    np.testing.assert_allclose(parse_points_csv("  1.5   2\n3 4\n"), [[1.5, 2.0], [3.0, 4.0]])
    # a first row of numbers written with decimal commas is data, not a header
    assert len(parse_points_csv("1,5;2\n3;4\n")) == 2


def test_a_comma_file_keeps_the_comma_as_the_separator():
    np.testing.assert_allclose(parse_points_csv("x,y\n1.5,2\n3,4\n"), [[1.5, 2.0], [3.0, 4.0]])
    with pytest.raises(ToyDataError) as err:  # "1,5,2" in a comma file is three values, said clearly
        parse_points_csv("x,y\n1,5,2\n")
    assert err.value.code == "columns" and err.value.params == {"row": 2, "n": 3}


def test_six_thousand_pasted_rows_are_accepted_quickly():
    import time

    rows = np.random.default_rng(0).normal(size=(6000, 2))
    text = "x,y\n" + "\n".join(f"{a:.5f},{b:.5f}" for a, b in rows)
    started = time.perf_counter()
    pts = parse_points_csv(text)
    assert pts.shape == (6000, 2) and time.perf_counter() - started < 1.0
    assert MAX_CSV_ROWS >= 6000 and len(text.encode()) < MAX_CSV_BYTES


def test_bad_rows_are_still_named():
    with pytest.raises(ToyDataError) as err:
        parse_points_csv("x;y\n1,5;2\n3;abc\n")
    assert err.value.code == "not_number" and err.value.params["row"] == 3


def test_cr_only_line_endings_old_mac_and_excel():
    np.testing.assert_allclose(parse_points_csv(b"1,2\r3,4\r5,6"), [[1, 2], [3, 4], [5, 6]])
    np.testing.assert_allclose(parse_points_csv("x;y\r1,5;2\r3;4,5\r"), [[1.5, 2.0], [3.0, 4.5]])
    np.testing.assert_allclose(parse_points_csv("1 2\r3 4\r"), [[1, 2], [3, 4]])
    with pytest.raises(ToyDataError) as err:  # rows still counted one per line
        parse_points_csv("1,2\r3,4\r5,x\r")
    assert err.value.code == "not_number" and err.value.params["row"] == 3


@pytest.mark.parametrize("data, row", [
    ("1," + "9" * 200_000, 1),  # past csv's own 131,072-character field limit
    ("1,2\n3," + "9" * 200_000 + "\n", 2),
    ("1,2\n3,4\n5," + "1" * 500 + "\n", 3),  # under csv's limit, over ours
    ("1 2\n3 " + "9" * 200_000 + "\n", 2),  # space-separated: no csv module, same message
])
def test_a_huge_cell_is_named_not_a_csv_error(data, row):
    with pytest.raises(ToyDataError) as err:
        parse_points_csv(data)
    assert err.value.code == "long_value" and err.value.params["row"] == row
    assert f"row {row}" in str(err.value) and "field limit" not in str(err.value)


@pytest.mark.parametrize("data, code, row", [
    ("1,2\n1e39,0\n", "out_of_range", 2),  # finite in float64, inf in float32
    ("1,2\n3,-4e38\n", "out_of_range", 2),
    ("1,2\n1e999,0\n", "out_of_range", 2),  # inf even in float64, but written as a number
    ("x;y\n1;2\n3;5e40\n", "out_of_range", 3),
    ("1,2\ninf,0\n", "not_finite", 2),
    ("1,2\n-Infinity,0\n", "not_finite", 2),
    ("1,2\n3,NaN\n", "not_finite", 2),
])
def test_numbers_float32_cannot_hold_are_refused_naming_the_row(data, code, row):
    with pytest.raises(ToyDataError) as err:
        parse_points_csv(data)
    assert err.value.code == code and err.value.params["row"] == row and f"row {row}" in str(err.value)


def test_the_largest_float32_values_still_pass():
    pts = parse_points_csv("3.4e38,-3.4e38\n0,1e-30\n")
    assert np.isfinite(pts).all() and pts.dtype == np.float32


@pytest.mark.parametrize("lang", ["en", "zh-TW", "zh-CN", "pl"])
def test_every_error_code_has_a_message_in_every_language(lang):
    """Each code the reader raises formats in each catalog with the params it really sends."""
    from ui.i18n import catalog

    cat = catalog(lang)
    bad = [b"1,2\n" * 10, b"\xff\xfe", "1,2\n\x00", "1,2\n1,2,3\n", "1,2\n3,abc\n", "1,2\n3,nan\n",
           "1,2\n3,1e39\n", "1," + "9" * 200_000, "1,2\n", "1,2\n" * 12, '1,2\n"3,4\n5,6\n']
    codes = set()
    for data in bad:
        with pytest.raises(ToyDataError) as err:
            parse_points_csv(data, max_bytes=30 if isinstance(data, bytes) and len(data) > 30 else MAX_CSV_BYTES,
                             max_rows=10)
        codes.add(err.value.code)
        text = cat[f"learn_playground.err_{err.value.code}"]
        text = text["other"] if isinstance(text, dict) else text
        assert "{" not in text.format(**err.value.params)
    assert codes >= {"too_big", "not_utf8", "binary", "columns", "not_number", "not_finite", "out_of_range",
                     "long_value", "too_few", "too_many_rows", "open_quote"}


@pytest.mark.parametrize("data, row", [
    ('"x,y\n1,2\n3,4\n5,6\n', 1),  # would have read as one header cell: "found 0 data rows"
    ('1,2\n3,"4\n5,6\n7,8\n', 2),
    ('x;y\r1;2\r"3;4\r5;6\r', 3),  # old-Mac line ends, semicolons
])
def test_a_quote_that_never_closes_is_named_not_read_as_one_cell(data, row):
    with pytest.raises(ToyDataError) as err:
        parse_points_csv(data)
    assert err.value.code == "open_quote" and err.value.params["row"] == row and f"row {row}" in str(err.value)


def test_quoted_numbers_that_close_still_read():
    assert parse_points_csv('"x","y"\n"1","2"\n"3","4"\n"5","6"\n"7","8"\n"9","10"\n').shape == (5, 2)
