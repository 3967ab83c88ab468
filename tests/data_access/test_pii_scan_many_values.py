"""The erasure scan with many values (a retention batch) reads each text once and matches them all
with one trie pattern: it finds exactly what the LIKE scan finds, whole tokens only
(data_access/pii_scan.py)."""

from __future__ import annotations

import re

import pytest
from hypothesis import given
from hypothesis import strategies as st
from sqlalchemy import Engine, select

from data_access import pii_scan
from data_access.db import session_factory
from data_access.models import Contact, SubjectRequest
from tests.retention_case import load_aged

words = st.text(alphabet="abc .@-1", min_size=1, max_size=6)


@given(st.lists(words, min_size=1, max_size=12), st.text(alphabet="abc .@-1xy", max_size=24))
def test_the_trie_finds_a_word_where_some_word_is_found(needles: list[str], text: str) -> None:
    trie = re.compile(rf"(?<![\w.:@-])(?:{pii_scan._trie_pattern(sorted(set(needles)))})(?![\w.:@-])")
    assert bool(trie.search(text)) == any(pii_scan._token(n).search(text) for n in needles)


def test_many_values_find_what_the_like_scan_finds(engine: Engine, monkeypatch: pytest.MonkeyPatch) -> None:
    load_aged(engine)
    with session_factory(engine)() as session:
        contacts = session.execute(select(Contact.full_name, Contact.email, Contact.phone).limit(30)).all()
        values = tuple(
            sorted({v for row in contacts for v in row if v} | {"198.51.100.7", "nobody@nowhere.example"})
        )
        kept = {"subject_requests": SubjectRequest.person_id.is_(None)}
        assert len(values) > pii_scan.MANY_VALUES
        once = pii_scan.scan_for_values(session=session, values=values, kept=kept)
        monkeypatch.setattr(pii_scan, "MANY_VALUES", len(values))
        like = pii_scan.scan_for_values(session=session, values=values, kept=kept)
    assert sorted(once, key=repr) == sorted(like, key=repr)
    assert {h.table for h in once} >= {"contacts", "access_log", "invoices"}
