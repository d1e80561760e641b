"""Progress on stderr for long CLI work (rich), shown only when stderr is a terminal.

Two helpers: :func:`working` for one long call (a spinner with the time spent, e.g. fitting the CLV
models or building the demo) and :func:`track` for work done in batches (a bar with the share done
and the time left, e.g. classifying contacts). When stderr is not a terminal (a pipe, a file, the
tests) they print nothing and cost nothing, so the output of a command stays the same.
"""

from __future__ import annotations

import sys
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from typing import TypeVar

T = TypeVar("T")


def enabled() -> bool:
    """True when stderr is a terminal (then the progress is worth drawing).

    >>> enabled()  # under pytest stderr is captured
    False
    """
    stream = sys.stderr
    return bool(getattr(stream, "isatty", None) and stream.isatty())


def _progress(bar: bool):  # type: ignore[no-untyped-def]
    from rich.console import Console
    from rich.progress import (
        BarColumn,
        Progress,
        SpinnerColumn,
        TaskProgressColumn,
        TextColumn,
        TimeElapsedColumn,
        TimeRemainingColumn,
    )

    columns = [SpinnerColumn(), TextColumn("{task.description}")]
    if bar:
        columns += [BarColumn(), TaskProgressColumn(), TimeRemainingColumn()]
    columns.append(TimeElapsedColumn())
    return Progress(*columns, console=Console(stderr=True), transient=True)


@contextmanager
def working(description: str) -> Iterator[None]:
    """A spinner with ``description`` and the time spent, on stderr, while the block runs.

    >>> with working("fitting"):
    ...     1 + 1
    2
    """
    if not enabled():
        yield
        return
    with _progress(bar=False) as progress:
        progress.add_task(description, total=None)
        yield


def track(items: Iterable[T], *, total: int, description: str) -> Iterator[T]:
    """Yield ``items`` (``total`` of them: batches, rows) with a progress bar on stderr.

    >>> list(track([1, 2, 3], total=3, description="batches"))
    [1, 2, 3]
    """
    if not enabled():
        yield from items
        return
    with _progress(bar=True) as progress:
        task = progress.add_task(description, total=total)
        for item in items:
            yield item
            progress.advance(task)
