"""The SVG builders: escaped text, formatted numbers, drop-off, scales."""

from __future__ import annotations

from keyvex.dashboard import charts


def test_funnel_escapes_text_and_formats_numbers() -> None:
    funnel = [
        {"stage": "views", "count": 12345, "rate_from_previous": None},
        {"stage": "<script>", "count": 6000, "rate_from_previous": 48.6},
        {"stage": "leads", "count": 0, "rate_from_previous": 0.0},
    ]
    svg = str(charts.funnel_svg(funnel, 'A "quoted" <title>'))
    assert "<script>" not in svg and "&lt;script&gt;" in svg
    assert "12,345" in svg and "6,000" in svg
    assert "48.6% of previous · 51.4% drop-off" in svg
    assert "&quot;quoted&quot; &lt;title&gt;" in svg
    assert "style=" not in svg


def test_trend_scales_to_a_round_top() -> None:
    days = [
        {"date": f"2025-01-0{n}", "views": n * 7, "starts": n, "completions": 0, "leads": 1}
        for n in range(1, 6)
    ]
    svg = str(charts.trend_svg(days, "Trend"))
    assert svg.count("<polyline") == 4
    assert ">50</text>" in svg and "2025-01-01" in svg and "2025-01-05" in svg


def test_drop_off_never_negative_and_empty_chart() -> None:
    assert charts.drop_off(120.0) == "0.0%"
    assert charts.drop_off(None) == "–"
    assert "<svg" in str(charts.trend_svg([], "Empty"))
