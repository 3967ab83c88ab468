"""Charts as pure functions from a DataFrame to a plotly figure (tested on fig.data; pages only
place them)."""

from __future__ import annotations

from collections.abc import Mapping

import pandas as pd
import plotly.colors as plotly_colors
import plotly.graph_objects as go

from dashboard.presentation.columns import series_name

# No template is named: Streamlit draws every chart in its own theme (st.plotly_chart's default),
# and naming one made plotly copy and validate the whole template for each figure, 10 ms a chart, on
# every run of a page.


def line_chart(df: pd.DataFrame, *, x: str, y: str, title: str, y_title: str | None = None) -> go.Figure:
    figure = go.Figure(go.Scatter(x=df[x], y=df[y], mode="lines", name=y_title or y))
    figure.update_layout(
        title=title,
        height=320,
        margin={"l": 40, "r": 20, "t": 50, "b": 40},
        yaxis_title=y_title or y,
        xaxis_title=None,
    )
    return figure


def bar_chart(df: pd.DataFrame, *, x: str, y: str, title: str, horizontal: bool = False) -> go.Figure:
    bar = go.Bar(x=df[y], y=df[x], orientation="h") if horizontal else go.Bar(x=df[x], y=df[y])
    figure = go.Figure(bar)
    figure.update_layout(title=title, height=320, margin={"l": 40, "r": 20, "t": 50, "b": 40})
    if horizontal:
        figure.update_yaxes(autorange="reversed")
    return figure


# plotly's own qualitative palette, so a line and its dotted month-to-date tail share a colour
DEFAULT_COLORS = plotly_colors.qualitative.Plotly


def lines_by(
    df: pd.DataFrame,
    *,
    x: str,
    y: str,
    by: str,
    title: str,
    y_title: str,
    percent: bool = False,
    partial: object | None = None,
) -> go.Figure:
    """One line per value of `by` (e.g. a rate per channel over months). `partial` is an x value
    whose figure is not final (the current month, to date): its point is drawn open, joined by a
    dotted segment, and the title says so, so that a month just begun does not read as a plunge."""
    traces = []
    for index, (key, part) in enumerate(df.groupby(by, sort=True)):
        color = DEFAULT_COLORS[index % len(DEFAULT_COLORS)]
        final = part[part[x] != partial]
        traces.append(
            go.Scatter(
                x=final[x],
                y=final[y],
                mode="lines+markers",
                name=series_name(key),
                legendgroup=str(key),
                line={"color": color},
            )
        )
        if partial is not None and (part[x] == partial).any():
            tail = (
                part[part[x] == partial]
                if final.empty
                else pd.concat([final.tail(1), part[part[x] == partial]])
            )
            traces.append(
                go.Scatter(
                    x=tail[x],
                    y=tail[y],
                    mode="lines+markers",
                    name=f"{series_name(key)} ({partial} to date)",
                    legendgroup=str(key),
                    showlegend=False,
                    line={"color": color, "dash": "dot"},
                    marker={"symbol": "circle-open", "size": 9},
                )
            )
    figure = go.Figure(traces)
    if partial is not None and (df[x] == partial).any():
        title = f"{title}<br><sup>{partial} is the month to date (dotted): not comparable yet</sup>"
    figure.update_layout(
        title=title,
        height=320,
        margin={"l": 40, "r": 20, "t": 60, "b": 40},
        yaxis_title=y_title,
        xaxis_title=None,
        legend_title_text=series_name(by),
    )
    if percent:
        figure.update_yaxes(tickformat=".1%", rangemode="tozero")
    return figure


def stacked_bars(
    df: pd.DataFrame,
    *,
    x: str,
    y: str,
    by: str,
    title: str,
    x_title: str | None = None,
    y_title: str | None = None,
    colors: Mapping[str, str] | None = None,
) -> go.Figure:
    """Bars of `y` per `x`, stacked by `by` (e.g. opt-outs per days-to-honour, by outcome)."""
    totals = df.groupby([x, by], as_index=False, sort=True)[y].sum()
    figure = go.Figure(
        [
            go.Bar(x=part[x], y=part[y], name=series_name(key), marker_color=(colors or {}).get(str(key)))
            for key, part in totals.groupby(by, sort=True)
        ]
    )
    figure.update_layout(
        title=title,
        height=320,
        barmode="stack",
        margin={"l": 40, "r": 20, "t": 50, "b": 40},
        xaxis_title=x_title,
        yaxis_title=y_title,
        legend_title_text=series_name(by),
    )
    return figure


def sankey(links: pd.DataFrame, *, title: str) -> go.Figure:
    """A Sankey from (source, target, people) rows; node order follows first appearance."""
    labels = list(dict.fromkeys([*links["source"], *links["target"]]))
    index = {label: i for i, label in enumerate(labels)}
    figure = go.Figure(
        go.Sankey(
            node={"label": labels, "pad": 12, "thickness": 14},
            link={
                "source": [index[s] for s in links["source"]],
                "target": [index[t] for t in links["target"]],
                "value": [max(float(v), 1.0) for v in links["people"]],
            },
        )
    )
    figure.update_layout(title=title, height=520, margin={"l": 10, "r": 10, "t": 50, "b": 10})
    return figure
