"""A page with one long table through data_table, served by tests/bench/test_browser_probe.py."""

import pandas as pd

from dashboard.auth.service import Principal
from dashboard.ui.components import data_table
from data_access.models.enums import Role

LONG_TABLE_ROWS = 5_000

if __name__ == "__main__":  # as Streamlit runs it; the test imports LONG_TABLE_ROWS only
    frame = pd.DataFrame({"day": range(LONG_TABLE_ROWS), "requests": range(LONG_TABLE_ROWS)})
    data_table(frame, principal=Principal("manager", "Morgan Manager", Role.MANAGER), name="long")
