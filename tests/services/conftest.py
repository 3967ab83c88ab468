"""Fixtures shared by the export tests and the sync tests."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pytest
from sqlalchemy import (
    Column,
    DateTime,
    Engine,
    Integer,
    MetaData,
    String,
    Table,
    create_engine,
    insert,
)

from dashboard.demo.generate import load_demo
from tests.conftest import DEMO_END


@pytest.fixture
def demo(engine: Engine) -> Engine:
    """The demo data (150 people, 120 days to DEMO_END) in the test's database."""
    load_demo(engine, users=150, days=120, seed=4, end=DEMO_END)
    return engine


@pytest.fixture
def billing_db(tmp_path: Path) -> str:
    """A second database built like a billing platform's: five users (the sync's source)."""
    url = f"sqlite:///{tmp_path / 'billing.db'}"
    engine = create_engine(url)
    users = Table(
        "users",
        MetaData(),
        Column("id", Integer, primary_key=True),
        Column("login", String),
        Column("name", String),
        Column("email", String),
        Column("phone", String),
        Column("country", String),
        Column("state", String),
        Column("created_at", DateTime),
        Column("updated_at", DateTime),
    )
    users.metadata.create_all(engine)
    with engine.begin() as connection:
        connection.execute(
            insert(users),
            [
                {
                    "id": i,
                    "login": f"user{i}",
                    "name": f"User {i}",
                    "email": f"User{i}@Example.com",
                    "phone": None,
                    "country": "us",
                    "state": "CA",
                    "created_at": datetime(2025, 1, i),
                    "updated_at": datetime(2025, 2, i),
                }
                for i in range(1, 6)
            ],
        )
    engine.dispose()
    return url
