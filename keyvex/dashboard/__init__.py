"""The creator dashboard: tools, versions, publishing, leads and the funnel, as server pages."""

from pathlib import Path

from keyvex.dashboard.routes import router

#: Served at ``/static/dashboard`` (the pages link their CSS there).
STATIC_DIR = Path(__file__).parent / "static"

__all__ = ["STATIC_DIR", "router"]
