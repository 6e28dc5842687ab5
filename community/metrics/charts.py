"""Small charts drawn on the server as inline SVG: no scripts, no CDN, readable when printed.

Every label is escaped (area and agency names come from data). Each chart has a title and a
text alternative for screen readers; the numbers are also in a table next to it.
"""

from __future__ import annotations

from collections.abc import Sequence

from markupsafe import Markup, escape

BAR_COLOR = "#12355b"
LINE_COLOR = "#b3541e"


def _svg(width: int, height: int, title: str, body: str) -> Markup:
    # body is built here from numbers and escape()d labels only.
    return Markup(  # noqa: S704
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" role="img" '
        f'viewBox="0 0 {width} {height}" width="{width}" height="{height}" '
        f'aria-label="{escape(title)}"><title>{escape(title)}</title>{body}</svg>'
    )


def _number(value: float) -> str:
    return f"{value:,.0f}" if float(value).is_integer() else f"{value:,.1f}"


def bar_chart(items: Sequence[tuple[str, float]], title: str, unit: str = "") -> Markup:
    """Horizontal bars, one per (label, value), in the order given."""
    label_w, bar_w, row_h, pad = 220, 360, 22, 4
    width = label_w + bar_w + 80
    height = max(len(items), 1) * row_h + pad * 2
    top = max((v for _, v in items), default=0) or 1
    parts = []
    for i, (label, value) in enumerate(items):
        y = pad + i * row_h
        length = bar_w * value / top
        text = str(label)
        shown = text if len(text) <= 30 else text[:29] + "…"
        parts.append(
            f'<text x="{label_w - 6}" y="{y + 15}" text-anchor="end" font-size="12">'
            f"{escape(shown)}</text>"
            f'<rect x="{label_w}" y="{y + 3}" width="{length:.1f}" height="{row_h - 6}" '
            f'fill="{BAR_COLOR}"><title>{escape(text)}: {_number(value)}{escape(unit)}</title></rect>'
            f'<text x="{label_w + length + 4:.1f}" y="{y + 15}" font-size="12">'
            f"{_number(value)}{escape(unit)}</text>"
        )
    if not items:
        parts.append(f'<text x="10" y="{pad + 15}" font-size="12">No data yet.</text>')
    return _svg(width, height, title, "".join(parts))


def line_chart(labels: Sequence[str], values: Sequence[float], title: str) -> Markup:
    """A line over time with its first and last labels and the highest value marked."""
    width, height, left, right, top, bottom = 640, 200, 40, 16, 16, 28
    inner_w, inner_h = width - left - right, height - top - bottom
    peak = max(values, default=0) or 1
    step = inner_w / max(len(values) - 1, 1)
    points = [
        (left + i * step, top + inner_h - inner_h * value / peak) for i, value in enumerate(values)
    ]
    path = " ".join(f"{x:.1f},{y:.1f}" for x, y in points)
    dots = "".join(
        f'<circle cx="{x:.1f}" cy="{y:.1f}" r="3" fill="{LINE_COLOR}">'
        f"<title>{escape(labels[i])}: {_number(values[i])}</title></circle>"
        for i, (x, y) in enumerate(points)
    )
    axis = (
        f'<line x1="{left}" y1="{top + inner_h}" x2="{width - right}" y2="{top + inner_h}" '
        f'stroke="#999"/><line x1="{left}" y1="{top}" x2="{left}" y2="{top + inner_h}" '
        f'stroke="#999"/><text x="{left - 4}" y="{top + 4}" text-anchor="end" font-size="11">'
        f"{_number(peak)}</text>"
        f'<text x="{left - 4}" y="{top + inner_h}" text-anchor="end" font-size="11">0</text>'
    )
    if labels:
        axis += (
            f'<text x="{left}" y="{height - 8}" font-size="11">{escape(labels[0])}</text>'
            f'<text x="{width - right}" y="{height - 8}" text-anchor="end" font-size="11">'
            f"{escape(labels[-1])}</text>"
        )
    line = f'<polyline points="{path}" fill="none" stroke="{LINE_COLOR}" stroke-width="2"/>'
    return _svg(width, height, title, axis + line + dots)


def sparkline(values: Sequence[float], title: str) -> Markup:
    """A tiny line for a table cell."""
    width, height = 96, 22
    peak = max(values, default=0) or 1
    step = (width - 4) / max(len(values) - 1, 1)
    path = " ".join(
        f"{2 + i * step:.1f},{height - 2 - (height - 4) * v / peak:.1f}"
        for i, v in enumerate(values)
    )
    body = f'<polyline points="{path}" fill="none" stroke="{LINE_COLOR}" stroke-width="1.5"/>'
    return _svg(width, height, title, body)


def metrics_charts(metrics, public: bool = False) -> dict[str, Markup]:
    """The charts of a metrics page (community.metrics.service.Metrics)."""
    humanize = {k: k.replace("_", " ") for k in metrics.kinds_total}
    charts = {
        "trend": line_chart(
            [f"{m:%b %d}" for m in metrics.trend_moments],
            metrics.trend_total,
            "Open hotspots at the end of each week",
        ),
        "kinds": bar_chart(
            [(humanize[k], v) for k, v in metrics.kinds_total.most_common()],
            "Actions by kind",
        ),
        "neighborhoods": bar_chart(
            [(name.title(), n) for name, n in metrics.per_neighborhood[:15]],
            "Concerns per neighbourhood (top 15)",
        ),
        "resolution": bar_chart(
            [
                (row.name, round(row.resolution.median_h / 24, 1))
                for row in metrics.categories
                if row.resolution.median_h is not None
            ],
            "Median days to resolution by category",
            " d",
        ),
    }
    charts["sparklines"] = {
        row.name: sparkline(row.trend, f"Backlog of {row.name}, last weeks")
        for row in [*metrics.categories, *metrics.agencies]
        if row.trend
    }
    return charts
