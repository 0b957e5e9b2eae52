"""Until create_app wires the dashboard in: its routes, static files and templates."""

from __future__ import annotations

from typing import Any

from fastapi.staticfiles import StaticFiles
from jinja2 import PackageLoader

from keyvex.web import templating


def wire_dashboard(app: Any) -> Any:
    """Until create_app includes them: the dashboard routes (ahead of the old /dashboard
    shell), its static files and its templates. A no-op once the lead has wired them."""
    from keyvex.dashboard import STATIC_DIR, router

    paths = {getattr(route, "path", "") for route in app.router.routes}
    if "/dashboard/tools/{tool_id}" not in paths:
        before = len(app.router.routes)
        app.include_router(router)
        added = app.router.routes[before:]
        del app.router.routes[before:]
        app.router.routes[0:0] = added
    if "/static/dashboard" not in paths:
        app.mount("/static/dashboard", StaticFiles(directory=STATIC_DIR), name="dashboard-static")
        app.router.routes.insert(0, app.router.routes.pop())
    loaders = templating.env.loader.loaders  # type: ignore[union-attr]
    if not any(getattr(loader, "package_name", "") == "keyvex.dashboard" for loader in loaders):
        loaders.append(PackageLoader("keyvex.dashboard", "templates"))
    return app
