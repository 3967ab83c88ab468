"""A cell as a person reads it, by its column's kind (presentation.columns): the one place that turns a stored
value into the text a page, the PDF or the workbook shows (`or` -> Oregon OCPA, `user.contact.email` -> Email,
21466489 ms -> 6.0 h, None -> "—"). Streamlit's column_config (ui.table_view) and the workbook's
number formats (exports.workbook) start from the same kinds."""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from typing import Any

import pandas as pd

from dashboard.inventory.labels import category_name, data_use_name
from dashboard.presentation import format as fmt
from dashboard.presentation.columns import ColumnSpec, spec_for
from dashboard.rules.regimes import regime_name

_CATEGORY_KEY = re.compile(r"\buser(?:\.[a-z_]+)+")


def with_category_names(text: str) -> str:
    """Prose that quotes data category keys (a check's test, a finding) with each key replaced by its name."""
    return _CATEGORY_KEY.sub(lambda m: category_name(m.group()), text)


_TEXT_CELLS: Mapping[str, Callable[[Any], str]] = {
    "timestamp": fmt.timestamp,
    "date": fmt.day,
    "month": fmt.month,
    "words": fmt.words,
    "text": fmt.text,
    "regime": lambda v: fmt.names(v, regime_name),
    "category": lambda v: fmt.names(v, category_name),
    "data_use": lambda v: fmt.names(v, data_use_name),
    "mentions_categories": lambda v: fmt.EMPTY if fmt.is_empty(v) else with_category_names(str(v)),
    "flag": lambda v: fmt.EMPTY if fmt.is_empty(v) else ("Yes" if bool(v) else "No"),
    "overdue": fmt.days_overdue,
}
MEASURES = frozenset({"identifier", "count", "number", "percent", "percentage", "duration_ms", "cents"})


def cell_text(spec: ColumnSpec) -> Callable[[Any], str]:
    """How a cell of this kind reads as text (a figure with its unit, a code by its name, a gap as EMPTY)."""
    unit = f" {spec.unit}" if spec.unit else ""
    if spec.kind == "identifier":
        return lambda v: fmt.number(v, "{:.0f}")
    if spec.kind == "count":
        return fmt.number
    if spec.kind == "number":
        return lambda v: fmt.number(v, f"{{:,.{spec.decimals}f}}{unit}")
    if spec.kind == "percent":
        return lambda v: v if isinstance(v, str) else fmt.percent(v)
    if spec.kind == "percentage":
        return lambda v: fmt.number(v, f"{{:.{spec.decimals}f}}%")
    if spec.kind == "duration_ms":
        return lambda v: fmt.number(fmt.ms_to_hours(v), f"{{:,.{spec.decimals}f}}{unit}")
    if spec.kind == "cents":
        return lambda v: fmt.number(fmt.from_cents(v), f"{{:,.{spec.decimals}f}}")
    return _TEXT_CELLS[spec.kind]


def scaled(value: Any, spec: ColumnSpec) -> Any:
    """A figure in the unit it is shown in (milliseconds in hours, cents in units); other values as
    they are."""
    if spec.kind == "duration_ms":
        return fmt.ms_to_hours(value)
    if spec.kind == "cents":
        return fmt.from_cents(value)
    return value


def readable_text(frame: pd.DataFrame) -> pd.DataFrame:
    """The frame with its columns' labels as headers and every cell as text, as a printed table shows it."""
    specs = [spec_for(str(c)) for c in frame.columns]
    cells = [frame.iloc[:, i].map(cell_text(spec)).astype(object) for i, spec in enumerate(specs)]
    shown = pd.concat(cells, axis=1) if cells else pd.DataFrame(index=frame.index)
    shown.columns = [spec.label for spec in specs]
    return shown
