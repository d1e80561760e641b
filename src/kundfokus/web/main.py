"""The ASGI app uvicorn imports (``kundfokus.web.main:app``): the store from ``KUNDFOKUS_DB``.

``kundfokus serve`` sets the environment and starts uvicorn on this module, so that each of
``--workers N`` processes builds its own app (and its own connection pool).
"""

from __future__ import annotations

import os

from kundfokus.web.app import create_app

app = create_app(start_jobs=os.environ.get("KUNDFOKUS_WEB_JOBS", "1") == "1", migrate=True)
