"""Charts as pure functions from a DataFrame to a plotly figure (tested on fig.data; pages only place them)."""

from __future__ import annotations

from collections.abc import Mapping

import pandas as pd
import plotly.graph_objects as go

# No template is named: Streamlit draws every chart in its own theme (st.plotly_chart's default), and naming one
# made plotly copy and validate the whole template for each figure, 10 ms a chart, on every run of a page.


def line_chart(df: pd.DataFrame, *, x: str, y: str, title: str, y_title: str | None = None) -> go.Figure:
    figure = go.Figure(go.Scatter(x=df[x], y=df[y], mode="lines", name=y_title or y))
    figure.update_layout(title=title, height=320, margin={"l": 40, "r": 20, "t": 50, "b": 40},
                         yaxis_title=y_title or y, xaxis_title=None)
    return figure


def bar_chart(df: pd.DataFrame, *, x: str, y: str, title: str, horizontal: bool = False) -> go.Figure:
    bar = go.Bar(x=df[y], y=df[x], orientation="h") if horizontal else go.Bar(x=df[x], y=df[y])
    figure = go.Figure(bar)
    figure.update_layout(title=title, height=320, margin={"l": 40, "r": 20, "t": 50, "b": 40})
    if horizontal:
        figure.update_yaxes(autorange="reversed")
    return figure


def lines_by(df: pd.DataFrame, *, x: str, y: str, by: str, title: str, y_title: str,
             percent: bool = False) -> go.Figure:
    """One line per value of `by` (e.g. a rate per channel over months)."""
    figure = go.Figure([go.Scatter(x=part[x], y=part[y], mode="lines+markers", name=str(key))
                        for key, part in df.groupby(by, sort=True)])
    figure.update_layout(title=title, height=320, margin={"l": 40, "r": 20, "t": 50, "b": 40},
                         yaxis_title=y_title, xaxis_title=None, legend_title_text=by)
    if percent:
        figure.update_yaxes(tickformat=".1%", rangemode="tozero")
    return figure


def stacked_bars(df: pd.DataFrame, *, x: str, y: str, by: str, title: str, x_title: str | None = None,
                 y_title: str | None = None, colors: Mapping[str, str] | None = None) -> go.Figure:
    """Bars of `y` per `x`, stacked by `by` (e.g. opt-outs per days-to-honour, by outcome)."""
    totals = df.groupby([x, by], as_index=False, sort=True)[y].sum()
    figure = go.Figure([go.Bar(x=part[x], y=part[y], name=str(key), marker_color=(colors or {}).get(str(key)))
                        for key, part in totals.groupby(by, sort=True)])
    figure.update_layout(title=title, height=320, barmode="stack",
                         margin={"l": 40, "r": 20, "t": 50, "b": 40}, xaxis_title=x_title, yaxis_title=y_title,
                         legend_title_text=by)
    return figure


def sankey(links: pd.DataFrame, *, title: str) -> go.Figure:
    """A Sankey from (source, target, people) rows; node order follows first appearance."""
    labels = list(dict.fromkeys([*links["source"], *links["target"]]))
    index = {label: i for i, label in enumerate(labels)}
    figure = go.Figure(go.Sankey(node={"label": labels, "pad": 12, "thickness": 14},
                                 link={"source": [index[s] for s in links["source"]],
                                       "target": [index[t] for t in links["target"]],
                                       "value": [max(float(v), 1.0) for v in links["people"]]}))
    figure.update_layout(title=title, height=520, margin={"l": 10, "r": 10, "t": 50, "b": 10})
    return figure
