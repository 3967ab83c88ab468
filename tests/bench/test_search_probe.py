"""The search benchmark (issue 4) times searches that find people: terms taken from the people themselves."""

from __future__ import annotations

from sqlalchemy import Engine

from bench.probes import SEARCH_TERMS, search_latency, search_terms
from dashboard.demo.bulk import load_bulk
from data_access.db import session_factory
from data_access.queries.people import search_people
from tests.conftest import DEMO_END


def test_every_term_finds_someone_and_the_figures_are_medians_of_them(engine: Engine) -> None:
    load_bulk(engine, users=1_000, log_lines=0, events=0, days=60, end=DEMO_END)
    with session_factory(engine)() as session:
        terms = search_terms(session)
        assert len(terms) == SEARCH_TERMS and len(set(terms)) > SEARCH_TERMS // 2
        assert all(search_people(session=session, term=term) for term in terms), terms
        assert any(" " in term and term[-4:].isdigit() for term in terms)  # phone digits
        assert any(term.startswith("ser") for term in terms)  # the middle of userN@example.com

    figures = search_latency(engine.url.render_as_string(hide_password=False))

    assert set(figures) == {"search_first_median_s", "search_median_s", "search_max_s"}
    assert 0 < figures["search_median_s"] <= figures["search_max_s"]  # type: ignore[operator]
