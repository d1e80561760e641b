"""The YAML definitions: the bundled set, and errors that name the file, the CPI and the key."""

from __future__ import annotations

import pytest
import yaml

from kundfokus.cpi import default_definitions, default_yaml, load_definitions, parse_definitions
from kundfokus.errors import InputError

CONTRACT = """
cpis:
  - id: time_to_resolution
    name: {sv: Tid till lösning, en: Time to resolution}
    kind: duration
    from: {step: contact_opened}
    to: {step: resolved}
    unit: hours
    better: lower
    target: 24
  - {id: contacts_per_errand, kind: count, where: {step: contact_opened}}
  - {id: channel_switches, kind: changes, field: channel}
  - {id: first_contact_resolution, kind: share, reach: {step: resolved}, without: {step: transferred}}
  - {id: money_saved, kind: sum, field: amount_saved}
  - {id: effort, kind: answer, field: ces_score, at: {step: resolved}}
"""


def test_the_issue_example_loads_with_sensible_defaults():
    defs = load_definitions(CONTRACT.encode(), name="cpis.yaml")
    by_id = {c.id: c for c in defs.cpis}
    ttr = by_id["time_to_resolution"]
    assert ttr.label.sv == "Tid till lösning" and ttr.target == 24 and ttr.unit_name == "hours"
    assert by_id["first_contact_resolution"].statistic == "share"
    assert by_id["channel_switches"].direction == "lower"
    assert by_id["effort"].conditions() == {"at": {"step": "resolved"}}
    assert ttr.steps() == {"contact_opened", "resolved"}


def test_the_bundled_set_is_bilingual_and_complete():
    defs = default_definitions()
    ids = [c.id for c in defs.cpis]
    assert 8 <= len(ids) <= 12 and len(set(ids)) == len(ids)
    assert {c.kind for c in defs.cpis} == {"duration", "count", "changes", "share", "sum", "answer"}
    for c in defs.cpis:
        assert c.name is not None and c.name.sv != c.name.en
        assert c.outcome is not None and c.outcome.sv and c.outcome.en
    assert yaml.safe_load(default_yaml())["cpis"][0]["id"] == ids[0]


@pytest.mark.parametrize(
    ("text", "key", "words"),
    [
        ("kind: duration\n    from: {step: a}\n", "to", "needs"),
        (
            "kind: duration\n    from: {step: a}\n    to: {step: b}\n    unit: weeks\n",
            "unit",
            "seconds",
        ),
        ("kind: count\n    where: {step: a}\n    tagret: 3\n", "tagret", "unknown key"),
        ("kind: count\n    where: {step: a}\n    target: many\n", "target", "number"),
        ("kind: counts\n", "kind", "duration"),
        ("kind: share\n    reach: {step: a}\n    target: 70\n", "target", "fraction"),
        ("kind: count\n    where: {step: a}\n    field: x\n", "field", "does not apply"),
        ("kind: count\n    where: {}\n", "where", "at least one column"),
        ("kind: count\n    where: {step: a}\n    better: smaller\n", "better", "lower"),
    ],
)
def test_errors_name_file_cpi_and_key(text, key, words):
    raw = f"cpis:\n  - id: ok\n    kind: count\n    where: {{step: a}}\n  - id: bad_one\n    {text}"
    with pytest.raises(InputError) as e:
        load_definitions(raw.encode(), name="team.yaml")
    msg = str(e.value)
    assert e.value.file == "team.yaml"
    assert "cpi 'bad_one'" in msg and f"key '{key}'" in msg and words in msg
    assert e.value.row is not None and e.value.row >= 5  # the line in the file


def test_duplicate_ids_and_empty_files():
    dup = [{"id": "a", "kind": "count", "where": {"step": "x"}}] * 2
    with pytest.raises(InputError, match="used twice"):
        parse_definitions(dup, source="d.yaml")
    with pytest.raises(InputError, match="empty"):
        parse_definitions({"cpis": []})
    with pytest.raises(InputError, match="cpis"):
        parse_definitions("just text")
    with pytest.raises(InputError, match="invalid YAML"):
        load_definitions(b"cpis: [", name="broken.yaml")
