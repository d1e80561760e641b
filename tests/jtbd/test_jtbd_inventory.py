"""Job inventory: reading YAML and CSV, validation errors that point at the right place."""

from __future__ import annotations

import textwrap
import warnings

import pytest

from kundfokus.errors import InputError
from kundfokus.jtbd import JobInventory, StatementWarning, read_inventory
from kundfokus.jtbd.inventory import grammar_remark


def _yaml(tmp_path, text: str):
    p = tmp_path / "jobs.yaml"
    p.write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")
    return p


def _csv(tmp_path, text: str):
    p = tmp_path / "jobs.csv"
    p.write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")
    return p


GOOD_YAML = """
jobs:
  - id: solve
    type: functional
    statement: {en: Get my problem solved, sv: Få mitt problem löst}
    situation: {en: My card is blocked, sv: Mitt kort är spärrat}
    outcomes:
      - id: wait
        statement: {en: Minimize the time it takes to reach an agent, sv: Minimera tiden det tar att nå en handläggare}
      - id: repeat
        statement: Minimize the number of times I repeat myself
  - id: safe
    type: emotional
    statement: Feel that my money is safe
    outcomes:
      - id: refund
        statement: {en: Minimize the uncertainty about a refund, sv: Minimera osäkerheten om en återbetalning}
outcomes:
  - id: late
    job: safe
    statement: Reduce the risk of paying late
"""


def test_example_inventory(examples_dir):
    with warnings.catch_warnings():
        warnings.simplefilter("error", StatementWarning)  # the example follows the grammar
        inv = read_inventory(examples_dir / "jtbd_inventory.yaml")
    assert [j.type for j in inv.jobs] == ["functional", "emotional", "social"]
    assert all(3 <= len(j.outcomes) <= 5 for j in inv.jobs)
    assert len(inv.outcome_ids) == 12 and len(set(inv.outcome_ids)) == 12
    assert inv.warnings == []
    assert inv.job_of("refund_clarity").id == "money_safe"
    assert inv.outcome("reach_time").text("sv").startswith("Minimera tiden")
    assert inv.jobs[2].situation_text("en").startswith("Paying and keeping track")


def test_yaml_nested_and_loose_outcomes(tmp_path):
    inv = read_inventory(_yaml(tmp_path, GOOD_YAML))
    assert inv.outcome_ids == ["wait", "repeat", "refund", "late"]
    assert inv.job_of("late").id == "safe"
    # plain text serves both languages; a missing situation is allowed
    assert inv.outcome("repeat").text("sv") == "Minimize the number of times I repeat myself"
    assert inv.job("safe").situation_text("en") == ""
    frame = inv.outcomes_frame("sv")
    assert list(frame.columns) == [
        "outcome",
        "statement",
        "job",
        "job_type",
        "job_statement",
        "situation",
    ]
    assert frame.loc[0, "statement"] == "Minimera tiden det tar att nå en handläggare"
    assert frame.loc[0, "situation"] == "Mitt kort är spärrat"
    counts = inv.type_situation_counts("en")
    assert counts.to_dict(orient="records") == [
        {"job_type": "functional", "situation": "My card is blocked", "n_jobs": 1, "n_outcomes": 2},
        {"job_type": "emotional", "situation": None, "n_jobs": 1, "n_outcomes": 2},
    ]
    data = inv.to_dict()
    assert data["jobs"][1]["outcomes"][1] == {
        "id": "late",
        "statement": "Reduce the risk of paying late",
    }
    assert data["jobs"][0]["statement"] == {
        "en": "Get my problem solved",
        "sv": "Få mitt problem löst",
    }
    assert data["jobs"][1]["situation"] is None
    # the plain data reads back to the same inventory
    again = JobInventory.from_records(data)
    assert again.jobs == inv.jobs


def test_from_records_accepts_a_frame():
    import pandas as pd

    frame = pd.DataFrame(
        [
            {
                "job_id": "a",
                "job_type": "social",
                "job_statement": "Look good",
                "situation": None,
                "outcome_id": "o",
                "outcome_statement": "Minimize embarrassment",
            }
        ]
    )
    inv = JobInventory.from_records(frame)
    assert inv.outcome_ids == ["o"] and inv.jobs[0].situation == {}
    with pytest.raises(InputError, match="must be a mapping"):
        JobInventory.from_records(["not a record"])


@pytest.mark.parametrize(
    ("old", "new", "line", "column", "value", "message"),
    [
        ("type: emotional", "type: spiritual", 12, "jobs[2].type", "spiritual", "unknown job type"),
        (
            "      - id: repeat",
            "      - id: wait",
            9,
            "jobs[1].outcomes[2].id",
            "wait",
            "duplicate outcome id",
        ),
        (
            "statement: Feel that my money is safe",
            "statement: ''",
            13,
            "jobs[2].statement",
            "",
            "empty job statement",
        ),
        (
            "    job: safe",
            "    job: nobody",
            19,
            "outcomes[1].job",
            "nobody",
            "outcome without a job",
        ),
        (
            "statement: Reduce the risk of paying late",
            "statement: {en: '', sv: ' '}",
            20,
            "outcomes[1].statement",
            {"en": "", "sv": " "},
            "empty outcome statement",
        ),
        (
            "statement: {en: Get my problem solved, sv: Få mitt problem löst}",
            "statement: {en: Get my problem solved, de: Mein Problem}",
            4,
            "jobs[1].statement",
            "de",
            "unknown language",
        ),
    ],
)
def test_yaml_errors_name_line_column_value(tmp_path, old, new, line, column, value, message):
    assert old in GOOD_YAML
    p = _yaml(tmp_path, GOOD_YAML.replace(old, new, 1))
    with pytest.raises(InputError, match=message) as info:
        read_inventory(p)
    err = info.value
    assert (err.file, err.row, err.column, err.value) == (str(p), line, column, value)


def test_yaml_syntax_error_names_line(tmp_path):
    p = _yaml(tmp_path, "jobs:\n  - id: a\n    type: [functional\n")
    with pytest.raises(InputError, match="invalid YAML") as info:
        read_inventory(p)
    assert info.value.file == str(p) and info.value.row is not None


def test_yaml_without_jobs(tmp_path):
    with pytest.raises(InputError, match="'jobs'") as info:
        read_inventory(_yaml(tmp_path, "outcomes: []\n"))
    assert info.value.column == "jobs"


GOOD_CSV = """
job_id,job_type,job_statement,situation,outcome_id,outcome_statement_en,outcome_statement_sv
solve,functional,Get my problem solved,Card blocked,wait,Minimize the time to reach an agent,Minimera tiden till en handläggare
solve,functional,Get my problem solved,Card blocked,repeat,Minimize the number of times I repeat myself,Minimera antalet gånger jag upprepar mig
bills,Socialt,Look competent to my family,Paying bills,late,Minimize the risk of paying late,Minimera risken att betala sent
empty,emotional,Feel calm,,,,
"""


def test_csv_inventory(tmp_path):
    inv = read_inventory(_csv(tmp_path, GOOD_CSV))
    assert [j.id for j in inv.jobs] == ["solve", "bills", "empty"]
    assert inv.job("bills").type == "social"  # Swedish type names are understood
    assert inv.job("empty").outcomes == ()
    assert inv.outcome("late").text("sv") == "Minimera risken att betala sent"
    assert inv.outcome("late").text("en") == "Minimize the risk of paying late"


@pytest.mark.parametrize(
    ("row_index", "field", "bad", "row", "column", "message"),
    [
        (2, 4, "wait", 2, "outcome_id", "duplicate outcome id"),
        (3, 1, "behavioural", 3, "job_type", "unknown job type"),
        (1, 0, "", 1, "job_id", "outcome without a job"),
        (2, 5, "", 2, "outcome_statement_en", "empty outcome statement"),
        (2, 2, "Get it solved", 2, "job_statement", "described differently"),
        (1, 4, "two words", 1, "outcome_id", "must not contain spaces"),
    ],
)
def test_csv_errors_name_row_column_value(tmp_path, row_index, field, bad, row, column, message):
    lines = GOOD_CSV.strip().splitlines()
    cells = lines[row_index].split(",")
    cells[field] = bad
    if field == 5:
        cells[6] = ""  # both languages empty
    lines[row_index] = ",".join(cells)
    p = _csv(tmp_path, "\n".join(lines) + "\n")
    with pytest.raises(InputError, match=message) as info:
        read_inventory(p)
    err = info.value
    assert (err.file, err.row, err.column) == (str(p), row, column)
    if message != "outcome without a job":
        assert err.value == bad


def test_csv_missing_column(tmp_path):
    p = _csv(tmp_path, "job_id,job_statement,outcome_id,outcome_statement\na,b,c,d\n")
    with pytest.raises(InputError, match="missing column") as info:
        read_inventory(p)
    assert info.value.column == "job_type" and info.value.file == str(p)


def test_statement_grammar_warns_but_loads(tmp_path):
    text = GOOD_YAML.replace(
        "Minimize the number of times I repeat myself", "Not having to repeat myself"
    )
    with pytest.warns(StatementWarning, match="repeat"):
        inv = read_inventory(_yaml(tmp_path, text))
    assert len(inv.warnings) == 1
    assert "line 10" in inv.warnings[0] and "'repeat'" in inv.warnings[0]
    assert grammar_remark({"sv": "Snabbare svar"}).endswith("'Minimera' or 'Öka'")
    assert (
        grammar_remark({"en": "Increase the likelihood that it works", "sv": "Öka chansen"}) is None
    )


def test_from_records_nested_and_errors():
    inv = JobInventory.from_records(
        [
            {
                "id": "a",
                "type": "social",
                "statement": "Look good",
                "outcomes": [{"id": "o1", "statement": "Minimize embarrassment"}],
            }
        ]
    )
    assert inv.outcome_ids == ["o1"]
    with pytest.raises(InputError, match="unknown job type") as info:
        JobInventory.from_records({"jobs": [{"id": "a", "type": "x", "statement": "s"}]})
    assert (info.value.row, info.value.column, info.value.value) == (1, "jobs[1].type", "x")
    with pytest.raises(InputError, match="missing job id"):
        JobInventory.from_records([{"type": "social", "statement": "s"}])
