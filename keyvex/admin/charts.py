"""Server-side SVG charts of the usage page: cost per day (bars) and a ranking (bars).

Like the dashboard's charts (``keyvex.dashboard.charts``): every text escaped, colours from
CSS classes (no inline styles under the CSP), a ``<title>`` per bar for the exact figure.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from html import escape

from markupsafe import Markup

WIDTH, HEIGHT = 640, 220
LEFT, RIGHT, TOP, BOTTOM = 56, 10, 12, 28
RANK_ROW, RANK_BAR, RANK_LABEL = 30, 20, 250
#: Below a millionth of a dollar a cost shows as "<$0.000001".
TINY = 1e-6


def money(value: float | None) -> str:
    """One money format for every admin figure: $1,234.57 and $0.42 to the cent; under a
    cent, two significant digits ($0.0042, $0.00012) so a cheap request does not read as free;
    $0.00 only for nothing; None -> '–'."""
    if value is None:
        return "–"
    size = abs(value)
    sign = "-" if value < 0 else ""
    if size >= 0.01 or size == 0:
        return f"{sign}${size:,.2f}"
    if size < TINY:
        return f"{sign}<${TINY:.6f}"
    decimals = 1 - math.floor(math.log10(size))
    return f"{sign}${size:.{decimals}f}".rstrip("0")


def axis_money(ticks: Sequence[float]) -> list[str]:
    """Axis labels in dollars, all with the same decimals: whole dollars from $10 up, else the
    fewest decimals (two at least) that show every tick exactly ($0.00, $0.50, $1.00)."""
    if max(ticks, default=0.0) >= 10:
        return [f"${t:,.0f}" for t in ticks]
    decimals = next(
        (d for d in range(2, 9) if all(abs(t * 10**d - round(t * 10**d)) < 1e-6 for t in ticks)),
        8,
    )
    return [f"${t:,.{decimals}f}" for t in ticks]


def _count(value: float) -> str:
    return f"{value:,.0f}" if value >= 10 or float(value).is_integer() else f"{value:.1f}"


_money = money


def _top(values: Sequence[float]) -> float:
    """A round top for the axis: 1, 2, 5 x 10^n at or above the largest value."""
    largest = max([*values, 0.0])
    if largest <= 0:
        return 1.0
    step = 10.0 ** (len(str(int(largest))) - 1) if largest >= 1 else 1e-6
    while True:
        for factor in (1, 2, 5):
            if step * factor >= largest:
                return step * factor
        step *= 10


def _text(x: float, y: float, content: str, cls: str, anchor: str = "start") -> str:
    return (f'<text x="{x:.1f}" y="{y:.1f}" class="{cls}" text-anchor="{anchor}">'
            f"{escape(content)}</text>")  # fmt: skip


def daily_bars(
    days: Sequence[tuple[str, float]], title: str, label: str = "cost", *, money: bool = True
) -> Markup:
    """One bar per day (``(YYYY-MM-DD, value)``), the axis in dollars or in counts."""
    shown = _money if money else _count
    inner_w, inner_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    top = _top([v for _, v in days])
    if not money and top in (1.0, 5.0):  # counts: a whole middle tick (0 / 3 / 6, not 2.5)
        top += 1
    slot = inner_w / max(len(days), 1)
    bar = max(slot * 0.7, 1.0)
    parts = [
        f'<svg class="dash-chart adm-bars" viewBox="0 0 {WIDTH} {HEIGHT}" role="img" '
        f'aria-label="{escape(title)}" xmlns="http://www.w3.org/2000/svg">',
        f"<title>{escape(title)}</title>",
    ]
    ticks = (0.0, top / 2, top)
    labels = axis_money(ticks) if money else [_count(v) for v in ticks]
    for value, tick in zip(ticks, labels, strict=True):
        y = TOP + inner_h - inner_h * value / top
        parts.append(f'<line x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{y:.1f}" y2="{y:.1f}" '
                     f'class="dash-gridline"/>')  # fmt: skip
        parts.append(_text(LEFT - 6, y + 4, tick, "dash-axis", "end"))
    for i, (day, value) in enumerate(days):
        height = inner_h * value / top
        x = LEFT + slot * i + (slot - bar) / 2
        parts.append(
            f'<rect x="{x:.1f}" y="{TOP + inner_h - height:.1f}" width="{bar:.1f}" '
            f'height="{height:.1f}" class="adm-bar"><title>{escape(day)}: {escape(shown(value))}'
            f" {escape(label)}</title></rect>"
        )
    for i in sorted({0, (len(days) - 1) // 2, len(days) - 1}) if days else ():
        anchor = "start" if i == 0 else ("end" if i == len(days) - 1 else "middle")
        x = LEFT + slot * i + slot / 2
        parts.append(_text(x, HEIGHT - 8, days[i][0], "dash-axis", anchor))
    parts.append("</svg>")
    return Markup("".join(parts))


def ranking(rows: Sequence[tuple[str, float, str]], title: str) -> Markup:
    """Horizontal bars (``(label, value, shown value)``), longest first as given."""
    height = max(RANK_ROW * len(rows), RANK_ROW) + 4
    top = max([v for _, v, _ in rows] + [0.0]) or 1.0
    track = WIDTH - RANK_LABEL - 8
    parts = [
        f'<svg class="dash-chart adm-rank" viewBox="0 0 {WIDTH} {height}" role="img" '
        f'aria-label="{escape(title)}" xmlns="http://www.w3.org/2000/svg">',
        f"<title>{escape(title)}</title>",
    ]
    for n, (label, value, shown) in enumerate(rows):
        y = n * RANK_ROW + 4
        short = label if len(label) <= 30 else label[:29] + "…"  # the full name is the tip
        parts.append(_text(RANK_LABEL - 8, y + RANK_BAR * 0.72, short, "dash-label adm-rank-label",
                           "end"))  # fmt: skip
        parts.append(f'<rect x="{RANK_LABEL}" y="{y}" width="{track}" height="{RANK_BAR}" '
                     f'rx="3" class="dash-track"/>')  # fmt: skip
        parts.append(
            f'<rect x="{RANK_LABEL}" y="{y}" width="{track * value / top:.1f}" '
            f'height="{RANK_BAR}" rx="3" class="dash-bar dash-bar-{n % 6}">'
            f"<title>{escape(label)}: {escape(shown)}</title></rect>"
        )
        width = track * value / top
        inside = width > track * 0.75  # a long bar holds its figure; a short one has it beside
        x = RANK_LABEL + (width - 6 if inside else width + 6)
        cls, anchor = ("dash-value", "end") if inside else ("adm-rank-value", "start")
        parts.append(_text(x, y + RANK_BAR * 0.72, shown, cls, anchor))
    parts.append("</svg>")
    return Markup("".join(parts))
