"""Kano analysis at scale: 1,000,000 respondents x 20 features, side by side in one run.

Claim: the full ``kundfokus.kano.analyze`` on a Parquet file (answers as text in the classic
wording, plus a 1-9 importance per feature) is at least 100x faster than the row-by-row pandas
script an analyst would write, and within 3x of DuckDB merely counting the answer values per
column (the floor set by reading the data at all).

    .venv/bin/python benchmarks/kano_scale.py            # 1,000,000 x 20, cached in benchmarks/_data/
    .venv/bin/python benchmarks/kano_scale.py --rows 200000 --naive-rows 20000

(a) the row-by-row pandas script is timed on the first ``--naive-rows`` rows (default 50,000) and
    extrapolated linearly to all rows; the output says so.
(b) DuckDB counts the values of every answer and importance column in one UNION ALL query.
(c) ``analyze`` reads the Parquet lazily through DuckDB (and, for comparison, Polars) and counts
    inside the engine.
The results of (a) on its subset are checked against ``analyze`` on the same subset.
"""

from __future__ import annotations

import argparse
import os
import time
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq

from kundfokus.kano import STANDARD_TABLE, WORDINGS, analyze

HERE = Path(__file__).resolve().parent
DATA = HERE / "_data"
TEXTS = WORDINGS["classic"]["en"]
IMPORTANCE = [
    "1 - Not at all important",
    "2",
    "3 - Somewhat important",
    "4",
    "5 - Important",
    "6",
    "7 - Very important",
    "8",
    "9 - Extremely important",
]


def generate(path: Path, rows: int, features: int, seed: int = 7) -> None:
    """Write a realistic answer file: per feature its own mix of answer pairs, 2% skipped."""
    rng = np.random.default_rng(seed)
    answers = pa.array(TEXTS, type=pa.string())
    importance = pa.array(IMPORTANCE, type=pa.string())
    columns: dict[str, pa.Array] = {
        "respondent": pa.array(np.arange(1, rows + 1, dtype=np.int64)),
        "channel": pa.DictionaryArray.from_arrays(
            pa.array(rng.integers(0, 3, rows).astype(np.int8)),
            pa.array(["phone", "chat", "email"]),
        ),
    }
    for f in range(1, features + 1):
        # answer pairs drawn around a feature "type": mostly A, O, M or I cells, few R and Q
        kind = str(rng.choice(["A", "O", "M", "I"]))
        weight = {"A": 0.8, "O": 0.8, "M": 0.8, "I": 0.5, "R": 0.03, "Q": 0.03, kind: 3.0}
        alpha = np.array([weight[c] for row in STANDARD_TABLE for c in row])
        probs = rng.dirichlet(alpha * 4)
        pair = rng.choice(25, size=rows, p=probs)
        fc = (pair // 5).astype(np.int8)
        dc = (pair % 5).astype(np.int8)
        skipped = rng.random(rows) < 0.02
        mask = skipped
        columns[f"F{f}_functional"] = pa.DictionaryArray.from_arrays(
            pa.array(fc, mask=mask), answers
        )
        columns[f"F{f}_dysfunctional"] = pa.DictionaryArray.from_arrays(
            pa.array(dc, mask=mask), answers
        )
        imp = np.clip(np.round(rng.normal(rng.uniform(3, 8), 2, rows)), 1, 9).astype(np.int8) - 1
        columns[f"F{f}_importance"] = pa.DictionaryArray.from_arrays(pa.array(imp), importance)
    table = pa.table(columns)
    # store as plain strings (dictionary-encoded on disk, as any Parquet writer does)
    table = table.cast(
        pa.schema(
            [
                pa.field(name, pa.string())
                if pa.types.is_dictionary(table.schema.field(name).type)
                else table.schema.field(name)
                for name in table.column_names
            ]
        )
    )
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp")
    pq.write_table(table, tmp, row_group_size=128_000)
    tmp.replace(path)


def naive_pandas(frame, features: list[str]) -> dict[str, dict[str, int]]:
    """(a) The script an analyst would write: loop over rows, classify each pair, tally."""
    code = {t: i for i, t in enumerate(TEXTS)}
    counts = {f: {c: 0 for c in "AOMIRQ"} for f in features}
    importance_sum = dict.fromkeys(features, 0.0)
    importance_n = dict.fromkeys(features, 0)
    for _, row in frame.iterrows():
        for f in features:
            fv = row[f"{f}_functional"]
            dv = row[f"{f}_dysfunctional"]
            if isinstance(fv, str) and isinstance(dv, str):
                counts[f][STANDARD_TABLE[code[fv]][code[dv]]] += 1
            iv = row[f"{f}_importance"]
            if isinstance(iv, str):
                importance_sum[f] += float(iv.split(" ")[0])
                importance_n[f] += 1
    return counts


def duckdb_floor(path: Path, columns: list[str]) -> float:
    """(b) DuckDB counting the values of every answer column, one query."""
    import duckdb

    con = duckdb.connect()
    src = f"read_parquet('{path}')"
    sql = " UNION ALL ".join(
        f"SELECT '{c}' AS col, \"{c}\" AS value, count(*) AS n FROM {src} GROUP BY 2"
        for c in columns
    )
    start = time.perf_counter()
    rows = con.sql(sql).fetchall()
    elapsed = time.perf_counter() - start
    assert len(rows) >= len(columns)
    con.close()
    return elapsed


def best_of(fn, repeat: int) -> tuple[float, object]:
    times, result = [], None
    for _ in range(repeat):
        start = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - start)
    return min(times), result


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("--rows", type=int, default=1_000_000)
    ap.add_argument("--features", type=int, default=20)
    ap.add_argument("--naive-rows", type=int, default=50_000)
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args()

    import duckdb
    import polars as pl

    path = DATA / f"kano_{args.rows}x{args.features}.parquet"
    if not path.exists():
        print(f"generating {path} ...", flush=True)
        start = time.perf_counter()
        generate(path, args.rows, args.features)
        print(f"  done in {time.perf_counter() - start:.1f} s", flush=True)
    size_mb = path.stat().st_size / 1e6
    features = [f"F{i}" for i in range(1, args.features + 1)]
    answer_columns = [
        f"{f}_{k}" for f in features for k in ("functional", "dysfunctional", "importance")
    ]
    print(
        f"data: {args.rows:,} respondents x {args.features} features "
        f"(functional, dysfunctional, importance as text), {size_mb:.0f} MB Parquet; "
        f"{os.cpu_count()} CPUs"
    )

    # (a) row by row, on a subset, extrapolated
    subset = pl.read_parquet(path, n_rows=args.naive_rows).to_pandas()
    start = time.perf_counter()
    naive = naive_pandas(subset, features)
    t_naive_subset = time.perf_counter() - start
    t_naive = t_naive_subset * args.rows / len(subset)
    check = analyze(subset).features.set_index("feature")
    for f in features:
        for c in "AOMIRQ":
            assert check.loc[f, c] == naive[f][c], (f, c)
    print(
        f"(a) pandas row by row: {t_naive_subset:.2f} s on {len(subset):,} rows, "
        f"extrapolated linearly to {args.rows:,} rows: {t_naive:.1f} s"
    )

    # (b) the floor
    duckdb_floor(path, answer_columns)  # warm the file cache
    t_floor, _ = best_of(lambda: duckdb_floor(path, answer_columns), args.repeat)
    print(f"(b) DuckDB counting values per column ({len(answer_columns)} columns): {t_floor:.2f} s")

    # (c) the full analysis
    con = duckdb.connect()

    def run_duckdb():
        return analyze(con.read_parquet(str(path)))

    import scipy.stats  # noqa: F401 - imported once by any analysis; keep it out of the timing

    run_duckdb()  # warm up
    t_ours, res = best_of(run_duckdb, args.repeat)
    print(f"(c) kundfokus analyze on DuckDB (full analysis, best of {args.repeat}): {t_ours:.2f} s")
    t_polars, res_pl = best_of(lambda: analyze(pl.scan_parquet(path)), args.repeat)
    print(f"    kundfokus analyze on Polars lazy (best of {args.repeat}): {t_polars:.2f} s")
    assert res.features["n"].tolist() == res_pl.features["n"].tolist()
    t_by, _ = best_of(lambda: analyze(con.read_parquet(str(path)), by="channel"), 1)
    print(f"    kundfokus analyze on DuckDB with --by channel: {t_by:.2f} s")
    print()
    print(f"speed-up over row-by-row pandas (a/c): {t_naive / t_ours:,.0f}x (aim >= 100x)")
    print(f"cost over the DuckDB floor (c/b): {t_ours / t_floor:.2f}x (aim <= 3x)")
    print()
    print(res.features[["feature", "n", "A", "O", "M", "I", "R", "Q", "category"]].head(5))


if __name__ == "__main__":
    main()
