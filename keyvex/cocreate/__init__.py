"""AI co-creation: sessions, their event stream, the creator page's routes and the preview.

Import what you need from the modules (``keyvex.cocreate.routes.router``,
``keyvex.cocreate.service``): this package is also a Jinja template package, loaded while
``keyvex.web.templating`` starts, so importing it must stay free of the web layer.
"""
