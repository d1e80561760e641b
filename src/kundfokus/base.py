"""The two contracts every method follows: fitted models, and one result type.

Fitted models follow scikit-learn: parameters are set in ``__init__`` and only stored there,
``fit`` returns ``self``, what is learned ends in ``_`` (``params_``, ``classes_``), and using a
model before ``fit`` raises :class:`NotFittedError`. :class:`Estimator` gives ``get_params`` /
``set_params`` from the ``__init__`` signature (scikit-learn's own ``BaseEstimator`` where the
model is a scikit-learn estimator anyway).

Every method returns a :class:`Result` (or a subclass): tidy tables, metadata, ``to_dict()`` for
JSON (the CLI's ``--format json`` and the web API) and ``warnings(lang)`` in Swedish or English.

Examples
--------
>>> from dataclasses import dataclass
>>> import pandas as pd
>>> @dataclass
... class Demo(Result):
...     table: pd.DataFrame
...     n: int
>>> r = Demo(pd.DataFrame({"a": [1.0, float("nan")]}), n=2)
>>> r.to_dict()
{'n': 2, 'table': [{'a': 1.0}, {'a': None}], 'warnings': []}
>>> list(r.tables())
['table']
"""

from __future__ import annotations

import dataclasses
import inspect
from typing import Any

import pandas as pd

from kundfokus.serialize import json_safe, records


class NotFittedError(ValueError, AttributeError, RuntimeError):
    """A model was used before ``fit``.

    Subclasses ``ValueError`` and ``AttributeError`` as scikit-learn's ``NotFittedError`` does, and
    ``RuntimeError``, which kundfokus's customer-base models raised before 0.2.

    >>> issubclass(NotFittedError, RuntimeError) and issubclass(NotFittedError, ValueError)
    True
    """


def check_fitted(model: Any, attribute: str = "params_") -> None:
    """Raise :class:`NotFittedError` unless ``model`` has the learned ``attribute``.

    >>> class M(Estimator):
    ...     pass
    >>> check_fitted(M())
    Traceback (most recent call last):
    ...
    kundfokus.base.NotFittedError: this M is not fitted yet: call fit() first
    """
    if getattr(model, attribute, None) is None:
        raise NotFittedError(f"this {type(model).__name__} is not fitted yet: call fit() first")


class Estimator:
    """``get_params`` / ``set_params`` from the ``__init__`` signature, as in scikit-learn.

    >>> class Model(Estimator):
    ...     def __init__(self, penalty: float = 0.0, max_iter: int = 100):
    ...         self.penalty = penalty
    ...         self.max_iter = max_iter
    >>> Model(penalty=0.5).get_params()
    {'max_iter': 100, 'penalty': 0.5}
    >>> Model().set_params(max_iter=10).max_iter
    10
    """

    @classmethod
    def _param_names(cls) -> list[str]:
        init = cls.__init__
        if init is object.__init__:
            return []
        sig = inspect.signature(init)
        return sorted(
            p.name
            for p in sig.parameters.values()
            if p.name != "self" and p.kind not in (p.VAR_POSITIONAL, p.VAR_KEYWORD)
        )

    def get_params(self, deep: bool = True) -> dict[str, Any]:
        return {name: getattr(self, name) for name in self._param_names()}

    def set_params(self, **params: Any) -> Estimator:
        valid = set(self._param_names())
        for key, value in params.items():
            if key not in valid:
                raise ValueError(
                    f"invalid parameter {key!r} for {type(self).__name__}; "
                    f"valid parameters: {', '.join(sorted(valid)) or '(none)'}"
                )
            setattr(self, key, value)
        return self

    def __repr__(self) -> str:
        args = ", ".join(f"{k}={v!r}" for k, v in self.get_params().items())
        return f"{type(self).__name__}({args})"


class Result:
    """Base of every method's result: tidy tables + metadata + ``to_dict()`` + ``warnings(lang)``.

    A subclass is usually a dataclass. By default its :class:`pandas.DataFrame` fields are the
    tables and its other plain fields (numbers, text, lists, dicts) the metadata; a subclass may
    override :meth:`tables`, :meth:`meta` or :meth:`warnings`.
    """

    def _fields(self) -> dict[str, Any]:
        if dataclasses.is_dataclass(self):
            return {f.name: getattr(self, f.name) for f in dataclasses.fields(self)}
        return {k: v for k, v in vars(self).items() if not k.startswith("_")}

    def tables(self) -> dict[str, pd.DataFrame]:
        """The result's tidy tables by name (fields that are data frames and not ``None``)."""
        return {k: v for k, v in self._fields().items() if isinstance(v, pd.DataFrame)}

    def meta(self) -> dict[str, Any]:
        """The result's metadata: its plain, JSON-ready fields (numbers, text, lists, dicts)."""
        plain = (str, int, float, bool, list, tuple, dict, type(None))
        out = {}
        for k, v in self._fields().items():
            if isinstance(v, pd.DataFrame):
                continue
            if isinstance(v, plain) or hasattr(v, "isoformat"):
                out[k] = v.isoformat() if hasattr(v, "isoformat") else v
        return out

    def warnings(self, lang: str = "en") -> list[str]:
        """What a reader should know before trusting the figures, in ``lang`` (``en`` or ``sv``)."""
        return []

    def to_dict(self, lang: str = "en") -> dict[str, Any]:
        """Metadata, every table as a list of records, and the warnings in ``lang``; JSON-ready."""
        out: dict[str, Any] = dict(json_safe(self.meta()))
        for name, table in self.tables().items():
            out[name] = records(table)
        out["warnings"] = self.warnings(lang)
        return out
