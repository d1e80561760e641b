"""kundfokus: understand what customers need, per situation, and show leadership what to do about it.

The package is organised in layers (see ``docs/architecture.md``):

* methods (``kundfokus.kano``, ``kundfokus.jtbd``, ...) are pure functions over dataframes of any
  engine (pandas, Polars, DuckDB, PySpark, through narwhals) that return tidy pandas frames;
* ``kundfokus.charts`` turns results into Vega-Lite specifications;
* ``kundfokus.cli`` and ``kundfokus.reports`` are thin interfaces on top.
"""

from kundfokus.errors import InputError

__all__ = ["InputError", "__version__"]
__version__ = "0.1.0"
