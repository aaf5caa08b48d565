"""Property-based tests: no grid, label, cell text or data block makes the core raise."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from gkreport.grid import GridCell, expand
from gkreport.labels import fold
from gkreport.recognition.grids import recognize
from gkreport.recognition.datablock import parse_data_block
from gkreport.spec import all_specs
from gkreport.values import GIVEN, parse_cell

LABELS = sorted(
    {r.label for s in all_specs() for r in s.rows}
    | {c.label for s in all_specs() for c in s.columns}
    | {"第二十条第(一)项", "信息内容", "行政复议", "行政诉讼", "申请人情况", "法人或其他组织", "(三)不予公开", "三、本年度办理结果", "****"}
)
cell_text = st.one_of(
    st.sampled_from(LABELS),
    st.integers(-5, 10**6).map(str),
    st.sampled_from(["", "/", "—", "-", "无", "?", "？", "1,234", "１２", "3.5", "85637.6331", "251000元", "减4", "+3"]),
    st.text(max_size=12),
)
cells = st.builds(GridCell, cell_text, st.integers(0, 4), st.integers(0, 4), st.booleans())
grids = st.lists(st.lists(cells, max_size=12), max_size=30)


@given(grids)
def test_recognize_never_raises(grid):
    found = recognize(grid)
    if found is not None:
        spec = found.spec
        assert set(found.cells) <= set(spec.cells)


@given(grids)
def test_expand_covers_every_written_cell(grid):
    matrix = expand(grid)
    origins = {(s.row, s.index) for row in matrix for s in row if s is not None and s.origin}
    assert origins == {(r, i) for r, row in enumerate(grid) for i, _ in enumerate(row)}


@given(st.text())
def test_fold_is_idempotent_and_total(text):
    assert fold(fold(text)) == fold(text)


@given(st.text(), st.sampled_from(["count", "signed", "amount"]))
def test_parse_cell_never_raises_and_given_is_exact(text, kind):
    value = parse_cell(text, kind)
    if value.state == GIVEN:
        assert not isinstance(value.value, float)
        if kind == "count":
            assert isinstance(value.value, int) and value.value >= 0


@given(st.text(max_size=300), st.sampled_from([None, "2019", "2021"]))
def test_data_block_never_raises(text, fmt):
    found = parse_data_block(text, ["gkreport"], {}, fmt)
    assert found.table in ("active", "requests", "appeals")
