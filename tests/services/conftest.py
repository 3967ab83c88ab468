"""Fixtures shared by the export tests."""

from __future__ import annotations

import pytest
from sqlalchemy import Engine

from dashboard.demo.generate import load_demo
from tests.conftest import DEMO_END


@pytest.fixture
def demo(engine: Engine) -> Engine:
    """The demo data (150 people, 120 days to DEMO_END) in the test's database."""
    load_demo(engine, users=150, days=120, seed=4, end=DEMO_END)
    return engine
