"""Server-side SVG charts for the dashboard: the funnel with drop-off and the daily trend.

Every text is escaped and every number formatted here; colours come from classes in
dashboard.css (the CSP allows no inline styles), so the SVG is plain markup.
"""

from __future__ import annotations

from collections.abc import Sequence
from html import escape
from typing import Any

from markupsafe import Markup

FUNNEL_WIDTH = 640
LABEL_WIDTH = 150
ROW = 46
BAR = 26
TREND_WIDTH, TREND_HEIGHT = 640, 240
PAD_LEFT, PAD_RIGHT, PAD_TOP, PAD_BOTTOM = 44, 12, 14, 30
SERIES = ("views", "starts", "completions", "leads")


def number(value: float | int | None) -> str:
    """1234 -> '1,234'; 12.5 -> '12.5'; None -> '–'."""
    if value is None:
        return "–"
    if float(value).is_integer():
        return f"{int(value):,}"
    return f"{value:,.1f}"


def percent(value: float | None) -> str:
    return "–" if value is None else f"{value:.1f}%"


def share(part: int, whole: int) -> str:
    """``part`` as a percentage of ``whole``, never above 100% (counters from before visits
    were counted once could hold more starts than views); '–' without a base."""
    return percent(min(100.0, 100 * part / whole)) if whole else "–"


def drop_off(rate: float | None) -> str:
    """The share lost since the previous stage (never below zero; every stage counts visits,
    so a stage cannot outnumber the one before it, but old counters might)."""
    return "–" if rate is None else percent(max(0.0, 100 - rate))


def stage_label(stage: str) -> str:
    return stage[:1].upper() + stage[1:]


def _text(x: float, y: float, content: str, cls: str, anchor: str = "start") -> str:
    return (
        f'<text x="{x:.1f}" y="{y:.1f}" class="{cls}" text-anchor="{anchor}">'
        f"{escape(content)}</text>"
    )


def funnel_svg(funnel: Sequence[dict[str, Any]], title: str) -> Markup:
    """Horizontal bars, one per stage, scaled to the first (views); rate and drop-off beside."""
    rows = list(funnel)
    height = max(ROW * len(rows) + 8, ROW)
    top = max([int(row["count"]) for row in rows] + [1])
    track = FUNNEL_WIDTH - LABEL_WIDTH - 8
    parts = [
        f'<svg class="dash-chart dash-funnel" viewBox="0 0 {FUNNEL_WIDTH} {height}" '
        f'role="img" aria-labelledby="funnel-title" xmlns="http://www.w3.org/2000/svg">',
        f'<title id="funnel-title">{escape(title)}</title>',
    ]
    for n, row in enumerate(rows):
        y = n * ROW + 4
        count = int(row["count"])
        width = track * count / top
        rate = row.get("rate_from_previous")
        parts.append(_text(0, y + BAR * 0.7, stage_label(str(row["stage"])), "dash-label"))
        parts.append(
            f'<rect x="{LABEL_WIDTH}" y="{y}" width="{track}" height="{BAR}" rx="4" '
            f'class="dash-track"/>'
        )
        parts.append(
            f'<rect x="{LABEL_WIDTH}" y="{y}" width="{width:.1f}" height="{BAR}" rx="4" '
            f'class="dash-bar dash-bar-{n % 6}"><title>{escape(_bar_title(row))}</title></rect>'
        )
        parts.append(_text(LABEL_WIDTH + 8, y + BAR * 0.7, number(count), "dash-value"))
        if n and rate is not None:
            note = f"{percent(rate)} of previous · {drop_off(rate)} drop-off"
            parts.append(_text(LABEL_WIDTH, y + BAR + 13, note, "dash-note"))
    parts.append("</svg>")
    return Markup("".join(parts))


def _bar_title(row: dict[str, Any]) -> str:
    rate = row.get("rate_from_previous")
    tail = "" if rate is None else f" ({percent(rate)} of the previous stage)"
    return f"{stage_label(str(row['stage']))}: {number(row['count'])}{tail}"


def _scale(values: Sequence[int]) -> int:
    """A round top for the y axis: 1, 2, 5 x 10^n at or above the largest value."""
    top = max([*values, 1])
    step = 1
    while True:
        for factor in (1, 2, 5):
            if step * factor >= top:
                return step * factor
        step *= 10


def trend_svg(days: Sequence[dict[str, Any]], title: str) -> Markup:
    """One line per counter over the days of the range, with the axis scale and dates."""
    inner_w = TREND_WIDTH - PAD_LEFT - PAD_RIGHT
    inner_h = TREND_HEIGHT - PAD_TOP - PAD_BOTTOM
    top = _scale([int(day[name]) for day in days for name in SERIES])
    count = max(len(days), 1)

    def x(i: int) -> float:
        return PAD_LEFT + (inner_w * i / (count - 1) if count > 1 else inner_w / 2)

    def y(value: int) -> float:
        return PAD_TOP + inner_h - inner_h * value / top

    parts = [
        f'<svg class="dash-chart dash-trend" viewBox="0 0 {TREND_WIDTH} {TREND_HEIGHT}" '
        f'role="img" aria-labelledby="trend-title" xmlns="http://www.w3.org/2000/svg">',
        f'<title id="trend-title">{escape(title)}</title>',
    ]
    for value in (0, top // 2 if top > 1 else 0, top):
        parts.append(
            f'<line x1="{PAD_LEFT}" x2="{TREND_WIDTH - PAD_RIGHT}" y1="{y(value):.1f}" '
            f'y2="{y(value):.1f}" class="dash-gridline"/>'
        )
        parts.append(_text(PAD_LEFT - 6, y(value) + 4, number(value), "dash-axis", "end"))
    for i in sorted({0, (count - 1) // 2, count - 1}) if days else ():
        anchor = "start" if i == 0 else ("end" if i == count - 1 else "middle")
        label = str(days[i]["date"])
        parts.append(_text(x(i), TREND_HEIGHT - 8, label, "dash-axis", anchor))
    for name in SERIES:
        points = " ".join(f"{x(i):.1f},{y(int(day[name])):.1f}" for i, day in enumerate(days))
        parts.append(f'<polyline points="{points}" class="dash-line dash-line-{name}"/>')
        if len(days) <= 62:
            for i, day in enumerate(days):
                tip = f"{day['date']}: {number(day[name])} {name}"
                parts.append(
                    f'<circle cx="{x(i):.1f}" cy="{y(int(day[name])):.1f}" r="2.5" '
                    f'class="dash-dot dash-line-{name}"><title>{escape(tip)}</title></circle>'
                )
    parts.append("</svg>")
    return Markup("".join(parts))
