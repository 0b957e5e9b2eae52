"""What the admin pages show, built from the service results (formatting and charts)."""

from __future__ import annotations

from datetime import date, timedelta
from types import SimpleNamespace
from typing import Any

from fastapi import Request
from fastapi.responses import HTMLResponse
from markupsafe import Markup, escape

from keyvex.admin import charts
from keyvex.admin._spenders import Spender
from keyvex.admin.figures import Figures
from keyvex.admin.usage import UsageSummary
from keyvex.clock import now_iso
from keyvex.errors import Invalid
from keyvex.web.templating import render

PERIODS = (7, 30, 90)


def number(value: float | int | None) -> str:
    if value is None:
        return "–"
    return f"{int(value):,}" if float(value).is_integer() else f"{value:,.1f}"


def rate(value: float | None) -> str:
    return "–" if value is None else f"{100 * value:.1f}%"


def ms(value: float | None) -> str:
    if value is None:
        return "–"
    return f"{value / 1000:.2f} s" if value >= 1000 else f"{value:.0f} ms"


def email(address: str | None) -> Markup:
    """An address that may wrap after its "@" and before each "." of the domain (``<wbr>``),
    so a narrow card breaks it at a readable place, not mid-word. Every part is escaped."""
    local, at, domain = (address or "").rpartition("@")
    if not at:
        return escape(address or "")
    parts = [escape(part) for part in domain.split(".")]
    return escape(local) + Markup("@<wbr>") + Markup("<wbr>.").join(parts)


FMT = SimpleNamespace(money=charts.money, number=number, rate=rate, ms=ms, email=email)


def render_admin(
    request: Request, name: str, context: dict[str, Any], *, status_code: int = 200
) -> HTMLResponse:
    """Render an admin page with the shared formatters (``fmt``) in scope."""
    return render(request, name, {"fmt": FMT, **context}, status_code=status_code)


def today() -> date:
    return date.fromisoformat(now_iso()[:10])


def period(days: int) -> tuple[date, date]:
    """The last ``days`` days, today included."""
    if days not in PERIODS:
        raise Invalid("Choose 7, 30 or 90 days.", fields={"days": "Use 7, 30 or 90."})
    end = today()
    return end - timedelta(days=days - 1), end


def usage_context(summary: UsageSummary, days: int, filters: dict[str, str]) -> dict[str, Any]:
    yesterday = summary.day(today() - timedelta(days=1))
    failing = summary.most_failing_model()
    daily = [(day, figures.cost_usd) for day, figures in summary.days]
    top_models = [(name, f.cost_usd, charts.money(f.cost_usd)) for name, f in summary.by_model[:8]]
    label = f"over the last {days} days"
    return {
        "summary": summary,
        "days": days,
        "periods": PERIODS,
        "filters": filters,
        "yesterday": yesterday,
        "today_figures": summary.day(today()),
        "failing": failing,
        "top_creator": top_spender(summary),
        "cost_chart": charts.daily_bars(daily, f"AI cost per day {label}"),
        "requests_chart": charts.daily_bars(
            [(day, float(f.requests)) for day, f in summary.days],
            f"Model requests per day {label}",
            "requests",
            money=False,
        ),
        "model_chart": charts.ranking(top_models, f"AI cost by model {label}"),
        "fmt": FMT,
        "groups": (
            ("Process", "process", summary.by_process),
            ("Provider", "provider", summary.by_provider),
            ("Model", None, summary.by_model),
        ),  # fmt: skip
    }


def top_spender(summary: UsageSummary) -> Spender | None:
    """The creator who spent most, or None when nobody spent anything (a $0.00 "winner"
    would only be the first name in the list)."""
    first = summary.creators[0] if summary.creators else None
    return first if first is not None and first.figures.cost_usd > 0 else None


def figures_json(figures: Figures) -> dict[str, Any]:
    return figures.as_json()
