"""Charts as pure functions from a DataFrame to a plotly figure (tested on fig.data; pages only place them)."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

TEMPLATE = "plotly_white"


def line_chart(df: pd.DataFrame, *, x: str, y: str, title: str, y_title: str | None = None) -> go.Figure:
    figure = go.Figure(go.Scatter(x=df[x], y=df[y], mode="lines", name=y_title or y))
    figure.update_layout(title=title, template=TEMPLATE, height=320, margin={"l": 40, "r": 20, "t": 50, "b": 40},
                         yaxis_title=y_title or y, xaxis_title=None)
    return figure


def bar_chart(df: pd.DataFrame, *, x: str, y: str, title: str, horizontal: bool = False) -> go.Figure:
    bar = go.Bar(x=df[y], y=df[x], orientation="h") if horizontal else go.Bar(x=df[x], y=df[y])
    figure = go.Figure(bar)
    figure.update_layout(title=title, template=TEMPLATE, height=320, margin={"l": 40, "r": 20, "t": 50, "b": 40})
    if horizontal:
        figure.update_yaxes(autorange="reversed")
    return figure
