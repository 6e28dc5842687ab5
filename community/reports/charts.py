"""Bar charts for the report (concerns by category and by week), readable in black and white."""

from __future__ import annotations

import io
from collections.abc import Sequence

WIDTH_IN = 6.5
DPI = 150
BAR_GREY = "#9a9a9a"


def _figure(width_in: float, height_in: float):
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    figure = Figure(figsize=(width_in, height_in), dpi=DPI)
    FigureCanvasAgg(figure)  # the Agg canvas, set here: no pyplot, no global backend
    return figure


def _png(figure) -> bytes:
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=DPI)
    return buffer.getvalue()


def _plain(axes) -> None:
    for side in ("top", "right"):
        axes.spines[side].set_visible(False)
    axes.tick_params(labelsize=7)


def category_chart_png(counts: Sequence[tuple[str, int]], xlabel: str) -> bytes:
    """Horizontal bars, largest category on top, each bar labelled with its count."""
    counts = list(counts)[:10]
    height = 0.6 + 0.26 * max(len(counts), 1)
    figure = _figure(WIDTH_IN, height)
    axes = figure.add_subplot()
    names = [name for name, _ in counts][::-1]
    values = [n for _, n in counts][::-1]
    bars = axes.barh(names, values, color=BAR_GREY, edgecolor="black", linewidth=0.6, hatch="///")
    axes.bar_label(bars, padding=2, fontsize=7)
    axes.set_xlabel(xlabel, fontsize=7)
    axes.margins(x=0.12)
    axes.xaxis.get_major_locator().set_params(integer=True)
    _plain(axes)
    figure.tight_layout(pad=0.4)
    return _png(figure)


def weekly_chart_png(labels: Sequence[str], values: Sequence[int], ylabel: str) -> bytes:
    """One bar per week (weeks with no concern shown as zero), labelled with the week's date."""
    labels, values = list(labels), list(values)
    figure = _figure(WIDTH_IN, 2.1)
    axes = figure.add_subplot()
    bars = axes.bar(range(len(values)), values, color=BAR_GREY, edgecolor="black", linewidth=0.6)
    axes.bar_label(bars, padding=1, fontsize=6)
    step = max(1, len(labels) // 12)  # at most a dozen date labels
    axes.set_xticks(range(0, len(labels), step), labels[::step])
    axes.set_ylabel(ylabel, fontsize=7)
    axes.margins(y=0.15)
    axes.yaxis.get_major_locator().set_params(integer=True)
    _plain(axes)
    figure.tight_layout(pad=0.4)
    return _png(figure)
