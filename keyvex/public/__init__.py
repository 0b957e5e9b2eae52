"""The public runtime: tool pages, embeds, results, lead capture and analytics events."""

from keyvex.public.routes import router

__all__ = ["router"]
