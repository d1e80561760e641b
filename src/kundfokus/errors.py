"""Typed errors for bad input.

Every error about user data names where the problem is: the file, the row, the column and the value,
so that a person can open the file and fix it. Rows are counted as data rows starting at 1 (the header
is not a data row); for a CSV file with one header line, data row ``r`` is on line ``r + 1``.
"""

from __future__ import annotations

from typing import Any


class KundfokusError(Exception):
    """Base class of every error kundfokus raises on purpose."""


class InputError(KundfokusError, ValueError):
    """Input that cannot be read or is not valid.

    Parameters
    ----------
    message:
        What is wrong, in plain language.
    file, row, column, value:
        Where it is wrong. Any of them may be ``None`` when it does not apply (a missing column has
        no row, for example).

    Examples
    --------
    >>> err = InputError("unknown Kano answer", file="answers.csv", row=3,
    ...                  column="F1_functional", value="maybe")
    >>> print(err)
    answers.csv, row 3, column 'F1_functional', value 'maybe': unknown Kano answer
    """

    def __init__(
        self,
        message: str,
        *,
        file: str | None = None,
        row: int | None = None,
        column: str | None = None,
        value: Any = None,
        hint: str | None = None,
    ) -> None:
        self.message = message
        self.file = file
        self.row = row
        self.column = column
        self.value = value
        self.hint = hint
        super().__init__(str(self))

    def location(self) -> str:
        parts = []
        if self.file is not None:
            parts.append(str(self.file))
        if self.row is not None:
            parts.append(f"row {self.row}")
        if self.column is not None:
            parts.append(f"column {self.column!r}")
        if self.value is not None:
            parts.append(f"value {self.value!r}")
        return ", ".join(parts)

    def __str__(self) -> str:
        where = self.location()
        text = f"{where}: {self.message}" if where else self.message
        if self.hint:
            text += f" ({self.hint})"
        return text

    def with_file(self, file: str | None) -> InputError:
        """Return a copy of this error that names ``file`` (used when a method is called on a
        frame that came from a file)."""
        if file is None or self.file is not None:
            return self
        return InputError(
            self.message,
            file=file,
            row=self.row,
            column=self.column,
            value=self.value,
            hint=self.hint,
        )


def check_on_invalid(on_invalid: str, *, stacklevel: int = 3) -> str:
    """The policy for an answer that cannot be read: ``"raise"`` or ``"missing"``.

    Every method takes it as ``on_invalid=``. The spelling ``"error"`` (kundfokus 0.1) still works,
    warns a :class:`DeprecationWarning` pointing at the caller, and means ``"raise"``.

    >>> check_on_invalid("missing")
    'missing'
    >>> check_on_invalid("skip")
    Traceback (most recent call last):
    ...
    kundfokus.errors.InputError: value 'skip': on_invalid must be 'raise' or 'missing'
    """
    if on_invalid == "error":
        import warnings

        warnings.warn(
            "on_invalid='error' is deprecated and will be removed after 0.2; use "
            "on_invalid='raise' (the same spelling in every method)",
            DeprecationWarning,
            stacklevel=stacklevel,
        )
        return "raise"
    if on_invalid not in ("raise", "missing"):
        raise InputError("on_invalid must be 'raise' or 'missing'", value=on_invalid)
    return on_invalid
