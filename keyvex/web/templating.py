"""Jinja2 rendering shared by every domain's pages (each domain keeps its own templates)."""

from __future__ import annotations

import importlib.util
from pathlib import Path
from typing import Any

from fastapi import Request
from fastapi.responses import HTMLResponse
from jinja2 import ChoiceLoader, Environment, FileSystemLoader, select_autoescape

from keyvex import __version__
from keyvex.web.csrf import FIELD, csrf_token

#: Packages whose ``templates/`` folder is searched, in order.
TEMPLATE_PACKAGES = (
    "keyvex.web",
    "keyvex.accounts",
    "keyvex.cocreate",
    "keyvex.dashboard",
    "keyvex.data",
    "keyvex.notify",
    "keyvex.admin",
    "keyvex.alerts",
)


def _templates_dir(package: str) -> str:
    """The package's templates folder, found without importing the package (its routes
    import this module)."""
    spec = importlib.util.find_spec(package)
    assert spec is not None and spec.submodule_search_locations
    return str(Path(next(iter(spec.submodule_search_locations))) / "templates")


env = Environment(
    loader=ChoiceLoader([FileSystemLoader(_templates_dir(pkg)) for pkg in TEMPLATE_PACKAGES]),
    autoescape=select_autoescape(["html"]),
    trim_blocks=True,
    auto_reload=False,  # templates ship with the package; no stat() per render
    lstrip_blocks=True,
)


class _LazyToken:
    """Computes the CSRF token only if a template prints it, so pages without forms (and
    public tool pages) do not cause a CSRF cookie to be set."""

    def __init__(self, request: Request, secret: str) -> None:
        self._request, self._secret = request, secret

    def __str__(self) -> str:
        return csrf_token(self._request, self._secret)

    def __html__(self) -> str:
        return str(self)


def render(
    request: Request,
    name: str,
    context: dict[str, Any] | None = None,
    *,
    status_code: int = 200,
    headers: dict[str, str] | None = None,
) -> HTMLResponse:
    """Render a page with the request, the signed-in user and a CSRF token in scope.

    ``product_version`` (the footer's) is set after the page's own context, so a page that
    passes a tool's ``version`` (an edit form's guard) can never show it as Keyvex's.
    """
    app = request.app.state.keyvex
    state = request.scope.get("state", {})
    ctx = {
        "request": request,
        "user": state.get("user"),
        "csrf_field": FIELD,
        "csrf_token": _LazyToken(request, app.secret_key),
        "settings": app.settings,
        **(context or {}),
        "product_version": __version__,
    }
    html = env.get_template(name).render(ctx)
    return HTMLResponse(html, status_code=status_code, headers=headers)
