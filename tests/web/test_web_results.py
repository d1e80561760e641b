"""Results through the API are the CLI's results: a Kano survey answered through the API with the
answers of ../shared/data/kano-reppl/ gives, through GET .../results, the JSON `kundfokus kano
analyze --format json` prints for the file; the same for ODI and the scores on the exported file."""

from __future__ import annotations

import csv
import json
import math
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pandas as pd
import pytest
from typer.testing import CliRunner

from kundfokus.cli import app as cli

ROOT = Path(__file__).resolve().parents[2]
REPPL = ROOT.parent / "shared" / "data" / "kano-reppl"
EXAMPLES = ROOT / "examples"


def _cli_json(args: list[str]):
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 0, result.output
    out = result.stdout
    return json.loads(out[out.index("[") if out.lstrip().startswith("[") else out.index("{") :])


def _same(a, b, path="") -> None:
    """Equal JSON, floats to 1e-9 (the same computation on the same numbers)."""
    if isinstance(a, float) or isinstance(b, float):
        if a is None or b is None:
            assert a == b, path
            return
        assert math.isclose(a, b, rel_tol=1e-9, abs_tol=1e-12), (path, a, b)
    elif isinstance(a, dict):
        assert set(a) == set(b), (path, set(a) ^ set(b))
        for k in a:
            _same(a[k], b[k], f"{path}.{k}")
    elif isinstance(a, list):
        assert len(a) == len(b), (path, len(a), len(b))
        for i, (x, y) in enumerate(zip(a, b, strict=True)):
            _same(x, y, f"{path}[{i}]")
    else:
        assert a == b, (path, a, b)


def _post_all(live, survey_id: int, bodies: list[dict]) -> None:
    def post(body):
        with live.client() as c:
            r = c.post(f"/api/v1/surveys/{survey_id}/responses", json=body)
        assert r.status_code == 201, r.text

    with ThreadPoolExecutor(8) as pool:
        list(pool.map(post, bodies))


@pytest.fixture(scope="module")
def reppl(tmp_path_factory):
    """The transfers file of Reppel's data (358 respondents, several answer wordings)."""
    assert REPPL.is_dir(), f"{REPPL} is missing: the shared data sets sit beside the repository"
    folder = tmp_path_factory.mktemp("reppl")
    with (REPPL / "features.csv").open(encoding="utf-8") as fh:
        features = [r for r in csv.DictReader(fh) if r["Category"] == "Transfers"]
    labels = folder / "labels.csv"
    with labels.open("w", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(["feature", "label_en", "label_sv"])
        for r in features:
            w.writerow([r["ID"].rstrip("_"), r["Label"], r["Label"]])
    return REPPL / "transfers--all_cohorts-clean.csv", features, labels


def test_kano_through_the_api_gives_the_cli_results_on_the_reppel_file(live, reppl):
    path, features, labels = reppl
    spec = {
        "kind": "kano",
        "title": "Transfers",
        "languages": ["en", "sv"],
        "importance": "1-9",
        "items": [
            {"id": r["ID"].rstrip("_"), "label_en": r["Label"], "label_sv": r["Label"]}
            for r in features
        ],
    }
    with live.client("analyst") as c:
        survey = c.post("/api/v1/surveys", json=spec).json()
    frame = pd.read_csv(path, dtype=str, keep_default_na=False)
    answer_cols = [c for c in frame.columns if c.split("_")[0].startswith("F")]
    bodies = [
        {
            "client_token": row["ID"],
            "lang": "en",
            "answers": {c: row[c] for c in answer_cols if row[c] != ""},
            "context": {"Gender": row["Gender"]},
        }
        for _, row in frame.iterrows()
    ]
    _post_all(live, survey["id"], bodies)
    base = ["kano", "analyze", str(path), "--format", "json", "--labels", str(labels),
            "--importance-scale", "1-9"]  # fmt: skip
    with live.client("viewer") as c:
        for params, extra in [
            ({}, []),
            ({"table": "pouliot", "rule": "oam"}, ["--table", "pouliot", "--rule", "oam"]),
            ({"by": "Gender"}, ["--by", "Gender"]),
        ]:
            api = c.get(f"/api/v1/surveys/{survey['id']}/results", params={**params, "lang": "en"})
            assert api.status_code == 200, api.text
            expected = _cli_json(base + extra)
            assert len(api.json()) == len(expected) >= 6
            _same(api.json(), expected)
    categories = {f["feature"]: f["category"] for f in expected if f.get("group") in (None, "all")}
    assert categories  # the file has a category per feature


def test_odi_and_scores_through_the_api_give_the_cli_results_on_the_export(live, tmp_path):
    inv = EXAMPLES / "odi_answers.csv"
    odi = pd.read_csv(inv)
    outcomes = sorted({c.rsplit("_", 1)[0] for c in odi.columns if c.endswith("_importance")})
    spec = {
        "kind": "odi",
        "title": "Jobb",
        "items": [
            {
                "id": o,
                "job": "solve",
                "job_type": "functional",
                "statement_sv": f"Minimera {o}",
                "statement_en": f"Minimize {o}",
            }
            for o in outcomes
        ],
    }
    nps = {"kind": "nps", "title": "NPS"}
    with live.client("analyst") as c:
        s_odi = c.post("/api/v1/surveys", json=spec).json()
        s_nps = c.post("/api/v1/surveys", json=nps).json()
    cols = [f"{o}_{k}" for o in outcomes for k in ("importance", "satisfaction")]
    _post_all(live, s_odi["id"], [
        {"client_token": f"o{i}", "answers": {c: int(r[c]) for c in cols if pd.notna(r[c])},
         "context": {"segment": "a" if i % 3 else "b"}}
        for i, r in odi.iterrows()
    ])  # fmt: skip
    scores = [10, 9, 9, 8, 7, 3, 0, 10, 6, 9, 10, 2, 8, 9, 10, 5] * 3
    _post_all(live, s_nps["id"], [
        {"client_token": f"n{i}", "answers": {"score": s},
         "context": {"channel": ["phone", "chat", "web"][i % 3]}}
        for i, s in enumerate(scores)
    ])  # fmt: skip
    with live.client("analyst") as c:
        (tmp_path / "odi.csv").write_text(
            c.get(f"/api/v1/surveys/{s_odi['id']}/responses.csv").text
        )
        (tmp_path / "nps.csv").write_text(
            c.get(f"/api/v1/surveys/{s_nps['id']}/responses.csv").text
        )
        api_odi = c.get(f"/api/v1/surveys/{s_odi['id']}/results",
                        params=[("by", "segment"), ("lang", "en")]).json()  # fmt: skip
        api_nps = c.get(f"/api/v1/surveys/{s_nps['id']}/results",
                        params={"by": "channel", "lang": "en", "ci": "wald"}).json()  # fmt: skip
    inv_file = tmp_path / "inventory.csv"
    from kundfokus.services.surveys import inventory_frame
    from kundfokus.store.db import session_scope
    from kundfokus.store.models import Survey

    with session_scope(live.db) as s:
        inventory_frame(s.get(Survey, s_odi["id"])).to_csv(inv_file, index=False)
    cli_odi = _cli_json(["jtbd", "opportunity", str(tmp_path / "odi.csv"), "--inventory",
                         str(inv_file), "--by", "segment", "--format", "json"])  # fmt: skip
    cli_nps = _cli_json(["scores", "nps", str(tmp_path / "nps.csv"), "--score", "score",
                         "--by", "channel", "--ci", "wald", "--format", "json"])  # fmt: skip
    _same(api_odi, cli_odi)
    _same(api_nps, cli_nps)
    assert sum(g["n"] for g in api_nps["groups"]) == len(scores)
    assert len(api_odi) == 2 * len(outcomes)
