"""A job inventory: the jobs customers hire the service for, and the outcomes they judge it by.

A *job* is the progress a customer is trying to make in a given situation ("get my problem solved
without repeating myself"). Jobs are *functional* (the practical task), *emotional* (how the customer
wants to feel) or *social* (how they want to be seen). Under each job sit its *desired outcomes*:
the measurable criteria the customer uses to judge how well the job gets done, written in Ulwick's
grammar as a direction of improvement, a metric and an object ("Minimize the time it takes to reach
someone who can solve the problem").

The inventory is read from YAML (nested: jobs with their outcomes) or from a flat CSV (one row per
outcome). Every statement may be plain text or bilingual (``{en: ..., sv: ...}``). Errors name the
file, the row (the data row of a CSV file, the line of a YAML file), the column and the value;
statements that do not start with a direction verb are only warned about.
"""

from __future__ import annotations

import re
import warnings
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from kundfokus.errors import InputError
from kundfokus.i18n import LANGUAGES, check_lang
from kundfokus.io import read_table, read_yaml

JOB_TYPES: tuple[str, ...] = ("functional", "emotional", "social")

_TYPE_ALIASES = {
    "functional": "functional",
    "funktionell": "functional",
    "funktionellt": "functional",
    "emotional": "emotional",
    "emotionell": "emotional",
    "emotionellt": "emotional",
    "känslomässig": "emotional",
    "känslomässigt": "emotional",
    "social": "social",
    "socialt": "social",
}

#: First words that mark a direction of improvement in an outcome statement (Ulwick's grammar).
DIRECTION_VERBS: dict[str, tuple[str, ...]] = {
    "en": (
        "minimize",
        "minimise",
        "maximize",
        "maximise",
        "increase",
        "decrease",
        "reduce",
        "lower",
        "raise",
        "limit",
        "eliminate",
        "shorten",
    ),
    "sv": (
        "minimera",
        "maximera",
        "öka",
        "minska",
        "sänka",
        "höja",
        "begränsa",
        "eliminera",
        "korta",
        "förkorta",
    ),
}

_ALL_VERBS = frozenset(v for verbs in DIRECTION_VERBS.values() for v in verbs)

_TYPE_TEXT = {
    "functional": {"en": "functional", "sv": "funktionellt"},
    "emotional": {"en": "emotional", "sv": "emotionellt"},
    "social": {"en": "social", "sv": "socialt"},
}


class StatementWarning(UserWarning):
    """An outcome statement that does not follow Ulwick's grammar (it still loads)."""


def job_type_text(job_type: str, lang: str = "en") -> str:
    """The job type in plain words.

    >>> job_type_text("emotional", "sv")
    'emotionellt'
    """
    return _TYPE_TEXT[job_type][check_lang(lang)]


Text = dict[str, str]


def pick(text: Mapping[str, str] | None, lang: str = "en") -> str:
    """The text in ``lang``, or in the other language when that is all there is.

    >>> pick({"en": "Pay a bill", "sv": "Betala en räkning"}, "sv")
    'Betala en räkning'
    >>> pick({"en": "Pay a bill"}, "sv")
    'Pay a bill'
    """
    if not text:
        return ""
    if text.get(lang):
        return text[lang]
    for other in LANGUAGES:
        if text.get(other):
            return text[other]
    return ""


@dataclass(frozen=True)
class Outcome:
    """A desired outcome: a measurable criterion the customer uses to judge a job."""

    id: str
    statement: Text
    job_id: str

    def text(self, lang: str = "en") -> str:
        return pick(self.statement, lang)


@dataclass(frozen=True)
class Job:
    """A job the customer is trying to get done, in a situation, with its desired outcomes."""

    id: str
    statement: Text
    type: str
    situation: Text = field(default_factory=dict)
    outcomes: tuple[Outcome, ...] = ()

    def text(self, lang: str = "en") -> str:
        return pick(self.statement, lang)

    def situation_text(self, lang: str = "en") -> str:
        return pick(self.situation, lang)


@dataclass
class JobInventory:
    """Jobs (functional, emotional, social), their situations and their desired outcomes.

    Build one with :func:`read_inventory` (a YAML or CSV file) or :meth:`from_records` (Python
    data). ``warnings`` holds the statement-grammar remarks found while loading.

    Examples
    --------
    >>> inv = JobInventory.from_records([
    ...     {"job_id": "solve", "job_type": "functional",
    ...      "job_statement": "Get my problem solved", "situation": "Card blocked abroad",
    ...      "outcome_id": "wait", "outcome_statement": "Minimize the time to reach an agent"},
    ...     {"job_id": "solve", "job_type": "functional",
    ...      "job_statement": "Get my problem solved", "situation": "Card blocked abroad",
    ...      "outcome_id": "repeat",
    ...      "outcome_statement": "Minimize the number of times I repeat myself"},
    ... ])
    >>> [o.id for o in inv.outcomes]
    ['wait', 'repeat']
    >>> inv.job_of("repeat").type
    'functional'
    """

    jobs: list[Job]
    source: str | None = None
    warnings: list[str] = field(default_factory=list)

    # ------------------------------------------------------------------ access
    @property
    def outcomes(self) -> list[Outcome]:
        return [o for j in self.jobs for o in j.outcomes]

    @property
    def outcome_ids(self) -> list[str]:
        return [o.id for o in self.outcomes]

    def outcome(self, outcome_id: str) -> Outcome:
        for o in self.outcomes:
            if o.id == outcome_id:
                return o
        raise KeyError(outcome_id)

    def job(self, job_id: str) -> Job:
        for j in self.jobs:
            if j.id == job_id:
                return j
        raise KeyError(job_id)

    def job_of(self, outcome_id: str) -> Job:
        return self.job(self.outcome(outcome_id).job_id)

    # ------------------------------------------------------------------ frames
    def outcomes_frame(self, lang: str = "en") -> pd.DataFrame:
        """One row per outcome: ``outcome, statement, job, job_type, job_statement, situation``."""
        check_lang(lang)
        rows = [
            {
                "outcome": o.id,
                "statement": o.text(lang),
                "job": j.id,
                "job_type": j.type,
                "job_statement": j.text(lang),
                "situation": j.situation_text(lang) or None,
            }
            for j in self.jobs
            for o in j.outcomes
        ]
        cols = ["outcome", "statement", "job", "job_type", "job_statement", "situation"]
        return pd.DataFrame(rows, columns=cols)

    def jobs_frame(self, lang: str = "en") -> pd.DataFrame:
        """One row per job: ``job, job_type, statement, situation, n_outcomes``."""
        check_lang(lang)
        rows = [
            {
                "job": j.id,
                "job_type": j.type,
                "statement": j.text(lang),
                "situation": j.situation_text(lang) or None,
                "n_outcomes": len(j.outcomes),
            }
            for j in self.jobs
        ]
        return pd.DataFrame(
            rows, columns=["job", "job_type", "statement", "situation", "n_outcomes"]
        )

    def type_situation_counts(self, lang: str = "en") -> pd.DataFrame:
        """Jobs and outcomes counted per job type and situation (types in the order functional,
        emotional, social)."""
        jobs = self.jobs_frame(lang)
        jobs["situation"] = jobs["situation"].fillna("")
        out = (
            jobs.groupby(["job_type", "situation"], sort=False)
            .agg(n_jobs=("job", "size"), n_outcomes=("n_outcomes", "sum"))
            .reset_index()
        )
        out["_order"] = out["job_type"].map({t: i for i, t in enumerate(JOB_TYPES)})
        out = out.sort_values(["_order", "situation"], kind="stable").drop(columns="_order")
        out["situation"] = pd.Series(
            [s or None for s in out["situation"]], index=out.index, dtype=object
        )
        return out.reset_index(drop=True)

    def to_dict(self) -> dict[str, Any]:
        """The inventory as plain data in the YAML shape (JSON-ready); text that is the same in
        both languages is a plain string, as it would be written in the YAML file."""

        def text(t: Text) -> str | dict[str, str] | None:
            if not t:
                return None
            values = set(t.values())
            return values.pop() if len(values) == 1 and len(t) == len(LANGUAGES) else dict(t)

        return {
            "jobs": [
                {
                    "id": j.id,
                    "type": j.type,
                    "statement": text(j.statement),
                    "situation": text(j.situation),
                    "outcomes": [{"id": o.id, "statement": text(o.statement)} for o in j.outcomes],
                }
                for j in self.jobs
            ]
        }

    # ------------------------------------------------------------------ building
    @classmethod
    def from_records(
        cls, records: Iterable[Mapping[str, Any]] | Mapping[str, Any], *, source: str | None = None
    ) -> JobInventory:
        """Build an inventory from Python data.

        Parameters
        ----------
        records:
            Either flat rows (dicts, or a pandas/Polars frame), one per outcome, with keys ``job_id, job_type, job_statement,
            situation, outcome_id, outcome_statement`` (the CSV shape; ``_en``/``_sv`` suffixes give
            bilingual text), or the YAML shape: a mapping ``{"jobs": [...]}`` or a list of job
            mappings ``{id, type, statement, situation, outcomes: [{id, statement}]}``.
        source:
            A file name to put in error messages.

        Returns
        -------
        JobInventory

        Raises
        ------
        InputError
            Unknown job type, duplicate outcome or job id, an outcome without a job, an empty
            statement.
        """
        if isinstance(records, Mapping):
            return _from_nested(records, source=source)
        if hasattr(records, "columns") and not isinstance(records, (list, tuple)):
            import narwhals as nw  # a data frame: one row per outcome

            frame = nw.from_native(records, eager_only=True)
            records = [
                {k: ("" if v is None else v) for k, v in r.items()} for r in frame.rows(named=True)
            ]
        rows = list(records)
        for i, r in enumerate(rows, start=1):
            if not isinstance(r, Mapping):
                raise InputError(
                    "each record must be a mapping (one job or one outcome row)", row=i, value=r
                )
        if rows and all(isinstance(r, Mapping) and "job_id" not in r for r in rows):
            return _from_nested({"jobs": rows}, source=source)
        return _from_flat(rows, source=source)


# ---------------------------------------------------------------------- reading files
def read_inventory(path: str | Path | bytes, *, name: str | None = None) -> JobInventory:
    """Read a job inventory from a YAML file (nested) or a CSV file (one row per outcome).

    Parameters
    ----------
    path:
        The file, or its bytes (an upload) with ``name``.
        ``.yaml``/``.yml`` for the nested shape, anything else is read as a table
        (:func:`kundfokus.io.read_table`) with columns ``job_id, job_type, job_statement, situation,
        outcome_id, outcome_statement``.

    Returns
    -------
    JobInventory

    Raises
    ------
    InputError
        Naming the file, the row (CSV data row or YAML line), the column and the value.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "jobs.yaml"
    >>> _ = p.write_text('''
    ... jobs:
    ...   - id: solve
    ...     type: functional
    ...     statement: {en: Get my problem solved, sv: Få mitt problem löst}
    ...     situation: Card blocked abroad
    ...     outcomes:
    ...       - {id: wait, statement: Minimize the time it takes to reach an agent}
    ... ''', encoding="utf-8")
    >>> inv = read_inventory(p)
    >>> inv.jobs[0].text("sv"), inv.outcome_ids
    ('Få mitt problem löst', ['wait'])
    """
    label = name if isinstance(path, (bytes, bytearray)) and name else str(path)
    if Path(label).suffix.lower() in (".yaml", ".yml"):
        data = read_yaml(path, name=name, lines=True)
        if data is None:
            raise InputError("the file is empty", file=label)
        try:
            inv = _from_nested(data, source=label)
        except InputError as err:
            raise err.with_file(label) from None
        return inv
    frame = read_table(path, name=name)
    rows = [{k: ("" if v is None else v) for k, v in r.items()} for r in frame.to_dicts()]
    if not rows:
        raise InputError("the file holds no rows", file=label)
    try:
        return _from_flat(rows, source=label, columns=list(frame.columns))
    except InputError as err:
        raise err.with_file(label) from None


# ---------------------------------------------------------------------- parsing helpers
def _is_blank(v: Any) -> bool:
    if v is None:
        return True
    if isinstance(v, float) and v != v:
        return True
    return isinstance(v, str) and not v.strip()


def _text(
    value: Any,
    *,
    row: int | None,
    column: str,
    required: bool,
    what: str,
) -> Text:
    """Parse a statement: plain text or a mapping ``{en: ..., sv: ...}``."""
    if isinstance(value, Mapping):
        out: Text = {}
        for k, v in value.items():
            if str(k).startswith("__"):
                continue
            if k not in LANGUAGES:
                raise InputError(
                    f"unknown language {k!r} in {what}; use en and/or sv",
                    row=row,
                    column=column,
                    value=k,
                )
            if not _is_blank(v):
                if not isinstance(v, (str, int, float)):
                    raise InputError(f"{what} must be text", row=row, column=column, value=v)
                out[k] = str(v).strip()
        text = out
    elif _is_blank(value):
        text = {}
    elif isinstance(value, (str, int, float)):
        text = {"_": str(value).strip()}
    else:
        raise InputError(f"{what} must be text", row=row, column=column, value=value)
    if "_" in text:  # plain text: the same words whatever the language
        plain = text.pop("_")
        text = dict.fromkeys(LANGUAGES, plain)
    if required and not text:
        raise InputError(f"empty {what}", row=row, column=column, value=_shown(value))
    return text


def _shown(value: Any) -> Any:
    if isinstance(value, Mapping):
        return {k: v for k, v in value.items() if not str(k).startswith("__")}
    return "" if value is None else value


def _job_type(value: Any, *, row: int | None, column: str) -> str:
    key = str(value).strip().lower() if not _is_blank(value) else ""
    if key not in _TYPE_ALIASES:
        raise InputError(
            "unknown job type; use functional, emotional or social",
            row=row,
            column=column,
            value="" if value is None else value,
        )
    return _TYPE_ALIASES[key]


def _ident(value: Any, *, row: int | None, column: str, what: str) -> str:
    if _is_blank(value):
        raise InputError(f"missing {what}", row=row, column=column, value="")
    if not isinstance(value, (str, int)):
        raise InputError(f"{what} must be text", row=row, column=column, value=value)
    ident = str(value).strip()
    if re.search(r"\s", ident):
        raise InputError(
            f"{what} must not contain spaces (it names survey columns such as <id>_importance)",
            row=row,
            column=column,
            value=ident,
        )
    return ident


def grammar_remark(statement: Text) -> str | None:
    """Why an outcome statement does not follow Ulwick's grammar, or ``None`` when it does.

    The check is light: the statement should start with a direction of improvement
    ("Minimize", "Increase", "Minimera", "Öka", ...).

    >>> grammar_remark({"en": "Minimize the time it takes to reach an agent"}) is None
    True
    >>> grammar_remark({"en": "Fast answers"})
    "does not start with a direction verb such as 'Minimize' or 'Increase'"
    """
    for lang, text in statement.items():
        words = re.findall(r"[^\W\d_]+", text.lower())
        if not words or words[0] not in _ALL_VERBS:
            if lang == "sv":
                return "does not start with a direction verb such as 'Minimera' or 'Öka'"
            return "does not start with a direction verb such as 'Minimize' or 'Increase'"
    return None


def _finish(jobs: list[Job], source: str | None, remarks: list[str]) -> JobInventory:
    inv = JobInventory(jobs=jobs, source=source, warnings=remarks)
    for r in remarks:
        warnings.warn(r, StatementWarning, stacklevel=3)
    return inv


def _remark(
    remarks: list[str], where: str, outcome_id: str, statement: Text, source: str | None
) -> None:
    why = grammar_remark(statement)
    if why:
        prefix = f"{source}, " if source else ""
        remarks.append(f"{prefix}{where}: outcome {outcome_id!r} {why}: {pick(statement)!r}")


# ---------------------------------------------------------------------- flat (CSV) shape
_FLAT_REQUIRED = ("job_id", "job_type", "job_statement", "outcome_id", "outcome_statement")


def _flat_text(row: Mapping[str, Any], base: str) -> Any:
    """Combine ``base``, ``base_en`` and ``base_sv`` columns into one statement value."""
    en, sv = row.get(f"{base}_en"), row.get(f"{base}_sv")
    plain = row.get(base)
    if _is_blank(en) and _is_blank(sv):
        return plain
    out = {}
    if not _is_blank(en):
        out["en"] = en
    elif not _is_blank(plain):
        out["en"] = plain
    if not _is_blank(sv):
        out["sv"] = sv
    return out


def _flat_column(row: Mapping[str, Any], base: str) -> str:
    """The column to name in an error about ``base`` (the one present in the data)."""
    for c in (base, f"{base}_en", f"{base}_sv"):
        if c in row:
            return c
    return base


def _from_flat(
    rows: list[Mapping[str, Any]], *, source: str | None, columns: list[str] | None = None
) -> JobInventory:
    cols = set(columns) if columns is not None else {k for r in rows for k in r}
    for c in _FLAT_REQUIRED:
        if c in ("job_statement", "outcome_statement") and (f"{c}_en" in cols or f"{c}_sv" in cols):
            continue
        if c not in cols:
            raise InputError(
                "missing column",
                column=c,
                hint="the inventory table needs job_id, job_type, job_statement, situation, "
                "outcome_id, outcome_statement",
            )
    jobs: dict[str, dict[str, Any]] = {}
    job_rows: dict[str, int] = {}
    seen_outcomes: dict[str, int] = {}
    remarks: list[str] = []
    for i, raw in enumerate(rows, start=1):
        row = {k: (v.strip() if isinstance(v, str) else v) for k, v in raw.items()}
        has_outcome = not _is_blank(row.get("outcome_id")) or not _is_blank(
            _flat_text(row, "outcome_statement")
        )
        if _is_blank(row.get("job_id")):
            if has_outcome:
                raise InputError(
                    "outcome without a job: job_id is empty",
                    row=i,
                    column="job_id",
                    value=row.get("outcome_id") or "",
                )
            if all(_is_blank(v) for v in row.values()):
                continue
            raise InputError("missing job id", row=i, column="job_id", value="")
        job_id = _ident(row.get("job_id"), row=i, column="job_id", what="job id")
        jtype = _job_type(row.get("job_type"), row=i, column="job_type")
        stmt = _text(
            _flat_text(row, "job_statement"),
            row=i,
            column=_flat_column(row, "job_statement"),
            required=True,
            what="job statement",
        )
        situation = _text(
            _flat_text(row, "situation"),
            row=i,
            column=_flat_column(row, "situation"),
            required=False,
            what="situation",
        )
        if job_id in jobs:
            known = jobs[job_id]
            for col, new, old in (
                ("job_type", jtype, known["type"]),
                (_flat_column(row, "job_statement"), stmt, known["statement"]),
                (_flat_column(row, "situation"), situation, known["situation"]),
            ):
                if new != old:
                    raise InputError(
                        f"job {job_id!r} is described differently than on row {job_rows[job_id]}",
                        row=i,
                        column=col,
                        value=pick(new) if isinstance(new, dict) else new,
                    )
        else:
            jobs[job_id] = {
                "type": jtype,
                "statement": stmt,
                "situation": situation,
                "outcomes": [],
            }
            job_rows[job_id] = i
        if not has_outcome:
            continue
        oid = _ident(row.get("outcome_id"), row=i, column="outcome_id", what="outcome id")
        if oid in seen_outcomes:
            raise InputError(
                f"duplicate outcome id (first on row {seen_outcomes[oid]})",
                row=i,
                column="outcome_id",
                value=oid,
            )
        seen_outcomes[oid] = i
        ostmt = _text(
            _flat_text(row, "outcome_statement"),
            row=i,
            column=_flat_column(row, "outcome_statement"),
            required=True,
            what="outcome statement",
        )
        _remark(remarks, f"row {i}", oid, ostmt, source)
        jobs[job_id]["outcomes"].append(Outcome(id=oid, statement=ostmt, job_id=job_id))
    if not jobs:
        raise InputError("the inventory holds no jobs")
    built = [
        Job(
            id=jid,
            statement=j["statement"],
            type=j["type"],
            situation=j["situation"],
            outcomes=tuple(j["outcomes"]),
        )
        for jid, j in jobs.items()
    ]
    return _finish(built, source, remarks)


# ---------------------------------------------------------------------- nested (YAML) shape
def _line(obj: Any, key: str | None = None) -> int | None:
    if isinstance(obj, Mapping):
        if key is not None and key in obj.get("__lines__", {}):
            return obj["__lines__"][key]
        return obj.get("__line__")
    return None


def _from_nested(data: Mapping[str, Any], *, source: str | None) -> JobInventory:
    if not isinstance(data, Mapping) or "jobs" not in data:
        raise InputError(
            "expected a mapping with a 'jobs' list", row=_line(data), column="jobs", value=None
        )
    raw_jobs = data["jobs"]
    if not isinstance(raw_jobs, list) or not raw_jobs:
        raise InputError("'jobs' must be a non-empty list", row=_line(data, "jobs"), column="jobs")
    jobs: list[dict[str, Any]] = []
    by_id: dict[str, dict[str, Any]] = {}
    seen_outcomes: dict[str, str] = {}
    remarks: list[str] = []
    nested_rows = not any(_line(j) for j in raw_jobs if isinstance(j, Mapping))

    def where(obj: Any, key: str, idx: int) -> int | None:
        line = _line(obj, key)
        return line if line is not None else (idx if nested_rows else None)

    def add_outcome(o: Any, path: str, job: dict[str, Any], idx: int) -> None:
        if not isinstance(o, Mapping):
            raise InputError(
                "an outcome must be a mapping with id and statement",
                row=idx if nested_rows else None,
                column=path,
                value=o,
            )
        oid = _ident(o.get("id"), row=where(o, "id", idx), column=f"{path}.id", what="outcome id")
        if oid in seen_outcomes:
            raise InputError(
                f"duplicate outcome id (first at {seen_outcomes[oid]})",
                row=where(o, "id", idx),
                column=f"{path}.id",
                value=oid,
            )
        seen_outcomes[oid] = path
        stmt = _text(
            o.get("statement"),
            row=where(o, "statement", idx),
            column=f"{path}.statement",
            required=True,
            what="outcome statement",
        )
        line = _line(o, "statement")
        _remark(remarks, f"line {line}" if line else path, oid, stmt, source)
        job["outcomes"].append(Outcome(id=oid, statement=stmt, job_id=job["id"]))

    for j_idx, raw in enumerate(raw_jobs, start=1):
        path = f"jobs[{j_idx}]"
        if not isinstance(raw, Mapping):
            raise InputError(
                "a job must be a mapping with id, type, statement, situation and outcomes",
                row=j_idx if nested_rows else None,
                column=path,
                value=raw,
            )
        jid = _ident(raw.get("id"), row=where(raw, "id", j_idx), column=f"{path}.id", what="job id")
        if jid in by_id:
            raise InputError(
                "duplicate job id", row=where(raw, "id", j_idx), column=f"{path}.id", value=jid
            )
        job = {
            "id": jid,
            "type": _job_type(
                raw.get("type"), row=where(raw, "type", j_idx), column=f"{path}.type"
            ),
            "statement": _text(
                raw.get("statement"),
                row=where(raw, "statement", j_idx),
                column=f"{path}.statement",
                required=True,
                what="job statement",
            ),
            "situation": _text(
                raw.get("situation"),
                row=where(raw, "situation", j_idx),
                column=f"{path}.situation",
                required=False,
                what="situation",
            ),
            "outcomes": [],
        }
        by_id[jid] = job
        jobs.append(job)
        outcomes = raw.get("outcomes") or []
        if not isinstance(outcomes, list):
            raise InputError(
                "'outcomes' must be a list",
                row=where(raw, "outcomes", j_idx),
                column=f"{path}.outcomes",
            )
        for o_idx, o in enumerate(outcomes, start=1):
            add_outcome(o, f"{path}.outcomes[{o_idx}]", job, j_idx)

    # Outcomes listed on their own, pointing at their job with `job:`.
    loose = data.get("outcomes") or []
    if not isinstance(loose, list):
        raise InputError(
            "'outcomes' must be a list", row=_line(data, "outcomes"), column="outcomes"
        )
    for o_idx, o in enumerate(loose, start=1):
        path = f"outcomes[{o_idx}]"
        job_ref = o.get("job") if isinstance(o, Mapping) else None
        if _is_blank(job_ref) or str(job_ref).strip() not in by_id:
            raise InputError(
                "outcome without a job: 'job' must name one of the jobs' ids",
                row=where(o, "job", o_idx),
                column=f"{path}.job",
                value="" if job_ref is None else job_ref,
            )
        add_outcome(o, path, by_id[str(job_ref).strip()], o_idx)

    built = [
        Job(
            id=j["id"],
            statement=j["statement"],
            type=j["type"],
            situation=j["situation"],
            outcomes=tuple(j["outcomes"]),
        )
        for j in jobs
    ]
    return _finish(built, source, remarks)
