"""Plain-text rendering shared by every method: a frame as an aligned table for a terminal."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import pandas as pd


def frame_text(df: pd.DataFrame, float_digits: int = 3) -> str:
    """``df`` as an aligned text table without the index, floats with ``float_digits`` decimals.

    Examples
    --------
    >>> import pandas as pd
    >>> print(frame_text(pd.DataFrame({"group": ["a", "b"], "nps": [12.345, -3.0]}), 1))
    group  nps
        a 12.3
        b -3.0
    """
    import pandas as pd

    with pd.option_context(
        "display.max_rows", 500, "display.max_columns", 50, "display.width", 200
    ):
        return df.to_string(index=False, float_format=lambda v: f"{v:.{float_digits}f}")
