"""Every table on every page is drawn here: headers, units and cell formats come from presentation.columns and
presentation.cells (which the PDF and the workbook read too), so a reader sees "Received ·
2026-10-25 12:00 UTC", "Oregon OCPA" and "Time in app · 5.9 h", never `received_at`, `or` or
21466489 ms, and an empty cell reads "—", never "None" (Streamlit draws a missing value as the word None).

Only the display changes: who sees which column and which counts are withheld was decided before, by
privacy.presentation.present; a withheld count stays "<5".
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import pandas as pd
import streamlit as st

from dashboard.presentation import format as fmt
from dashboard.presentation.cells import MEASURES, cell_text
from dashboard.presentation.columns import ColumnSpec, spec_for


def readable(frame: pd.DataFrame) -> tuple[pd.DataFrame, dict[str, Any]]:
    """The frame as it is drawn, and the column_config that names and formats its columns."""
    shown = pd.DataFrame(index=frame.index)
    config: dict[str, Any] = {}
    for column in frame.columns:
        spec = spec_for(str(column))
        shown[column], config[column] = _column(frame[column], spec)
    shown.attrs = dict(frame.attrs)
    return shown, config


def _column(values: pd.Series, spec: ColumnSpec) -> tuple[pd.Series, Any]:
    measure = _measure(values, spec)
    if measure is not None:
        series, number_format = measure
        return series, st.column_config.NumberColumn(spec.label, format=number_format, help=spec.help)
    # "67 days overdue" under a short header: the grid sized the column to the header and cut the words
    if spec.kind == "overdue":
        return values.map(cell_text(spec)).astype(object), st.column_config.TextColumn(
            spec.label, help=spec.help, width="medium"
        )
    return values.map(cell_text(spec)).astype(object), st.column_config.TextColumn(spec.label, help=spec.help)


def _measure(values: pd.Series, spec: ColumnSpec) -> tuple[pd.Series, str] | None:
    """A numeric column without gaps stays a number (it sorts as one) with its format; None otherwise."""
    if spec.kind not in MEASURES:
        return None
    if not pd.api.types.is_numeric_dtype(values) or pd.api.types.is_bool_dtype(values) or values.isna().any():
        return None
    unit = f" {spec.unit}" if spec.unit else ""
    if spec.kind == "identifier":
        return values, "%d"
    if spec.kind == "count":
        return values, "localized"
    if spec.kind == "percent":
        return values, "percent"
    if spec.kind == "percentage":
        return values, f"%.{spec.decimals}f%%"
    if spec.kind == "duration_ms":
        return values.astype(float) / fmt.MS_PER_HOUR, f"%.{spec.decimals}f{unit}"
    if spec.kind == "cents":
        return values.astype(float) / 100, f"%.{spec.decimals}f"
    return values, f"%.{spec.decimals}f{unit}"


def show_table(frame: pd.DataFrame, *, height: int | None = None, **selection: Any) -> None:
    """Draw `frame` (already presented for the principal) with readable headers, units and cells. `selection`:
    st.dataframe's key, on_select and selection_mode, for a table whose rows can be clicked."""
    shown, config = readable(frame)
    st.dataframe(
        shown, width="stretch", hide_index=True, height=height or "auto", column_config=config, **selection
    )


def facts_table(record: Mapping[Any, Any]) -> pd.DataFrame:
    """One record as rows of (what, value), each field by its label and its value formatted as in a column."""
    rows = []
    for key, value in record.items():
        spec = spec_for(str(key))
        shown, _ = _column(pd.Series([value], dtype=object), spec)
        rows.append({"field": spec.label, "value": fmt.text(shown.iloc[0])})
    return pd.DataFrame(rows, columns=["field", "value"])
