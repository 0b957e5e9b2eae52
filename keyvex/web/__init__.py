"""The web layer: app factory, middlewares, shared dependencies, site pages."""
