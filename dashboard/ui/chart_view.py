"""Every chart on every page is placed here, with one plotly config: no plotly toolbar (modebar).

Plotly draws its toolbar over the top right of the figure, where a title that fills a narrow screen
(a phone, a half-width column) runs: the icons covered the title's words (issue 25). Streamlit's own
element toolbar (full screen) stays, above the chart; zoom still works by dragging and a
double-click resets it; the figures behind each chart are in the table under it, with its CSV
download.
"""

from __future__ import annotations

from typing import Any

import plotly.graph_objects as go
import streamlit as st

CHART_CONFIG: dict[str, Any] = {"displayModeBar": False, "displaylogo": False, "responsive": True}


def show_chart(figure: go.Figure, container: Any = None) -> None:
    """Place `figure` in `container` (a column, a tab; the page when None)."""
    (container or st).plotly_chart(figure, config=CHART_CONFIG)
