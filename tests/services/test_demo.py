from __future__ import annotations

import json
import re
import shutil

import pytest
from typer.testing import CliRunner

from kundfokus.cli import app
from kundfokus.errors import InputError
from kundfokus.services.demo import EXAMPLE_FILES, find_examples, run_demo


@pytest.fixture(scope="module")
def demo_run(tmp_path_factory):
    """`kundfokus demo --examples`: the demo organisation, then the classic analysis of the
    bundled example survey (a bank's), printed after it and written to examples.html."""
    tmp = tmp_path_factory.mktemp("demo")
    out = tmp / "kundfokus-report"
    res = CliRunner().invoke(
        app,
        [
            "demo",
            "--no-serve",
            "--db",
            str(tmp / "demo.db"),
            "-o",
            str(out),
            "--examples",
            str(find_examples()),
        ],
    )
    return res, out


def test_demo_prints_priorities_first(demo_run):
    res, out = demo_run
    assert res.exit_code == 0, res.output
    assert res.stdout.startswith("Nordström Energi")
    head = "The example survey / Exempelenkäten ("
    assert head in res.stdout
    lines = res.stdout[res.stdout.index(head) :].splitlines()[2:]
    assert lines[0] == "Kano priorities (400 customers, 10 features)"
    # the ten Kano priorities come first, must-be features at the top
    ranked = [line for line in lines[2:12]]
    assert [int(line.split(".")[0]) for line in ranked] == list(range(1, 11))
    assert ranked[0].startswith(" 1. Keep '") and "login with BankID" in " ".join(ranked[:2])
    text = "\n".join(lines)
    assert text.index("Kano priorities") < text.index("Jobs to be done")
    # the situation effect built into the example is found
    assert re.search(r"- weekend opening hours: lost card: must-be; .*\(p < 0\.001\)", text)
    assert "- a personal adviser: " in text and "mortgage application: performance" in text
    # the JTBD list is ordered by opportunity, highest first
    opp = [float(m) for m in re.findall(r"opportunity (\d+\.\d)", text)]
    assert len(opp) >= 5 and opp == sorted(opp, reverse=True)
    assert f"Report: {out / 'examples.html'}" in text


def test_demo_report_holds_both_analyses(demo_run):
    _, out = demo_run
    page = (out / "examples.html").read_text(encoding="utf-8")
    assert "Kano: which features customers expect, value and love" in page
    assert "Jobs to be done: where customers are under-served" in page
    assert "Keep &#39;login with BankID&#39; working" in page or "Keep 'login with BankID'" in page
    assert "Does the category depend on situation?" in page
    specs = [
        json.loads(m)
        for m in re.findall(
            r"<script type='application/vnd.vegalite\+json'>(.*?)</script>", page, flags=re.S
        )
    ]
    # Kano plot, category bars, per-situation Kano plot, and at least one JTBD chart
    assert len(specs) >= 4 and page.count("<svg") == len(specs)
    kano_plots = [s for s in specs if "Kano plot" in json.dumps(s.get("title", ""))]
    assert len(kano_plots) == 2
    assert any(s.get("facet", {}).get("field") == "situation" for s in kano_plots)
    assert not list(out.glob("*.tmp"))


def test_demo_swedish_without_writing(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = run_demo(None, lang="sv")
    assert result.report is None and not list(tmp_path.iterdir())
    assert result.respondents == 400
    labels = set(result.kano.features["label"])
    assert "inloggning med BankID" in labels and "öppet på helger" in labels
    assert set(result.kano_groups.changed_features) >= {"weekend", "adviser"}
    cats = dict(zip(result.kano.features["feature"], result.kano.features["category"], strict=True))
    assert cats["bankid"] == "M" and cats["callback"] == "O" and cats["same_agent"] == "A"
    assert cats["video"] == "I"
    assert {
        "outcome",
        "job",
        "job_type",
        "n",
        "importance",
        "satisfaction",
        "opportunity",
        "served",
    } <= set(result.jtbd.columns)


def test_find_examples_order_and_clear_error(tmp_path, monkeypatch):
    repo_examples = find_examples()
    assert all((repo_examples / f).is_file() for f in EXAMPLE_FILES)
    copy = tmp_path / "ex"
    copy.mkdir()
    for f in EXAMPLE_FILES:
        shutil.copy(repo_examples / f, copy / f)
    monkeypatch.setenv("KUNDFOKUS_EXAMPLES", str(copy))
    assert find_examples() == copy
    (copy / "odi_answers.csv").unlink()
    assert find_examples() == repo_examples  # falls back to the checkout
    with pytest.raises(InputError, match="example data was not found") as ei:
        find_examples(copy)
    assert ei.value.file == str(copy / "odi_answers.csv")
    db = tmp_path / "demo.db"
    res = CliRunner().invoke(
        app,
        ["demo", "--no-serve", "--db", str(db), "--examples", str(copy), "-o", str(tmp_path / "o")],
    )
    assert res.exit_code != 0
    assert not (tmp_path / "o").exists() and not db.exists()  # nothing built, nothing written


def test_example_generator_reproduces_the_committed_files(tmp_path):
    import importlib.util

    examples = find_examples()
    spec = importlib.util.spec_from_file_location(
        "make_kano_example", examples / "make_kano_example.py"
    )
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    module.main(tmp_path)
    for name in ("kano_features.csv", "kano_answers.csv"):
        assert (tmp_path / name).read_bytes() == (examples / name).read_bytes(), name
