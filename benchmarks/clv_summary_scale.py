"""Per-customer CLV summary of 10,000,000 transactions in DuckDB, Spark (local mode), Polars, pandas.

Claim checked: one implementation (``kundfokus.clv.summary_from_transactions``, narwhals) builds the
summary inside each engine, and the engines agree. The script writes simulated transactions to a
Parquet file, then for every engine times "read the Parquet file + build the summary + bring the
per-customer result back as pandas", checks that all results are identical, and prints the times and
the ratios to the fastest engine.

Simulated log: ``--customers`` customers (default 1,000,000) with first purchases spread over the
first 12 weeks of 1997, repeat purchases at customer-specific rates over 78 weeks (so some fall on
the same day and are merged), amounts log-normal; calibration ends 1997-09-30, observation ends
1998-06-30, as in CDNOW.

Run::

    .venv/bin/python benchmarks/clv_summary_scale.py                  # 10,000,000 transactions
    .venv/bin/python benchmarks/clv_summary_scale.py --n 1000000 --engines duckdb,polars,pandas
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from kundfokus.clv import summary_from_transactions

CAL, OBS = "1997-09-30", "1998-06-30"


def simulate(n: int, customers: int, seed: int) -> pa.Table:
    rng = np.random.default_rng(seed)
    first = rng.integers(0, 84, customers)
    rate = rng.gamma(0.8, 1.0, customers)  # relative purchase rates
    # first purchases, then n - customers repeat purchases spread by rate
    repeat_owner = rng.choice(customers, size=n - customers, p=rate / rate.sum())
    span = 546 - first[repeat_owner]
    repeat_day = first[repeat_owner] + 1 + (rng.random(n - customers) * span).astype(np.int64)
    owner = np.concatenate([np.arange(customers), repeat_owner])
    day = np.concatenate([first, np.minimum(repeat_day, 545)])
    amount = np.round(rng.lognormal(3.0, 0.6, n), 2)
    dates = (np.datetime64("1997-01-01") + day.astype("timedelta64[D]")).astype("datetime64[D]")
    return pa.table(
        {
            "customer_id": pa.array(owner, pa.int64()),
            "purchase_date": pa.array(dates, pa.date32()),
            "amount": pa.array(amount, pa.float64()),
        }
    )


def run_pandas(path: Path) -> pd.DataFrame:
    return summary_from_transactions(
        pd.read_parquet(path),
        "customer_id",
        "purchase_date",
        "amount",
        calibration_end=CAL,
        observation_end=OBS,
    )


def run_polars(path: Path) -> pd.DataFrame:
    import polars as pl

    return summary_from_transactions(
        pl.scan_parquet(path),
        "customer_id",
        "purchase_date",
        "amount",
        calibration_end=CAL,
        observation_end=OBS,
    )


def run_duckdb(path: Path) -> pd.DataFrame:
    import duckdb

    con = duckdb.connect()
    rel = con.read_parquet(str(path))
    return summary_from_transactions(
        rel, "customer_id", "purchase_date", "amount", calibration_end=CAL, observation_end=OBS
    )


_SPARK = None


def spark_session():
    global _SPARK
    if _SPARK is None:
        from pyspark.sql import SparkSession

        _SPARK = (
            SparkSession.builder.master("local[2]")
            .appName("kundfokus-clv-summary-bench")
            .config("spark.ui.enabled", "false")
            .config("spark.sql.shuffle.partitions", "8")
            .config("spark.sql.session.timeZone", "UTC")
            .config("spark.driver.memory", "6g")
            .config("spark.sql.execution.arrow.pyspark.enabled", "true")
            .getOrCreate()
        )
        _SPARK.sparkContext.setLogLevel("ERROR")
    return _SPARK


def run_spark(path: Path) -> pd.DataFrame:
    sdf = spark_session().read.parquet(str(path))
    return summary_from_transactions(
        sdf, "customer_id", "purchase_date", "amount", calibration_end=CAL, observation_end=OBS
    )


RUNNERS = {"duckdb": run_duckdb, "spark": run_spark, "polars": run_polars, "pandas": run_pandas}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=10_000_000, help="transactions")
    parser.add_argument("--customers", type=int, default=1_000_000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--engines", default="duckdb,spark,polars,pandas")
    parser.add_argument("--dir", type=Path, default=None, help="where to write the Parquet file")
    args = parser.parse_args(argv)
    engines = [e.strip() for e in args.engines.split(",") if e.strip()]
    for e in engines:
        if e not in RUNNERS:
            parser.error(f"unknown engine {e!r}; choose from {', '.join(RUNNERS)}")
    os.environ.setdefault("PYARROW_IGNORE_TIMEZONE", "1")

    tmp = tempfile.TemporaryDirectory(dir=args.dir)
    path = Path(tmp.name) / "transactions.parquet"
    print(f"simulating {args.n:,} transactions of {args.customers:,} customers ...", flush=True)
    t0 = time.perf_counter()
    pq.write_table(simulate(args.n, args.customers, args.seed), path, row_group_size=1_000_000)
    print(
        f"  {time.perf_counter() - t0:.1f} s, {path.stat().st_size / 1e6:.0f} MB Parquet",
        flush=True,
    )
    if "spark" in engines:
        t0 = time.perf_counter()
        spark_session()
        print(
            f"  Spark session started in {time.perf_counter() - t0:.1f} s (not timed below)",
            flush=True,
        )

    times: dict[str, float] = {}
    results: dict[str, pd.DataFrame] = {}
    for engine in engines:
        print(f"{engine}: summary ...", flush=True)
        t0 = time.perf_counter()
        results[engine] = RUNNERS[engine](path)
        times[engine] = time.perf_counter() - t0
        print(f"  {times[engine]:.2f} s, {len(results[engine]):,} customers", flush=True)

    base_name = engines[0]
    base = results[base_name]
    same = True
    for engine in engines[1:]:
        try:
            pd.testing.assert_frame_equal(results[engine], base, check_dtype=False)
        except AssertionError as exc:
            same = False
            print(f"  {engine} differs from {base_name}: {str(exc).splitlines()[0]}")
    fastest = min(times.values())
    print()
    print(
        f"{args.n:,} transactions -> {len(base):,} customers; calibration end {CAL}, observation end {OBS}"
    )
    print(
        f"  repeat buyers {int((base['frequency'] > 0).sum()):,}; mean frequency {base['frequency'].mean():.3f}"
    )
    for engine in engines:
        print(f"  {engine:7s} {times[engine]:8.2f} s   {times[engine] / fastest:5.1f}x the fastest")
    print("all engines give the same summary:", "yes" if same else "NO")
    if _SPARK is not None:
        _SPARK.stop()
    tmp.cleanup()
    return 0 if same else 1


if __name__ == "__main__":
    sys.exit(main())
