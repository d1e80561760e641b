"""Point labels that do not overlap, for scatter charts (the Kano plot, the ODI landscape).

Vega-Lite has no label placement of its own for point charts, and a report must work offline as a
static SVG, so the labels are placed in Python before the chart is drawn: greedily, in the order
given (the most important points first), each label takes the first position around its point
where it overlaps no label already placed, no point and does not leave the plot. Positions tried:
right of the point, left of it, above, below, then further up or down on either side (these get a
thin leader line to their point). A label that finds no free place may cover a point but still not
another label; only when even that fails is it left out (the point keeps its tooltip).

Sizes are estimates: a character is taken as :data:`CHAR_WIDTH` times the font size wide, which
fits the sans-serif fonts vl-convert and browsers use for chart text.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

#: Average glyph width as a share of the font size (sans-serif, mixed-case text).
CHAR_WIDTH = 0.6
#: Line height as a share of the font size.
LINE_HEIGHT = 1.3
_GAP = 3.0  # pixels between a point's edge and its label


@dataclass(frozen=True)
class Placement:
    """Where one label goes, in data units.

    ``align`` is the text alignment at the anchor (``"left"``: the text starts at ``x`` and runs to
    the right of the point; ``"right"``: it ends at ``x``; ``"center"``: centred above or below);
    the text is vertically centred on ``y``. ``leader`` says that the label moved away from its
    point and should be joined to it by a line. ``shown`` is False for a label left out.
    """

    x: float
    y: float
    align: str
    leader: bool
    shown: bool


def text_width(text: str, font_px: float) -> float:
    """Estimated width of ``text`` in pixels.

    >>> text_width("abcd", 10)
    24.0
    """
    return len(text) * CHAR_WIDTH * font_px


def _box(align: str, ax: float, ay: float, w: float, h: float) -> tuple[float, float, float, float]:
    if align == "left":
        x0 = ax
    elif align == "right":
        x0 = ax - w
    else:
        x0 = ax - w / 2
    return (x0, ay - h / 2, x0 + w, ay + h / 2)


def _overlaps(a: tuple[float, ...], b: tuple[float, ...]) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


def boxes_overlap(a: tuple[float, ...], b: tuple[float, ...]) -> bool:
    """Whether two boxes ``(x0, y0, x1, y1)`` overlap (touching edges do not count).

    >>> boxes_overlap((0, 0, 2, 2), (1, 1, 3, 3)), boxes_overlap((0, 0, 1, 1), (1, 0, 2, 1))
    (True, False)
    """
    return _overlaps(a, b)


def label_box(
    placement: Placement,
    text: str,
    *,
    width: float,
    height: float,
    x_domain: tuple[float, float] = (0.0, 1.0),
    y_domain: tuple[float, float] = (0.0, 1.0),
    font_px: float = 11,
) -> tuple[float, float, float, float]:
    """The box ``(x0, y0, x1, y1)`` in pixels (y down) that a placed label takes up."""
    ax = (placement.x - x_domain[0]) / (x_domain[1] - x_domain[0]) * width
    ay = height - (placement.y - y_domain[0]) / (y_domain[1] - y_domain[0]) * height
    return _box(placement.align, ax, ay, text_width(text, font_px), LINE_HEIGHT * font_px)


def place_labels(
    xs: Sequence[float],
    ys: Sequence[float],
    texts: Sequence[str],
    radii: Sequence[float],
    *,
    width: float,
    height: float,
    x_domain: tuple[float, float] = (0.0, 1.0),
    y_domain: tuple[float, float] = (0.0, 1.0),
    font_px: float = 11,
    order: Sequence[int] | None = None,
    max_steps: int = 8,
    blocked: Sequence[tuple[float, float, float, float]] = (),
) -> list[Placement]:
    """Place one label per point so that no two labels overlap.

    Parameters
    ----------
    xs, ys:
        Point positions in data units.
    texts:
        The label texts.
    radii:
        Point radii in pixels (a circle mark of area ``s`` has radius ``sqrt(s / pi)``).
    width, height:
        Size of the plot area in pixels.
    x_domain, y_domain:
        The scale domains (data units at the left/bottom and right/top edge).
    font_px:
        Font size of the labels.
    order:
        The order in which points get a place (the first ones get the best places); by default
        the given order.
    max_steps:
        How many lines up or down a label may move beside its point.
    blocked:
        Boxes ``(x0, y0, x1, y1)`` in pixels (y down, from the top left of the plot) that labels
        must keep clear of, such as fixed texts drawn in the plot.

    Returns
    -------
    list of Placement
        One per point, in the order of ``xs``.

    Examples
    --------
    >>> p = place_labels([0.5, 0.5], [0.5, 0.5], ["first", "second"], [5, 5], width=200, height=200)
    >>> [(q.align, q.leader) for q in p]
    [('left', False), ('right', False)]
    """
    n = len(xs)
    xspan = x_domain[1] - x_domain[0]
    yspan = y_domain[1] - y_domain[0]
    px = [(float(x) - x_domain[0]) / xspan * width for x in xs]
    py = [height - (float(y) - y_domain[0]) / yspan * height for y in ys]
    r = [float(v) for v in radii]
    h = LINE_HEIGHT * font_px
    circles = [(px[i] - r[i], py[i] - r[i], px[i] + r[i], py[i] + r[i]) for i in range(n)]
    placed: list[tuple[float, float, float, float]] = [tuple(b) for b in blocked]
    out: list[Placement | None] = [None] * n
    for i in order if order is not None else range(n):
        w = text_width(str(texts[i]), font_px)
        side = r[i] + _GAP
        cands = [
            ("left", px[i] + side, py[i]),
            ("right", px[i] - side, py[i]),
            ("center", px[i], py[i] - side - h / 2),
            ("center", px[i], py[i] + side + h / 2),
        ]
        for k in range(1, max_steps + 1):
            for sign in (-1, 1):
                dy = sign * k * h
                cands += [("left", px[i] + side, py[i] + dy), ("right", px[i] - side, py[i] + dy)]
        choice = None
        for avoid_points in (True, False):
            for align, ax, ay in cands:
                box = _box(align, ax, ay, w, h)
                if box[0] < -1 or box[2] > width + 1 or box[1] < -1 or box[3] > height + 1:
                    continue
                if any(_overlaps(box, b) for b in placed):
                    continue
                if avoid_points and any(_overlaps(box, c) for j, c in enumerate(circles) if j != i):
                    continue
                choice = (align, ax, ay, box)
                break
            if choice is not None:
                break
        if choice is None:
            out[i] = Placement(float(xs[i]), float(ys[i]), "", False, False)
            continue
        align, ax, ay, box = choice
        placed.append(box)
        out[i] = Placement(
            x=round(x_domain[0] + ax / width * xspan, 4),
            y=round(y_domain[0] + (height - ay) / height * yspan, 4),
            align=align,
            leader=abs(ay - py[i]) > h / 2 + r[i] if align != "center" else False,
            shown=True,
        )
    return [
        p if p is not None else Placement(float(xs[i]), float(ys[i]), "", False, False)
        for i, p in enumerate(out)
    ]
