"""CPI definitions: the YAML format, its pydantic models, the loader and the bundled default set.

A definitions file holds a list ``cpis``; each CPI has an ``id``, a bilingual ``name``, the customer
``outcome`` it measures, a ``kind`` with the keys that kind needs, a ``unit``, a direction
(``better: lower|higher``) and an optional ``target``::

    cpis:
      - id: time_to_resolution
        name: {sv: Tid till lösning, en: Time to resolution}
        kind: duration
        from: {step: contact_opened}
        to: {step: resolved}
        unit: hours
        better: lower
        target: 24

Kinds and their keys (``among`` is optional for every kind and restricts the CPI to the journeys
with at least one event matching it):

============  ===================================  ==============================================
kind          keys                                 per journey
============  ===================================  ==============================================
duration      ``from``, ``to``                     time from the first ``from`` event to the first
                                                   ``to`` event at or after it (open: censored)
count         ``where``                            number of events matching ``where``
changes       ``field`` (``where`` optional)       times ``field`` differs from the previous
                                                   event's value (time order, missing skipped)
share         ``reach`` (``without`` optional)     1 when ``reach`` happened and ``without`` never
sum           ``field`` (``where`` optional)       sum of ``field`` over the (matching) events
answer        ``field``, ``at``                    ``field`` at the first ``at`` event with a value
============  ===================================  ==============================================

A condition is a mapping of column to value, all of which must hold: ``{step: resolved}``,
``{step: resolved, channel: chat}``; a list means any of its values: ``{step: [resolved, closed]}``.

Errors name the file, the CPI and the key:

>>> parse_definitions({"cpis": [{"id": "x", "kind": "duration", "from": {"step": "a"}}]},
...                   source="cpis.yaml")
Traceback (most recent call last):
...
kundfokus.errors.InputError: cpis.yaml: cpi 'x', key 'to': kind duration needs this key
"""

from __future__ import annotations

import re
from importlib import resources
from pathlib import Path
from typing import Any, Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    ValidationError,
    field_validator,
    model_validator,
)

from kundfokus.errors import InputError

__all__ = [
    "DURATION_UNITS",
    "KINDS",
    "Cpi",
    "CpiDefinitions",
    "Text",
    "default_definitions",
    "default_yaml",
    "load_definitions",
    "parse_definitions",
]

Kind = Literal["duration", "count", "changes", "share", "sum", "answer"]
KINDS: tuple[str, ...] = ("duration", "count", "changes", "share", "sum", "answer")

#: Seconds per duration unit.
DURATION_UNITS: dict[str, float] = {
    "seconds": 1.0,
    "minutes": 60.0,
    "hours": 3600.0,
    "days": 86400.0,
}

_CONDITION_KEYS = ("from", "to", "where", "reach", "without", "at", "among")
#: The keys each kind needs and the ones it may have (besides the common ones).
_NEEDS: dict[str, tuple[str, ...]] = {
    "duration": ("from", "to"),
    "count": ("where",),
    "changes": ("field",),
    "share": ("reach",),
    "sum": ("field",),
    "answer": ("field", "at"),
}
_MAY: dict[str, tuple[str, ...]] = {
    "duration": (),
    "count": ("stat",),
    "changes": ("where", "stat"),
    "share": ("without",),
    "sum": ("where", "stat"),
    "answer": ("stat",),
}
_DEFAULT_BETTER = {
    "duration": "lower",
    "count": "lower",
    "changes": "lower",
    "share": "higher",
    "sum": "higher",
    "answer": "higher",
}
_DEFAULT_UNIT = {
    "duration": "hours",
    "count": "events",
    "changes": "changes",
    "share": "share",
    "sum": "",
    "answer": "",
}

Scalar = str | int | float | bool


class Text(BaseModel):
    """A text in Swedish and English; a plain string is used for both."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    sv: str
    en: str

    @model_validator(mode="before")
    @classmethod
    def _plain(cls, value: Any) -> Any:
        if isinstance(value, str):
            return {"sv": value, "en": value}
        return value

    def get(self, lang: str) -> str:
        return self.sv if lang == "sv" else self.en


class Cpi(BaseModel):
    """One customer performance indicator."""

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)

    id: str
    kind: Kind
    name: Text | None = None
    outcome: Text | None = None
    description: Text | None = None
    unit: str | None = None
    better: Literal["lower", "higher"] | None = None
    target: float | None = None
    stat: Literal["mean", "median"] | None = None
    from_: dict[str, Scalar | list[Scalar]] | None = Field(default=None, alias="from")
    to: dict[str, Scalar | list[Scalar]] | None = None
    where: dict[str, Scalar | list[Scalar]] | None = None
    reach: dict[str, Scalar | list[Scalar]] | None = None
    without: dict[str, Scalar | list[Scalar]] | None = None
    at: dict[str, Scalar | list[Scalar]] | None = None
    among: dict[str, Scalar | list[Scalar]] | None = None
    field: str | None = None
    required: bool = True

    @field_validator("id")
    @classmethod
    def _id(cls, value: str) -> str:
        if not re.fullmatch(r"[A-Za-z][A-Za-z0-9_]*", value):
            raise ValueError("use letters, digits and _ and start with a letter")
        return value

    @field_validator("from_", "to", "where", "reach", "without", "at", "among")
    @classmethod
    def _condition(cls, value: dict[str, Any] | None) -> dict[str, Any] | None:
        if value is not None:
            if not value:
                raise ValueError("a condition needs at least one column, like {step: resolved}")
            for column, v in value.items():
                if isinstance(v, list) and not v:
                    raise ValueError(f"column {column!r}: the list of values is empty")
        return value

    @model_validator(mode="before")
    @classmethod
    def _kind_keys(cls, data: Any) -> Any:
        if not isinstance(data, dict) or data.get("kind") not in KINDS:
            return data
        kind = data["kind"]
        for key in _NEEDS[kind]:
            if data.get(key) is None:
                raise ValueError(f"key {key!r}: kind {kind} needs this key")
        allowed = set(_NEEDS[kind]) | set(_MAY[kind]) | {"among"}
        for key in (*_CONDITION_KEYS, "field", "stat"):
            if data.get(key) is not None and key not in allowed:
                raise ValueError(f"key {key!r}: does not apply to kind {kind}")
        return data

    @model_validator(mode="after")
    def _units_and_target(self) -> Cpi:
        if self.kind == "duration" and self.unit is not None and self.unit not in DURATION_UNITS:
            raise ValueError(f"key 'unit': a duration is in {', '.join(DURATION_UNITS)}")
        if self.kind == "share" and self.unit not in (None, "share"):
            raise ValueError("key 'unit': a share has no unit (it is a fraction from 0 to 1)")
        if self.kind == "share" and self.target is not None and not 0 <= self.target <= 1:
            raise ValueError("key 'target': the target of a share is a fraction from 0 to 1")
        return self

    # Resolved defaults ------------------------------------------------------------------

    @property
    def label(self) -> Text:
        return self.name or Text(sv=self.id, en=self.id)

    @property
    def unit_name(self) -> str:
        return self.unit if self.unit is not None else _DEFAULT_UNIT[self.kind]

    @property
    def direction(self) -> str:
        return self.better or _DEFAULT_BETTER[self.kind]

    @property
    def statistic(self) -> str:
        if self.kind == "duration":
            return "median"
        if self.kind == "share":
            return "share"
        return self.stat or "mean"

    def conditions(self) -> dict[str, dict[str, Any]]:
        """The conditions this CPI uses, by key (``from``, ``to``, ...)."""
        out = {k: getattr(self, "from_" if k == "from" else k) for k in _CONDITION_KEYS}
        return {k: v for k, v in out.items() if v is not None}

    def columns(self) -> list[str]:
        """Every events column this CPI reads."""
        cols = [c for cond in self.conditions().values() for c in cond]
        if self.field is not None:
            cols.append(self.field)
        return list(dict.fromkeys(cols))

    def steps(self) -> set[str]:
        """The step values its conditions mention."""
        out: set[str] = set()
        for cond in self.conditions().values():
            v = cond.get("step")
            if v is not None:
                out.update(str(s) for s in (v if isinstance(v, list) else [v]))
        return out


class CpiDefinitions(BaseModel):
    """The whole definitions file."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    cpis: list[Cpi]
    description: Text | None = None

    @field_validator("cpis")
    @classmethod
    def _unique(cls, value: list[Cpi]) -> list[Cpi]:
        if not value:
            raise ValueError("the list of CPIs is empty")
        return value

    def get(self, cpi_id: str) -> Cpi:
        for c in self.cpis:
            if c.id == cpi_id:
                return c
        raise InputError(f"no CPI {cpi_id!r}", value=cpi_id)


def _strip_lines(data: Any) -> tuple[Any, Any]:
    """``read_yaml(lines=True)`` data without its line keys, and the lines tree beside it."""
    if isinstance(data, dict):
        lines = data.get("__lines__", {})
        start = data.get("__line__")
        clean: dict[str, Any] = {}
        tree: dict[str, Any] = {"__line__": start}
        for k, v in data.items():
            if k in ("__line__", "__lines__"):
                continue
            clean[k], sub = _strip_lines(v)
            tree[k] = (lines.get(k), sub)
        return clean, tree
    if isinstance(data, list):
        pairs = [_strip_lines(v) for v in data]
        return [p[0] for p in pairs], [p[1] for p in pairs]
    return data, None


def _line_of(tree: Any, loc: tuple[Any, ...]) -> int | None:
    line = None
    for part in loc:
        if isinstance(tree, dict):
            if part in tree:
                line, tree = tree[part]
            else:
                return line if line is not None else tree.get("__line__")
        elif isinstance(tree, list) and isinstance(part, int) and part < len(tree):
            tree = tree[part]
            if isinstance(tree, dict):
                line = tree.get("__line__", line)
        else:
            break
    return line


def _error(exc: ValidationError, data: Any, source: str | None, tree: Any) -> InputError:
    err = exc.errors()[0]
    loc = tuple(err["loc"])
    msg = str(err["msg"]).removeprefix("Value error, ")
    where = ""
    if len(loc) >= 2 and loc[0] == "cpis" and isinstance(loc[1], int):
        raw = data["cpis"][loc[1]] if isinstance(data.get("cpis"), list) else {}
        cpi_id = raw.get("id") if isinstance(raw, dict) else None
        where = f"cpi {cpi_id!r}" if cpi_id is not None else f"cpi number {loc[1] + 1}"
        rest = [str(p) for p in loc[2:] if not isinstance(p, int)]
        rest = [r for r in rest if r not in ("str", "list[union[str,int,float,bool]]")]
        named = re.match(r"key '([^']+)': (.*)", msg, re.S)
        if named:
            key, msg = named.group(1), named.group(2)
            loc = (*loc[:2], key)
            where += f", key {key!r}"
        elif rest:
            where += f", key {rest[0].replace('from_', 'from')!r}"
    elif loc:
        where = f"key {loc[0]!r}"
    if err["type"] == "extra_forbidden":
        msg = "unknown key (check the spelling)"
    elif err["type"] == "missing":
        msg = "this key is required"
    text = f"{where}: {msg}" if where else msg
    return InputError(text, file=source, row=_line_of(tree, loc) if tree is not None else None)


def parse_definitions(data: Any, *, source: str | None = None, _tree: Any = None) -> CpiDefinitions:
    """Validate already-read YAML data (a mapping with ``cpis``) into :class:`CpiDefinitions`.

    ``source`` names the file in errors. A bare list of CPIs is accepted too.

    >>> defs = parse_definitions({"cpis": [{"id": "n", "kind": "count", "where": {"step": "a"}}]})
    >>> defs.cpis[0].statistic, defs.cpis[0].direction
    ('mean', 'lower')
    """
    if isinstance(data, list):
        data = {"cpis": data}
    if not isinstance(data, dict):
        raise InputError("a CPI definitions file is a mapping with the key 'cpis'", file=source)
    try:
        defs = CpiDefinitions.model_validate(data)
    except ValidationError as exc:
        raise _error(exc, data, source, _tree) from None
    seen: set[str] = set()
    for c in defs.cpis:
        if c.id in seen:
            raise InputError(f"cpi {c.id!r}, key 'id': the id is used twice", file=source)
        seen.add(c.id)
    return defs


def load_definitions(source: str | Path | bytes, *, name: str | None = None) -> CpiDefinitions:
    """Read and validate a CPI definitions YAML file (a path, or bytes with ``name``)."""
    from kundfokus.io import read_yaml

    label = name or (str(source) if not isinstance(source, bytes) else None)
    raw = read_yaml(source, name=name, lines=True)
    data, tree = _strip_lines(raw)
    return parse_definitions(data, source=label, _tree=tree)


def default_yaml() -> str:
    """The text of the bundled default CPI set (``default_cpis.yaml``), to start a team's own file.

    >>> default_yaml().startswith("#")
    True
    """
    return resources.files("kundfokus.cpi").joinpath("default_cpis.yaml").read_text("utf-8")


def default_definitions() -> CpiDefinitions:
    """The bundled contact-centre CPI set, validated.

    >>> [c.id for c in default_definitions().cpis][:2]
    ['time_to_first_answer', 'time_to_resolution']
    """
    return load_definitions(default_yaml().encode("utf-8"), name="default_cpis.yaml")
