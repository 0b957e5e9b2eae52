"""The public runtime: tool pages, embeds, results, lead capture and analytics events."""

from keyvex.public._fastpath import RENDERED
from keyvex.public._fastpath import install as install_page_cache
from keyvex.public._page import render_page, theme_css
from keyvex.public.routes import routes

__all__ = ["RENDERED", "install_page_cache", "render_page", "routes", "theme_css"]
