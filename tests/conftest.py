from __future__ import annotations

import os
import shutil
import sys
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings

ROOT = Path(__file__).resolve().parents[1]
TEST_DATA = ROOT / "tests" / "data"

os.environ.setdefault("PYARROW_IGNORE_TIMEZONE", "1")

# CI shares two cores with whatever else runs: a slow example is not a failure. Explicit
# @settings in a test inherit from this profile for the fields they do not set.
settings.register_profile("kundfokus", deadline=None, suppress_health_check=[HealthCheck.too_slow])
settings.load_profile("kundfokus")


@pytest.fixture(scope="session")
def test_data() -> Path:
    """Small real samples copied into the project, with attribution in tests/data/README.md."""
    return TEST_DATA


@pytest.fixture(scope="session")
def examples_dir() -> Path:
    return ROOT / "examples"


@pytest.fixture(scope="session")
def spark():
    """One PySpark session in local mode for the whole test run (needs Java 17).

    Fails, rather than skips, when Java is missing: CI has it, and a silently skipped Spark test
    would hide a broken scale-out path.
    """
    if shutil.which("java") is None:
        pytest.fail("Java is not installed: the Spark tests need Java 17")
    from pyspark.sql import SparkSession

    session = (
        SparkSession.builder.master("local[2]")
        .appName("kundfokus-tests")
        .config("spark.ui.enabled", "false")
        .config("spark.sql.shuffle.partitions", "2")
        .config("spark.default.parallelism", "2")
        .config("spark.sql.session.timeZone", "UTC")
        .config("spark.driver.memory", "2g")
        # Python UDFs run in worker processes: give them this interpreter (with pandas), not the system one.
        .config("spark.pyspark.python", sys.executable)
        .config("spark.pyspark.driver.python", sys.executable)
        .config("spark.sql.execution.arrow.pyspark.enabled", "true")
        .getOrCreate()
    )
    session.sparkContext.setLogLevel("ERROR")
    yield session
    session.stop()
