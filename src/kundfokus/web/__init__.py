"""The web platform: a FastAPI app with server-rendered pages (Jinja2 + htmx), the REST API under
``/api/v1`` and the public respondent pages. Start it with ``kundfokus serve``; build it in Python
with :func:`kundfokus.web.app.create_app`."""
