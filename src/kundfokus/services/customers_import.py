"""Importing customers' contracts and purchases into the store, and reading them back.

Contracts (table ``customer_contracts``): one row per customer with the columns ``customer``,
``start`` (``YYYY-MM-DD``), ``end`` (empty while the contract runs), ``plan`` (optional) and
``segment`` (optional): the files ``kundfokus demo`` writes as ``contracts.csv``. Purchases (table
``customer_purchases``): one row per purchase with ``customer``, ``date``, ``amount`` (a number of
0 or more, in the organisation's currency) and an optional ``segment``: ``purchases.csv``.

Both imports check every row first and store all of them in one transaction, or nothing: a missing
column, a date that is not ``YYYY-MM-DD``, an end before its start, an amount that is not a number
or is negative, a customer twice in a contracts file or a customer whose contract is already stored
raises an :class:`~kundfokus.errors.InputError` naming the row (data rows from 1), the column and
the value, and the store is left as it was. A date after tomorrow is stored but warned about
(:class:`~kundfokus.errors.InputWarning`, naming the first such row).

:func:`load_contracts` and :func:`load_purchases` read them back as pandas frames with the same
columns as the files (dates as ``YYYY-MM-DD`` text), the input of :func:`kundfokus.retention.churn`,
:func:`kundfokus.retention.cohorts` and :func:`kundfokus.clv.workflow.fit_transactions`.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date
from typing import Any

import pandas as pd
from sqlalchemy import insert, select
from sqlalchemy.orm import Session

from kundfokus.base import Result
from kundfokus.errors import InputError
from kundfokus.frames import latest_day, parse_day, to_pandas, warn_future
from kundfokus.store.models import CustomerContract, CustomerPurchase

__all__ = [
    "CONTRACT_COLUMNS",
    "PURCHASE_COLUMNS",
    "CustomersImportResult",
    "import_contracts",
    "import_purchases",
    "load_contracts",
    "load_purchases",
]

#: Required columns of a contracts file (``plan`` and ``segment`` are optional).
CONTRACT_COLUMNS: tuple[str, ...] = ("customer", "start", "end")
#: Required columns of a purchases file (``segment`` is optional).
PURCHASE_COLUMNS: tuple[str, ...] = ("customer", "date", "amount")
CHUNK = 5000
_LIMITS = {"customer": 200, "plan": 100, "segment": 100}


@dataclass
class CustomersImportResult(Result):
    """What an import stored (``to_dict()`` is the JSON of ``kundfokus customers import``)."""

    kind: str
    n_rows: int
    n_customers: int
    first: str | None
    last: str | None

    def to_dict(self, lang: str = "en") -> dict[str, Any]:
        return {
            "kind": self.kind,
            "n_rows": self.n_rows,
            "n_customers": self.n_customers,
            "first": self.first,
            "last": self.last,
        }


def _empty(v: Any) -> bool:
    if v is None or v is pd.NA or v is pd.NaT:
        return True
    if isinstance(v, float) and math.isnan(v):
        return True
    return str(v).strip() == ""


def _frame(frame: Any, required: tuple[str, ...]) -> pd.DataFrame:
    df = to_pandas(frame)
    df.columns = [str(c).strip() for c in df.columns]
    for c in required:
        if c not in df.columns:
            raise InputError(
                "the column is missing",
                column=c,
                hint=f"the columns are: {', '.join(map(str, df.columns)) or '(none)'}",
            )
    return df


def _text(df: pd.DataFrame, i: int, column: str, *, required: bool) -> str | None:
    if column not in df.columns:
        return None
    v = df[column].iloc[i]
    if _empty(v):
        if required:
            raise InputError("the value is missing", row=i + 1, column=column)
        return None
    s = str(v).strip()
    if isinstance(v, float) and v.is_integer():
        s = str(int(v))
    limit = _LIMITS.get(column)
    if limit and len(s) > limit:
        raise InputError(f"longer than {limit} characters", row=i + 1, column=column, value=s)
    return s


def _day(df: pd.DataFrame, i: int, column: str, *, required: bool) -> date | None:
    v = df[column].iloc[i]
    if _empty(v):
        if required:
            raise InputError("the date is missing", row=i + 1, column=column)
        return None
    if isinstance(v, pd.Timestamp):
        return v.date()
    if isinstance(v, date):
        return v
    text = str(v).strip()
    if len(text) > 10 and text[10] in " T":  # a timestamp: its day
        text = text[:10]
    d = parse_day(text)
    if d is None:
        raise InputError(
            "not a date: write dates as YYYY-MM-DD (ISO 8601)", row=i + 1, column=column, value=v
        )
    return d


def _amount(df: pd.DataFrame, i: int) -> float:
    v = df["amount"].iloc[i]
    if _empty(v):
        raise InputError("the amount is missing", row=i + 1, column="amount")
    try:
        x = float(str(v).strip().replace(" ", "").replace(",", "."))
    except ValueError:
        raise InputError(
            "the amount is not a number", row=i + 1, column="amount", value=v
        ) from None
    if not math.isfinite(x):
        raise InputError("the amount is not a number", row=i + 1, column="amount", value=v)
    if x < 0:
        raise InputError(
            "the amount is negative: leave out returns (or net them against the purchase)",
            row=i + 1,
            column="amount",
            value=v,
        )
    return x


def _warn_future(df: pd.DataFrame, days: list[date | None], column: str) -> None:
    """One :class:`~kundfokus.errors.InputWarning` for the first date after tomorrow (if any)."""
    late = [i for i, d in enumerate(days) if d is not None and d > latest_day()]
    if late:
        i = late[0]
        warn_future(row=i + 1, column=column, value=df[column].iloc[i], n=len(late))


def import_contracts(session: Session, frame: Any) -> CustomersImportResult:
    """Store contracts (one row per customer), all or nothing.

    >>> from kundfokus.store.db import session_scope
    >>> url = "sqlite://"
    >>> from kundfokus.store.db import open_store
    >>> url = open_store(url)
    >>> with session_scope(url) as s:
    ...     r = import_contracts(s, pd.DataFrame({"customer": ["a", "b"],
    ...         "start": ["2024-01-05", "2024-02-01"], "end": ["2024-06-30", None],
    ...         "plan": ["fixed", "variable"]}))
    >>> r.n_rows
    2
    """
    df = _frame(frame, CONTRACT_COLUMNS)
    rows: list[dict[str, Any]] = []
    seen: dict[str, int] = {}
    for i in range(len(df)):
        customer = _text(df, i, "customer", required=True)
        assert customer is not None
        if customer in seen:
            raise InputError(
                f"this customer is already on row {seen[customer]}: a contracts file holds one "
                "row per customer",
                row=i + 1,
                column="customer",
                value=customer,
            )
        seen[customer] = i + 1
        start = _day(df, i, "start", required=True)
        end = _day(df, i, "end", required=False)
        if end is not None and start is not None and end < start:
            raise InputError(
                f"the end date is before the start date ({start.isoformat()})",
                row=i + 1,
                column="end",
                value=df["end"].iloc[i],
            )
        rows.append(
            {
                "customer_id": customer,
                "started": start,
                "ended": end,
                "plan": _text(df, i, "plan", required=False),
                "segment": _text(df, i, "segment", required=False),
            }
        )
    if not rows:
        raise InputError("the file holds no contracts")
    _warn_future(df, [r["started"] for r in rows], "start")
    _warn_future(df, [r["ended"] for r in rows], "end")
    stored = set()
    ids = list(seen)
    for k in range(0, len(ids), 500):
        stored |= set(
            session.scalars(
                select(CustomerContract.customer_id).where(
                    CustomerContract.customer_id.in_(ids[k : k + 500])
                )
            )
        )
    if stored:
        first = min(stored, key=lambda c: seen[c])
        raise InputError(
            "a contract of this customer is already stored",
            row=seen[first],
            column="customer",
            value=first,
            hint="import only new customers",
        )
    for k in range(0, len(rows), CHUNK):
        session.execute(insert(CustomerContract), rows[k : k + CHUNK])
    session.flush()
    days = [r["started"] for r in rows]
    return CustomersImportResult(
        kind="contracts",
        n_rows=len(rows),
        n_customers=len(seen),
        first=min(days).isoformat(),
        last=max(days).isoformat(),
    )


def import_purchases(session: Session, frame: Any) -> CustomersImportResult:
    """Store purchases (one row per purchase), all or nothing."""
    df = _frame(frame, PURCHASE_COLUMNS)
    rows: list[dict[str, Any]] = []
    for i in range(len(df)):
        customer = _text(df, i, "customer", required=True)
        day = _day(df, i, "date", required=True)
        rows.append(
            {
                "customer_id": customer,
                "purchased_on": day,
                "amount": _amount(df, i),
                "segment": _text(df, i, "segment", required=False),
            }
        )
    if not rows:
        raise InputError("the file holds no purchases")
    _warn_future(df, [r["purchased_on"] for r in rows], "date")
    for k in range(0, len(rows), CHUNK):
        session.execute(insert(CustomerPurchase), rows[k : k + CHUNK])
    session.flush()
    days = [r["purchased_on"] for r in rows]
    return CustomersImportResult(
        kind="purchases",
        n_rows=len(rows),
        n_customers=len({r["customer_id"] for r in rows}),
        first=min(days).isoformat(),
        last=max(days).isoformat(),
    )


def load_contracts(session: Session, *, segment: str | None = None) -> pd.DataFrame:
    """The stored contracts: ``customer, start, end, plan, segment`` (dates as text, ``end``
    empty while the contract runs), optionally of one ``segment``."""
    c = CustomerContract
    q = select(c.customer_id, c.started, c.ended, c.plan, c.segment).order_by(c.started, c.id)
    if segment is not None:
        q = q.where(c.segment == segment)
    rows = [
        {
            "customer": r[0],
            "start": r[1].isoformat(),
            "end": r[2].isoformat() if r[2] is not None else None,
            "plan": r[3],
            "segment": r[4],
        }
        for r in session.execute(q)
    ]
    out = pd.DataFrame(rows, columns=["customer", "start", "end", "plan", "segment"])
    for c in ("end", "plan", "segment"):
        out[c] = out[c].astype(object).where(out[c].notna(), None)
    return out


def load_purchases(session: Session, *, segment: str | None = None) -> pd.DataFrame:
    """The stored purchases: ``customer, date, amount, segment`` (dates as text)."""
    p = CustomerPurchase
    q = select(p.customer_id, p.purchased_on, p.amount, p.segment).order_by(p.purchased_on, p.id)
    if segment is not None:
        q = q.where(p.segment == segment)
    rows = [
        {"customer": r[0], "date": r[1].isoformat(), "amount": float(r[2]), "segment": r[3]}
        for r in session.execute(q)
    ]
    out = pd.DataFrame(rows, columns=["customer", "date", "amount", "segment"])
    out["segment"] = out["segment"].astype(object).where(out["segment"].notna(), None)
    return out


def segments(session: Session) -> list[str]:
    """The segments named in the stored contracts and purchases."""
    out: set[str] = set()
    for col in (CustomerContract.segment, CustomerPurchase.segment):
        out |= {v for v in session.scalars(select(col).distinct()) if v}
    return sorted(out)
