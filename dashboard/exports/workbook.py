"""One XLSX workbook, a sheet per register; every cell written as a value, text cells formula-neutralised."""

from __future__ import annotations

import io
import json
import numbers
from datetime import date, datetime
from typing import Any

import pandas as pd
import xlsxwriter

from dashboard.exports.safe_cells import neutralise

SHEET_NAME_LIMIT = 31


def build_workbook(frames: dict[str, pd.DataFrame]) -> bytes:
    buffer = io.BytesIO()
    workbook = xlsxwriter.Workbook(buffer, {"in_memory": True, "strings_to_formulas": False,
                                            "strings_to_urls": False, "remove_timezone": True})
    bold = workbook.add_format({"bold": True})
    stamp = workbook.add_format({"num_format": "yyyy-mm-dd hh:mm:ss"})
    day = workbook.add_format({"num_format": "yyyy-mm-dd"})
    for name, frame in frames.items():
        sheet = workbook.add_worksheet(name[:SHEET_NAME_LIMIT])
        for col, column in enumerate(frame.columns):
            sheet.write_string(0, col, str(column), bold)
        for row_index, row in enumerate(frame.itertuples(index=False), start=1):
            for col, value in enumerate(row):
                _write(sheet, row_index, col, value, stamp, day)
        sheet.freeze_panes(1, 0)
    workbook.close()
    return buffer.getvalue()


def _write(sheet: Any, row: int, col: int, value: Any, stamp: Any, day: Any) -> None:
    if value is None or (not isinstance(value, list | dict | str) and pd.isna(value)):
        sheet.write_blank(row, col, None)
    elif isinstance(value, bool):
        sheet.write_boolean(row, col, value)
    elif isinstance(value, numbers.Real):  # numpy numbers too
        sheet.write_number(row, col, value)
    elif isinstance(value, datetime):
        sheet.write_datetime(row, col, value.replace(tzinfo=None), stamp)  # stored as UTC
    elif isinstance(value, date):
        sheet.write_datetime(row, col, datetime(value.year, value.month, value.day), day)
    elif isinstance(value, list | dict):
        sheet.write_string(row, col, neutralise(json.dumps(value, default=str)))
    else:
        sheet.write_string(row, col, neutralise(str(value)))
