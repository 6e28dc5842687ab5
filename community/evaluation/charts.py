"""The before-and-after weekly chart: server-drawn SVG, no script, no style attribute."""

from __future__ import annotations

from collections.abc import Sequence

from markupsafe import Markup, escape

BEFORE_FILL = "#6b6b6b"  # 5.3:1 on white: graphics need 3:1 (WCAG 1.4.11)
AFTER_FILL = "#12355b"
WIDTH, HEIGHT = 480, 150
LEFT, RIGHT, TOP, BOTTOM = 28, 8, 14, 34


def before_after_chart(
    before: Sequence[int], after: Sequence[int], title: str, before_label: str, after_label: str
) -> Markup:
    """Weekly bars before the response (grey) and after it (dark), a line at the response."""
    weeks = len(before) + len(after)
    inner_w, inner_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    peak = max([*before, *after, 1])
    step = inner_w / max(weeks, 1)
    parts = []
    for i, value in enumerate([*before, *after]):
        fill = BEFORE_FILL if i < len(before) else AFTER_FILL
        height = inner_h * value / peak
        x, y = LEFT + i * step + 2, TOP + inner_h - height
        parts.append(
            f'<rect x="{x:.1f}" y="{y:.1f}" width="{max(step - 4, 1):.1f}" '
            f'height="{height:.1f}" fill="{fill}"><title>{value}</title></rect>'
        )
    cut = LEFT + len(before) * step
    base = TOP + inner_h
    parts.append(
        f'<line x1="{LEFT}" y1="{base}" x2="{WIDTH - RIGHT}" y2="{base}" stroke="#595959"/>'
        f'<line x1="{cut:.1f}" y1="{TOP - 6}" x2="{cut:.1f}" y2="{base + 4}" stroke="#000" '
        f'stroke-dasharray="4 3"/>'
        f'<text x="{LEFT - 4}" y="{TOP + 4}" text-anchor="end" font-size="11">{peak}</text>'
        f'<text x="{LEFT - 4}" y="{base}" text-anchor="end" font-size="11">0</text>'
        f'<text x="{LEFT + 2}" y="{HEIGHT - 8}" font-size="12">{escape(before_label)}</text>'
        f'<text x="{WIDTH - RIGHT}" y="{HEIGHT - 8}" text-anchor="end" font-size="12">'
        f"{escape(after_label)}</text>"
    )
    described = f"{title}: {', '.join(map(str, before))} | {', '.join(map(str, after))}"
    # Built here from numbers and escape()d labels only.
    return Markup(  # noqa: S704
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart evaluation-chart" role="img" '
        f'viewBox="0 0 {WIDTH} {HEIGHT}" width="{WIDTH}" height="{HEIGHT}" '
        f'aria-label="{escape(described)}"><title>{escape(title)}</title>'
        f"{''.join(parts)}</svg>"
    )
