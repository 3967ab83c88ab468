"""An import's keys seen so far: the same answers once they have moved to the temporary file as in memory."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from data_access.seen_keys import SeenKeys


@given(st.lists(st.text(max_size=8), max_size=60), st.integers(min_value=1, max_value=7))
def test_the_first_line_of_each_key_is_remembered_across_spills(keys: list[str], in_memory: int) -> None:
    seen, expected = SeenKeys(in_memory=in_memory), {}
    try:
        for line, key in enumerate(keys, start=2):
            assert seen.line_of(key) == expected.get(key)
            if key not in expected:
                seen.add(key, line)
                expected[key] = line
        assert len(seen.recent) < in_memory
    finally:
        seen.close()
