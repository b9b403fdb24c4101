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
