"""Situations in aggregate: group contacts by the situation they come from, then see which needs
arise in each situation, through which channels, and when.

A situation is described only by the situation axes: urgency, treatment, mood, situation tags and
the channel used. The need (purpose type and contact reason) is deliberately left out of the
grouping, so that needs can be reported *per situation* instead of defining it.

How it works
------------
1. Every distinct situation profile (urgency, treatment, mood, tags, channel) is counted in the
   data's own engine (pandas, Polars, DuckDB, PySpark through narwhals); only these counts, a
   small table, come to Python.
2. Each profile becomes a 0/1 vector: one indicator per urgency, treatment, mood and channel
   value and one per situation tag (a contact can have several tags).
3. k-means (scikit-learn, 10 starts) groups the profiles, weighted by how many contacts share
   each profile. The number of groups is the one with the best silhouette in ``k_range``
   (computed exactly as on the contact-level data, with profile counts as weights), unless ``k``
   is given. A k that leaves a situation with under ``min_share`` (5 %) of the contacts is not
   eligible, and when several k score within ``tolerance`` (0.01) of the best, the smallest
   wins.
4. Each group is named by its dominant situation features, in English and Swedish: a value of
   urgency, treatment, mood or channel held by at least 60 % of the group and more common in it
   than overall (or by 90 % or more), and every tag held by at least half of the group and more
   common in it than overall. A group with none of these is "mixed situations".
5. The contacts get their group (back in the engine) and are counted per group and purpose
   type, contact reason, channel and day; days are rolled up to weeks or months.

Limits: k-means on indicators is a simple, transparent choice; with few distinct profiles the
groups are close to the profiles themselves. The labels come from the store (a person's label,
else the model's, else the rules' guess), so the groups are only as good as those guesses.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import narwhals as nw
import numpy as np
import pandas as pd

from kundfokus.base import Result
from kundfokus.errors import InputError
from kundfokus.frames import to_pandas
from kundfokus.i18n import check_lang, tr

SITUATION_COLUMNS: tuple[str, ...] = ("urgency", "treatment", "mood", "tags", "channel")
NEED_COLUMNS: tuple[str, ...] = ("purpose", "reason")
UNKNOWN = "unknown"

NAMES: dict[str, dict[str, dict[str, str]]] = {
    "urgency": {
        "now": {"en": "urgent now", "sv": "akut nu"},
        "today": {"en": "today", "sv": "i dag"},
        "no_rush": {"en": "no rush", "sv": "ingen brådska"},
    },
    "treatment": {
        "quick": {"en": "quick answer", "sv": "snabbt svar"},
        "personal": {"en": "personal help", "sv": "personlig hjälp"},
        "guided": {"en": "guided", "sv": "vägledning"},
        "self_service": {"en": "self-service", "sv": "självservice"},
    },
    "mood": {
        "negative": {"en": "negative", "sv": "negativ"},
        "neutral": {"en": "neutral", "sv": "neutral"},
        "positive": {"en": "positive", "sv": "positiv"},
    },
    "tags": {
        "moving_house": {"en": "moving house", "sv": "flytt"},
        "travelling_abroad": {"en": "travelling abroad", "sv": "utlandsresa"},
        "bereavement": {"en": "bereavement", "sv": "dödsfall"},
        "new_customer": {"en": "new customer", "sv": "ny kund"},
        "repeat_contact": {"en": "repeat contact", "sv": "upprepad kontakt"},
    },
    "channel": {
        "phone": {"en": "phone", "sv": "telefon"},
        "chat": {"en": "chat", "sv": "chatt"},
        "email": {"en": "e-mail", "sv": "e-post"},
        "social": {"en": "social media", "sv": "sociala medier"},
        "letter": {"en": "letter", "sv": "brev"},
        "web": {"en": "web", "sv": "webb"},
        "sms": {"en": "SMS", "sv": "sms"},
    },
}

_TEXT = {
    "mixed": {"en": "mixed situations", "sv": "blandade situationer"},
    "header": {
        "en": "{k} situations among {n} contacts ({how})",
        "sv": "{k} situationer bland {n} kontakter ({how})",
    },
    "silhouette": {
        "en": "k chosen by silhouette {s:.3f}",
        "sv": "k valt efter silhuett {s:.3f}",
    },
    "given": {"en": "k given", "sv": "k angivet"},
    "profiles": {
        "en": "one situation per distinct profile",
        "sv": "en situation per distinkt profil",
    },
    "line": {
        "en": "{i}. {name}: {n} contacts ({share:.0%}); needs: {needs}; channels: {channels}",
        "sv": "{i}. {name}: {n} kontakter ({share:.0%}); behov: {needs}; kanaler: {channels}",
    },
    "intro": {
        "en": "Contacts grouped by their situation (urgency, treatment, mood, situation tags, "
        "channel), not by the need; the needs are then shown per situation.",
        "sv": "Kontakterna grupperade efter situation (brådska, bemötande, stämning, "
        "situationstaggar, kanal), inte efter behov; behoven visas sedan per situation.",
    },
    "summary": {"en": "Situations", "sv": "Situationer"},
    "needs": {"en": "Needs per situation", "sv": "Behov per situation"},
    "reasons": {"en": "Contact reasons per situation", "sv": "Kontaktorsaker per situation"},
    "volumes": {"en": "Volume over time", "sv": "Volym över tid"},
    "channels": {"en": "Channels per situation", "sv": "Kanaler per situation"},
}


def label_name(column: str, value: str, lang: str = "en") -> str:
    """A person-readable name of a situation value (falls back to the value itself).

    Examples
    --------
    >>> label_name("urgency", "now", "sv")
    'akut nu'
    >>> label_name("tags", "lost_pet")
    'lost pet'
    """
    entry = NAMES.get(column, {}).get(value)
    return tr(entry, lang) if entry else str(value).replace("_", " ")


def split_tags(value: str) -> list[str]:
    """Tags of a ``|``-joined tag label (``none`` and ``unknown`` mean no tag).

    Examples
    --------
    >>> split_tags("moving_house|new_customer")
    ['moving_house', 'new_customer']
    >>> split_tags("none")
    []
    """
    return [t for t in str(value).split("|") if t and t not in ("none", UNKNOWN)]


def profile_features(profiles: pd.DataFrame) -> tuple[np.ndarray, list[tuple[str, str]]]:
    """0/1 feature matrix of situation profiles and the (column, value) of each feature."""
    feats: list[tuple[str, str]] = []
    for col in SITUATION_COLUMNS:
        if col == "tags":
            values = sorted({t for v in profiles[col] for t in split_tags(v)})
        else:
            values = sorted(set(profiles[col]))
        feats.extend((col, v) for v in values)
    index = {f: j for j, f in enumerate(feats)}
    x = np.zeros((len(profiles), len(feats)))
    for i, row in enumerate(profiles[list(SITUATION_COLUMNS)].itertuples(index=False)):
        for col, v in zip(SITUATION_COLUMNS, row, strict=True):
            if col == "tags":
                for t in split_tags(v):
                    x[i, index[(col, t)]] = 1.0
            else:
                x[i, index[(col, v)]] = 1.0
    return x, feats


def weighted_silhouette(x: np.ndarray, labels: np.ndarray, weights: np.ndarray) -> float:
    """Mean silhouette of the data where row ``i`` of ``x`` stands for ``weights[i]`` identical
    points (equals :func:`sklearn.metrics.silhouette_score` on the expanded data).

    Examples
    --------
    >>> x = np.array([[0.0], [1.0], [5.0]])
    >>> round(weighted_silhouette(x, np.array([0, 0, 1]), np.array([2, 1, 3])), 6)
    0.925
    """
    from scipy.spatial.distance import cdist

    w = np.asarray(weights, dtype=float)
    d = cdist(x, x)
    clusters = np.unique(labels)
    if len(clusters) < 2:
        return float("nan")
    sums = np.column_stack([(d[:, labels == c] * w[labels == c]).sum(axis=1) for c in clusters])
    sizes = np.array([w[labels == c].sum() for c in clusters])
    own = np.searchsorted(clusters, labels)
    own_size = sizes[own] - 1.0
    a = np.where(own_size > 0, sums[np.arange(len(x)), own] / np.maximum(own_size, 1e-12), 0.0)
    mean_other = sums / sizes
    mean_other[np.arange(len(x)), own] = np.inf
    b = mean_other.min(axis=1)
    denom = np.maximum(a, b)
    s = np.where((own_size > 0) & (denom > 0), (b - a) / np.where(denom > 0, denom, 1), 0.0)
    return float((s * w).sum() / w.sum())


@dataclass
class SituationResult(Result):
    """Result of :func:`situations` (all frames tidy, one row per combination).

    A :class:`kundfokus.base.Result` whose :meth:`to_dict` is its own (the JSON of
    ``kundfokus contacts situations --format json``, unchanged); :meth:`tables` and :meth:`meta`
    are the defaults (the frames; ``k``, ``chosen_by``, ``silhouette``, ``period``, ``extra``).

    Attributes
    ----------
    k : int
        Number of situations.
    chosen_by : str
        ``silhouette``, ``given`` or ``profiles`` (as many situations as distinct profiles).
    silhouette : float or None
        Silhouette of the chosen grouping.
    scan : pandas.DataFrame
        ``k, silhouette, smallest_share, eligible`` for every k tried.
    summary : pandas.DataFrame
        One row per situation: ``situation, name_en, name_sv, n, share`` and the dominant
        ``urgency, treatment, mood, channel`` with their shares, and ``tags`` (tags held by at
        least half of the group).
    profiles : pandas.DataFrame
        Every distinct profile (urgency, treatment, mood, tags, channel), ``n`` and ``situation``.
    needs, reasons, channels : pandas.DataFrame
        ``situation, purpose|reason|channel, n, share`` (share within the situation).
    volumes : pandas.DataFrame
        ``situation, period`` (start date of the week or month), ``n``.
    """

    k: int
    chosen_by: str
    silhouette: float | None
    scan: pd.DataFrame
    summary: pd.DataFrame
    profiles: pd.DataFrame
    needs: pd.DataFrame
    reasons: pd.DataFrame
    volumes: pd.DataFrame
    channels: pd.DataFrame
    period: str = "month"
    extra: dict[str, Any] = field(default_factory=dict)

    def to_dict(self, lang: str = "en") -> dict[str, Any]:
        """``k``, ``chosen_by``, ``silhouette``, ``period`` and every frame as records. The
        situations carry both names (``name_en``, ``name_sv``), so ``lang`` changes nothing."""
        from kundfokus.serialize import records

        check_lang(lang)
        return {
            "k": self.k,
            "chosen_by": self.chosen_by,
            "silhouette": self.silhouette,
            "period": self.period,
            "scan": records(self.scan),
            "summary": records(self.summary),
            "needs": records(self.needs),
            "reasons": records(self.reasons),
            "volumes": records(self.volumes),
            "channels": records(self.channels),
            "profiles": records(self.profiles),
        }

    def text(self, lang: str = "en") -> str:
        """A plain-language overview, one line per situation."""
        check_lang(lang)
        how = (
            tr(_TEXT["silhouette"], lang, s=self.silhouette)
            if self.chosen_by == "silhouette"
            else tr(_TEXT[self.chosen_by], lang)
        )
        n = int(self.summary["n"].sum())
        lines = [tr(_TEXT["header"], lang, k=self.k, n=n, how=how)]
        for r in self.summary.itertuples(index=False):
            needs = self.needs[self.needs["situation"] == r.situation].head(3)
            chans = self.channels[self.channels["situation"] == r.situation].head(3)
            lines.append(
                tr(
                    _TEXT["line"],
                    lang,
                    i=r.situation,
                    name=getattr(r, f"name_{lang}"),
                    n=r.n,
                    share=r.share,
                    needs=", ".join(f"{v} {s:.0%}" for v, s in zip(needs["purpose"], needs["share"], strict=True)),
                    channels=", ".join(
                        f"{label_name('channel', v, lang)} {s:.0%}"
                        for v, s in zip(chans["channel"], chans["share"], strict=True)
                    ),
                )
            )  # fmt: skip
        return "\n".join(lines)


def _check_columns(nwf: Any) -> None:
    names = nwf.collect_schema().names()
    for col in (*SITUATION_COLUMNS, *NEED_COLUMNS, "timestamp"):
        if col not in names:
            raise InputError(
                "missing column for the situation report",
                column=col,
                hint=f"the frame has: {', '.join(names)}",
            )


def situations(
    frame: Any,
    *,
    k: int | None = None,
    k_range: tuple[int, int] = (2, 8),
    period: str = "month",
    random_state: int = 0,
    lang: str = "en",
    tolerance: float = 0.01,
    min_share: float = 0.05,
) -> SituationResult:
    """Group contacts by situation and report needs, reasons, channels and volumes per group.

    Parameters
    ----------
    frame:
        One row per contact (pandas, Polars, DuckDB or PySpark) with the columns ``urgency,
        treatment, mood, tags`` (``|``-joined, ``none`` for no tag), ``channel``, ``purpose``,
        ``reason`` and ``timestamp``. Missing values count as ``unknown``.
    k:
        Number of situations; ``None`` picks it by silhouette within ``k_range``.
    k_range:
        Smallest and largest k tried (inclusive).
    period:
        ``week`` or ``month`` for the volumes.
    random_state:
        Seed of k-means.
    lang:
        Checked only (``en`` or ``sv``); names are always returned in both languages.
    tolerance:
        With ``k=None``: take the smallest k whose silhouette is within ``tolerance`` of the
        best one (fewer situations are easier to act on, and tiny outlier groups of noisy
        profiles often gain a silhouette of a few thousandths).
    min_share:
        With ``k=None``: a k whose smallest situation holds less than this share of the
        contacts is not eligible (silhouette rewards peeling off tiny groups of unusual
        profiles, which are no use as situations to plan for). When no k is eligible, the
        smallest k of the range is taken.

    Returns
    -------
    SituationResult

    Examples
    --------
    >>> df = pd.DataFrame({
    ...     "urgency": ["now"] * 4 + ["no_rush"] * 4,
    ...     "treatment": ["personal"] * 4 + ["self_service"] * 4,
    ...     "mood": ["negative"] * 3 + ["neutral"] + ["neutral"] * 4,
    ...     "tags": ["bereavement"] * 4 + ["none"] * 4,
    ...     "channel": ["phone"] * 4 + ["chat"] * 4,
    ...     "purpose": ["problem", "problem", "need", "problem"] + ["question"] * 4,
    ...     "reason": ["estate"] * 4 + ["opening_hours"] * 4,
    ...     "timestamp": pd.to_datetime(["2024-01-05"] * 8)})
    >>> res = situations(df, k=2)
    >>> for r in res.summary.itertuples():
    ...     print(r.situation, r.n, r.name_en, "/", r.name_sv)
    1 4 urgent now · personal help · negative · bereavement · phone / akut nu · personlig hjälp · negativ · dödsfall · telefon
    2 4 no rush · self-service · neutral · chat / ingen brådska · självservice · neutral · chatt
    >>> res.needs[res.needs["situation"] == 1][["purpose", "n"]].values.tolist()
    [['problem', 3], ['need', 1]]
    """
    check_lang(lang)
    if period not in ("week", "month"):
        raise InputError("unknown period", column="period", value=period, hint="week or month")
    lo, hi = k_range
    if k is not None and k < 1:
        raise InputError("k must be at least 1", column="k", value=k)
    if lo < 2 or hi < lo:
        raise InputError("k range must satisfy 2 <= k_min <= k_max", value=k_range)
    nwf = nw.from_native(frame)
    _check_columns(nwf)
    cols = [*SITUATION_COLUMNS, *NEED_COLUMNS]
    nwf = nwf.with_columns(
        [nw.col(c).cast(nw.String).fill_null(UNKNOWN) for c in cols]
    )  # fmt: skip
    ts_dtype = nwf.collect_schema()["timestamp"]
    if ts_dtype == nw.String:
        nwf = nwf.with_columns(nw.col("timestamp").str.to_datetime())
    profiles = to_pandas(nwf.group_by(list(SITUATION_COLUMNS)).agg(nw.len().alias("n")))
    if profiles.empty:
        raise InputError("no contacts to group")
    profiles = profiles.sort_values(list(SITUATION_COLUMNS), kind="stable").reset_index(drop=True)
    x, feats = profile_features(profiles)
    w = profiles["n"].to_numpy(dtype=float)
    n_prof = len(profiles)
    scan_rows: list[dict[str, Any]] = []
    if k is not None:
        k_use = min(k, n_prof)
        chosen_by = "given"
        assign = _kmeans(x, w, k_use, random_state)
        sil = weighted_silhouette(x, assign, w) if k_use > 1 else None
    elif n_prof <= lo:
        k_use, chosen_by = n_prof, "profiles"
        assign, sil = np.arange(n_prof), None
    else:
        fits = []
        for kk in range(lo, min(hi, n_prof - 1) + 1):
            lab = _kmeans(x, w, kk, random_state)
            s = weighted_silhouette(x, lab, w)
            smallest = float(pd.Series(w).groupby(lab).sum().min() / w.sum())
            ok = smallest >= min_share
            scan_rows.append({"k": kk, "silhouette": s, "smallest_share": smallest, "eligible": ok})
            if ok:
                fits.append((s, kk, lab))
        if not fits and scan_rows:  # every k makes a tiny group: take the smallest k
            kk = scan_rows[0]["k"]
            lab = _kmeans(x, w, kk, random_state)
            fits.append((scan_rows[0]["silhouette"], kk, lab))
        best = None
        if fits:
            top = max(f[0] for f in fits)
            # the smallest k whose silhouette is within the tolerance of the best
            best = next(f for f in fits if f[0] >= top - tolerance)
        if best is None:  # n_prof - 1 < lo: only one valid k
            k_use, chosen_by = n_prof, "profiles"
            assign, sil = np.arange(n_prof), None
        else:
            sil, k_use, assign = best
            chosen_by = "silhouette"
    # number situations 1..k by size (largest first)
    sizes = pd.Series(w).groupby(assign).sum().sort_values(ascending=False, kind="stable")
    order = {old: new for new, old in enumerate(sizes.index, start=1)}
    profiles["situation"] = [order[a] for a in assign]
    k_use = len(order)
    summary = _summarise(profiles, x, feats)

    key = nw.concat_str([nw.col(c) for c in SITUATION_COLUMNS], separator="\x1f")
    prof_key = profiles[list(SITUATION_COLUMNS)].astype(str).agg("\x1f".join, axis=1)
    expr: Any = nw.lit(0)
    for s_id in sorted(profiles["situation"].unique(), reverse=True):
        keys = prof_key[profiles["situation"] == s_id].tolist()
        expr = nw.when(key.is_in(keys)).then(nw.lit(int(s_id))).otherwise(expr)
    tagged = nwf.with_columns(situation=expr)

    def counts(col: str) -> pd.DataFrame:
        df = to_pandas(tagged.group_by(["situation", col]).agg(nw.len().alias("n")))
        df["share"] = df["n"] / df.groupby("situation")["n"].transform("sum")
        return df.sort_values(["situation", "n", col], ascending=[True, False, True]).reset_index(
            drop=True
        )[["situation", col, "n", "share"]]

    needs, reasons, channels = counts("purpose"), counts("reason"), counts("channel")
    days = to_pandas(
        tagged.with_columns(day=nw.col("timestamp").dt.truncate("1d"))
        .group_by(["situation", "day"])
        .agg(nw.len().alias("n"))
    )
    days["day"] = pd.to_datetime(days["day"])
    if days["day"].dt.tz is not None:
        days["day"] = days["day"].dt.tz_convert("UTC").dt.tz_localize(None)
    freq = "W-SUN" if period == "week" else "M"
    days["period"] = days["day"].dt.to_period(freq).dt.start_time.dt.strftime("%Y-%m-%d")
    volumes = (
        days.groupby(["situation", "period"], as_index=False)["n"]
        .sum()
        .sort_values(["situation", "period"])
        .reset_index(drop=True)
    )
    return SituationResult(
        k=k_use,
        chosen_by=chosen_by,
        silhouette=None if sil is None or np.isnan(sil) else float(sil),
        scan=pd.DataFrame(scan_rows, columns=["k", "silhouette", "smallest_share", "eligible"]),
        summary=summary,
        profiles=profiles,
        needs=needs,
        reasons=reasons,
        volumes=volumes,
        channels=channels,
        period=period,
    )


def _kmeans(x: np.ndarray, w: np.ndarray, k: int, random_state: int) -> np.ndarray:
    from sklearn.cluster import KMeans

    if k >= len(x):
        return np.arange(len(x))
    km = KMeans(n_clusters=k, n_init=10, random_state=random_state)
    return km.fit_predict(x, sample_weight=w)


def _summarise(
    profiles: pd.DataFrame, x: np.ndarray, feats: Sequence[tuple[str, str]]
) -> pd.DataFrame:
    w = profiles["n"].to_numpy(dtype=float)
    overall = (x * w[:, None]).sum(axis=0) / w.sum()
    rows = []
    used: dict[str, int] = {}
    for s_id in sorted(profiles["situation"].unique()):
        mask = (profiles["situation"] == s_id).to_numpy()
        ws = w[mask]
        share = (x[mask] * ws[:, None]).sum(axis=0) / ws.sum()
        row: dict[str, Any] = {"situation": int(s_id), "n": int(ws.sum())}
        parts: list[tuple[str, str]] = []
        for col in SITUATION_COLUMNS:
            idx = [j for j, f in enumerate(feats) if f[0] == col]
            if col == "tags":
                held = [feats[j][1] for j in idx if share[j] >= 0.5]
                row["tags"] = "|".join(held) if held else "none"
                parts.extend(
                    (col, t)
                    for t in held
                    if share[feats.index((col, t))] > overall[feats.index((col, t))]
                )
                continue
            j = max(idx, key=lambda j: share[j])
            row[col], row[f"{col}_share"] = feats[j][1], float(share[j])
            distinctive = share[j] >= 0.6 and (share[j] > overall[j] + 1e-9 or share[j] >= 0.9)
            if distinctive and feats[j][1] != UNKNOWN:
                parts.append((col, feats[j][1]))
        for lang in ("en", "sv"):
            name = " · ".join(label_name(c, v, lang) for c, v in parts) or tr(_TEXT["mixed"], lang)
            row[f"name_{lang}"] = name
        n_same = used.get(row["name_en"], 0)
        used[row["name_en"]] = n_same + 1
        if n_same:
            row["name_en"] += f" ({n_same + 1})"
            row["name_sv"] += f" ({n_same + 1})"
        rows.append(row)
    df = pd.DataFrame(rows)
    df["share"] = df["n"] / df["n"].sum()
    cols = [
        "situation", "name_en", "name_sv", "n", "share", "urgency", "urgency_share", "treatment",
        "treatment_share", "mood", "mood_share", "tags", "channel", "channel_share",
    ]  # fmt: skip
    return df[cols]


def situation_charts(res: SituationResult, lang: str = "en") -> dict[str, dict[str, Any]]:
    """Vega-Lite specs: needs per situation (stacked bars) and volume over time (lines)."""
    import altair as alt

    names = res.summary.set_index("situation")[f"name_{lang}"]
    needs = res.needs.assign(name=res.needs["situation"].map(names))
    vol = res.volumes.assign(name=res.volumes["situation"].map(names))
    sit = {"en": "Situation", "sv": "Situation"}[lang]
    need = {"en": "Purpose type", "sv": "Behovstyp"}[lang]
    share = {"en": "Share", "sv": "Andel"}[lang]
    per = {"en": "Period", "sv": "Period"}[lang]
    cnt = {"en": "Contacts", "sv": "Kontakter"}[lang]
    needs_chart = (
        alt.Chart(needs)
        .mark_bar()
        .encode(
            y=alt.Y("name:N", title=sit),
            x=alt.X("share:Q", title=share, stack="normalize", axis=alt.Axis(format="%")),
            color=alt.Color("purpose:N", title=need),
            tooltip=["name", "purpose", "n", alt.Tooltip("share:Q", format=".0%")],
        )
    )
    vol_chart = (
        alt.Chart(vol)
        .mark_line(point=True)
        .encode(
            x=alt.X("period:T", title=per),
            y=alt.Y("n:Q", title=cnt),
            color=alt.Color("name:N", title=sit),
        )
    )
    return {"needs": needs_chart.to_dict(), "volumes": vol_chart.to_dict()}


def situation_report_sections(res: SituationResult, lang: str = "en") -> list[Any]:
    """Report sections (for :func:`kundfokus.reports.render_report`) in ``lang``."""
    from kundfokus.reports import Chart, Section, Table

    check_lang(lang)
    names = res.summary.set_index("situation")[f"name_{lang}"]
    charts = situation_charts(res, lang)

    def named(df: pd.DataFrame) -> pd.DataFrame:
        return df.assign(situation=df["situation"].map(lambda s: f"{s}. {names[s]}"))

    summary_cols = ["situation", f"name_{lang}", "n", "share", "urgency", "treatment", "mood", "tags", "channel"]  # fmt: skip
    return [
        Section(
            tr(_TEXT["summary"], lang),
            paragraphs=[tr(_TEXT["intro"], lang), *res.text(lang).splitlines()],
            tables=[Table(res.summary[summary_cols])],
        ),
        Section(
            tr(_TEXT["needs"], lang),
            tables=[Table(named(res.needs))],
            charts=[Chart(charts["needs"])],
        ),
        Section(tr(_TEXT["reasons"], lang), tables=[Table(named(res.reasons))]),
        Section(
            tr(_TEXT["volumes"], lang),
            tables=[Table(named(res.volumes))],
            charts=[Chart(charts["volumes"])],
        ),
        Section(tr(_TEXT["channels"], lang), tables=[Table(named(res.channels))]),
    ]
