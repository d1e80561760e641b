"""Typed errors for bad input.

Every error about user data names where the problem is: the file, the row, the column and the value,
so that a person can open the file and fix it. Rows are counted as data rows starting at 1 (the header
is not a data row); for a CSV file with one header line, data row ``r`` is on line ``r + 1``.
"""

from __future__ import annotations

from typing import Any

#: At most this many characters of a value are echoed in a message; a longer value is cut and
#: followed by its length, so that a 10 MB cell never fills the terminal.
MAX_ECHO = 80


def shown(value: Any, limit: int = MAX_ECHO) -> str:
    """``repr(value)``, cut to about ``limit`` characters with the full length added.

    >>> shown("maybe")
    "'maybe'"
    >>> shown("x" * 10_000)[-24:]
    'xxxx… (10000 characters)'
    """
    text = repr(value)
    if len(text) <= limit:
        return text
    size = len(value) if isinstance(value, (str, bytes)) else len(text)
    return f"{text[:limit]}… ({size} characters)"


def _location(file: Any, row: Any, column: Any, value: Any) -> str:
    parts = []
    if file is not None:
        parts.append(str(file))
    if row is not None:
        parts.append(f"row {row}")
    if column is not None:
        parts.append(f"column {shown(column)}")
    if value is not None:
        parts.append(f"value {shown(value)}")
    return ", ".join(parts)


class _Located:
    """What :class:`InputError` and :class:`InputWarning` share: a message with the file, row,
    column and value it is about, printed the same way."""

    message: str
    file: str | None
    row: int | None
    column: str | None
    value: Any
    hint: str | None

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
        """Where the problem is; a long value is cut (see :func:`shown`)."""
        return _location(self.file, self.row, self.column, self.value)

    def __str__(self) -> str:
        where = self.location()
        text = f"{where}: {self.message}" if where else self.message
        if self.hint:
            text += f" ({self.hint})"
        return text

    def _named(self, cls: type[Any], file: str | None) -> Any:
        """A ``cls`` like this one that names ``file``; itself when it names one already."""
        if file is None or self.file is not None:
            return self
        return cls(self.message, file=file, row=self.row, column=self.column, value=self.value,
                   hint=self.hint)  # fmt: skip


class KundfokusError(Exception):
    """Base class of every error kundfokus raises on purpose."""


class InputError(_Located, KundfokusError, ValueError):
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

    def with_file(self, file: str | None) -> InputError:
        """Return a copy of this error that names ``file`` (used when a method is called on a
        frame that came from a file)."""
        return self._named(InputError, file)


class InputWarning(_Located, UserWarning):
    """Input that can be used but looks wrong (a date in the future, a negative amount, a duplicate
    id, a text cut to the size limit). The method goes on; the CLI prints one line per warning on
    stderr, naming the file, row, column and value the same way :class:`InputError` does.

    Methods raise it with :func:`warn_input`; a caller can turn it into an error with
    ``warnings.simplefilter("error", InputWarning)``.

    >>> w = InputWarning("the date is in the future", file="a.csv", row=2, column="date",
    ...                  value="2099-01-01")
    >>> print(w)
    a.csv, row 2, column 'date', value '2099-01-01': the date is in the future
    """

    def with_file(self, file: str | None) -> InputWarning:
        """A copy that names ``file`` (unless it already names one)."""
        return self._named(InputWarning, file)


def warn_input(
    message: str,
    *,
    file: str | None = None,
    row: int | None = None,
    column: str | None = None,
    value: Any = None,
    hint: str | None = None,
    stacklevel: int = 3,
) -> None:
    """Emit an :class:`InputWarning` (the input is used as it is)."""
    import warnings

    warnings.warn(
        InputWarning(message, file=file, row=row, column=column, value=value, hint=hint),
        stacklevel=stacklevel,
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
