"""The one atomic writer: a file is written whole or not at all.

Every output of kundfokus (tables, reports, charts, model files) goes through :func:`atomic_write`
or :func:`atomic_path`. The data go to a temporary file in the target's folder, are flushed to disk,
and then replace the target in one rename, so a reader never sees half a file and a failure (a full
disk, an exception while rendering) leaves the old file, or none, and no temporary file behind.
"""

from __future__ import annotations

import contextlib
import os
import stat
import tempfile
from collections.abc import Iterator
from pathlib import Path


@contextlib.contextmanager
def atomic_path(path: str | Path) -> Iterator[Path]:
    """Yield a temporary path beside ``path``; on success it replaces ``path``, on error it is removed.

    For writers that want a path of their own (a library that writes a file itself).

    >>> import tempfile, pathlib
    >>> target = pathlib.Path(tempfile.mkdtemp()) / "out.txt"
    >>> with atomic_path(target) as tmp:
    ...     _ = tmp.write_text("whole", encoding="utf-8")
    >>> target.read_text(encoding="utf-8")
    'whole'
    """
    target = Path(path)
    if target.is_dir():
        from kundfokus.errors import InputError

        raise InputError("the output is a folder, not a file", file=str(target))
    from kundfokus.io.readers import is_input

    if is_input(target):
        from kundfokus.errors import InputError

        raise InputError(
            "the output would overwrite an input file", file=str(target),
            hint="write to another file",
        )  # fmt: skip
    if is_special(target):
        # a device, FIFO or socket (/dev/stdout, /dev/null, a named pipe): write through to it;
        # renaming a temporary file over it would replace the device with a regular file
        yield target
        return
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    os.close(fd)
    tmp = Path(name)
    try:
        yield tmp
        with open(tmp, "rb+") as fh:
            os.fsync(fh.fileno())
        if target.exists():
            with contextlib.suppress(OSError):
                os.chmod(tmp, target.stat().st_mode & 0o7777)
        else:
            os.chmod(tmp, 0o666 & ~_umask())
        os.replace(tmp, target)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            tmp.unlink()
        raise


def is_special(path: str | Path) -> bool:
    """True when ``path`` exists and is not a regular file or a folder (a device, FIFO, socket).

    >>> is_special("/dev/null"), is_special(__file__)
    (True, False)
    """
    p = Path(path)
    try:
        mode = p.stat().st_mode
    except OSError:
        return False
    return not (stat.S_ISREG(mode) or stat.S_ISDIR(mode))


def _umask() -> int:
    """The process umask, read without changing it (``os.umask`` sets it, briefly, for every
    thread: a file another thread creates meanwhile would get mode 0o666)."""
    try:
        with open("/proc/self/status", encoding="ascii") as fh:
            for line in fh:
                if line.startswith("Umask:"):
                    return int(line.split()[1], 8)
    except (OSError, ValueError, IndexError):
        pass
    return _UMASK_AT_IMPORT


def _umask_at_import() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


_UMASK_AT_IMPORT = _umask_at_import()  # where /proc is missing (macOS, Windows)


def atomic_write(path: str | Path, data: str | bytes, *, encoding: str = "utf-8") -> Path:
    """Write ``data`` (text or bytes) to ``path`` atomically and return the path.

    >>> import tempfile, pathlib
    >>> p = atomic_write(pathlib.Path(tempfile.mkdtemp()) / "a" / "b.csv", "x,y\\n1,2\\n")
    >>> p.read_text(encoding="utf-8")
    'x,y\\n1,2\\n'
    """
    with atomic_path(path) as tmp:
        if isinstance(data, str):
            tmp.write_text(data, encoding=encoding)
        else:
            tmp.write_bytes(data)
    return Path(path)
