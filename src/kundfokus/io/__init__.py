"""Reading and writing files: every reader (path or bytes) and the one atomic writer.

Methods never touch files; the CLI, the web app and services read with :func:`read_table` and
:func:`read_yaml` and write with :func:`atomic_write` / :func:`atomic_path`.
"""

from __future__ import annotations

from kundfokus.io.readers import (
    TABLE_SUFFIXES,
    is_input,
    read_table,
    read_yaml,
    sniff_delimiter,
    tracking_inputs,
)
from kundfokus.io.writers import atomic_path, atomic_write, is_special

__all__ = [
    "TABLE_SUFFIXES",
    "atomic_path",
    "atomic_write",
    "is_input",
    "is_special",
    "read_table",
    "read_yaml",
    "sniff_delimiter",
    "tracking_inputs",
]
