"""A browser for the offline HTML reports: Debian's chromium driven by Playwright.

Playwright's sync API allows one instance per thread, and tests/web/conftest.py keeps its own
``browser`` open for the whole session; so this one lives in a worker thread of its own and runs
the page work there (:meth:`LayoutBrowser.run`). It works in any test order.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pytest

CHROMIUM = "/usr/bin/chromium"


class LayoutBrowser:
    """``run(fn, *args)`` calls ``fn(browser, *args)`` in the thread that owns the browser."""

    def __init__(self) -> None:
        self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="report-browser")
        self._pool.submit(self._start).result()

    def _start(self) -> None:
        from playwright.sync_api import sync_playwright

        self._pw = sync_playwright().start()
        self._browser = self._pw.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])

    def _stop(self) -> None:
        self._browser.close()
        self._pw.stop()

    def run(self, fn: Callable[..., Any], *args: Any) -> Any:
        return self._pool.submit(fn, self._browser, *args).result()

    def close(self) -> None:
        try:
            self._pool.submit(self._stop).result()
        finally:
            self._pool.shutdown()


@pytest.fixture(scope="module")
def report_browser() -> Iterator[LayoutBrowser]:
    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: apt-get install -y chromium (.ci/run does)")
    b = LayoutBrowser()
    try:
        yield b
    finally:
        b.close()
