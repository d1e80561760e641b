"""The classic demo: both main analyses on the bundled example data, as text and as one HTML
report. (``kundfokus demo`` itself builds the demo organisation, see
:mod:`kundfokus.services.demo_org`, and prints its Kano and jobs-to-be-done results with
:func:`demo_text`; ``kundfokus demo --examples DIR`` adds this analysis of the example files.)

The example data describes a Swedish bank's contact centre (synthetic, seeded; see
``examples/make_kano_example.py`` and the JTBD examples):

* ``kano_answers.csv`` / ``kano_features.csv``: 400 customers answered Kano questions about ten
  service features, with their contact channel and situation;
* ``jtbd_inventory.yaml`` / ``odi_answers.csv``: the jobs customers hire the contact centre for, with
  desired outcomes rated for importance and satisfaction (outcome-driven innovation).

:func:`run_demo` runs the Kano analysis (overall and per situation, with group tests) and the
opportunity analysis, and writes one report. The example files are looked up in this order: the
``examples`` argument, the ``KUNDFOKUS_EXAMPLES`` environment variable, ``kundfokus/examples``
inside an installed package (when the wheel ships them), and ``examples/`` in the repository
checkout the package runs from.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd

from kundfokus.base import Result
from kundfokus.errors import InputError
from kundfokus.i18n import check_lang, tr
from kundfokus.settings import get_settings

__all__ = ["EXAMPLE_FILES", "DemoResult", "demo_sections", "demo_text", "find_examples", "run_demo"]

#: Files the demo needs in the examples folder.
EXAMPLE_FILES: tuple[str, ...] = (
    "kano_answers.csv",
    "kano_features.csv",
    "jtbd_inventory.yaml",
    "odi_answers.csv",
)
DEFAULT_OUT = Path("kundfokus-report")
KANO_GROUP = "situation"

_TEXT: dict[str, dict[str, str]] = {
    "title": {
        "en": "kundfokus demo: what the bank's customers need",
        "sv": "kundfokus-demo: vad bankens kunder behöver",
    },
    "intro": {
        "en": "This report runs kundfokus on its bundled example data: a Swedish bank's contact "
        "centre asked {n_kano} customers how they would feel with and without ten service features "
        "(Kano), and asked customers to rate desired outcomes of the jobs they contact the bank "
        "for by importance and satisfaction (jobs to be done). The data is synthetic and seeded, "
        "made to look like a real survey export.",
        "sv": "Den här rapporten kör kundfokus på de medföljande exempeldata: en svensk banks "
        "kundtjänst frågade {n_kano} kunder vad de skulle tycka med och utan tio egenskaper i "
        "servicen (Kano), och bad kunder betygsätta önskade utfall av de jobb de kontaktar banken "
        "för efter vikt och nöjdhet (jobb att utföra, jobs to be done). Data är syntetiska och seedade, gjorda för "
        "att likna en riktig enkätexport.",
    },
    "kano": {
        "en": "Kano: which features customers expect, value and love",
        "sv": "Kano: vilka egenskaper kunderna förväntar sig, värdesätter och älskar",
    },
    "jtbd": {
        "en": "Jobs to be done: where customers are under-served",
        "sv": "Jobb att utföra (jobs to be done): där kunderna får för lite",
    },
    "kano_head": {
        "en": "Kano priorities ({n} customers, {k} features)",
        "sv": "Kano-prioriteringar ({n} kunder, {k} egenskaper)",
    },
    "depends_head": {
        "en": "Features whose category depends on the situation",
        "sv": "Egenskaper vars kategori beror på situationen",
    },
    "no_depends": {
        "en": "No feature changes category significantly with the situation.",
        "sv": "Ingen egenskap byter kategori signifikant beroende på situationen.",
    },
    "jtbd_head": {
        "en": "Jobs to be done: outcomes by opportunity (importance + max(importance - "
        "satisfaction, 0), 0-20)",
        "sv": "Jobb att utföra: utfall efter möjlighet (vikt + max(vikt - nöjdhet, 0), 0-20)",
    },
    "jtbd_line": {
        "en": "{rank:>2}. {statement}: opportunity {opportunity}{level}, importance "
        "{importance}, satisfaction {satisfaction}; {served}",
        "sv": "{rank:>2}. {statement}: möjlighet {opportunity}{level}, vikt {importance}, "
        "nöjdhet {satisfaction}; {served}",
    },
    "more": {"en": "... and {n} more in the report", "sv": "... och {n} till i rapporten"},
    "report": {"en": "Report: {path}", "sv": "Rapport: {path}"},
    "not_found": {
        "en": "the example data was not found",
        "sv": "exempeldata hittades inte",
    },
}


@dataclass
class DemoResult(Result):
    """Everything the demo computed.

    A :class:`kundfokus.base.Result`: the tables are the Kano features overall (``kano``) and per
    situation (``kano_groups``) and the opportunity scores (``jtbd``); the metadata the number of
    respondents and the folders; the warnings those of the two Kano analyses.

    Attributes
    ----------
    kano:
        Kano analysis of all respondents.
    kano_groups:
        The same answers analysed per situation (with group tests).
    jtbd:
        Opportunity scores per desired outcome (:func:`kundfokus.jtbd.opportunity`).
    inventory:
        The job inventory the outcomes belong to.
    examples:
        The folder the example data came from.
    respondents:
        Number of rows (respondents) in the Kano answers.
    report:
        The HTML report written, or ``None``.
    """

    kano: Any
    kano_groups: Any
    jtbd: pd.DataFrame
    inventory: Any
    examples: Path
    respondents: int
    report: Path | None = None

    def tables(self) -> dict[str, pd.DataFrame]:
        """``kano``, ``kano_groups`` (the features tables) and ``jtbd``."""
        return {
            "kano": self.kano.features,
            "kano_groups": self.kano_groups.features,
            "jtbd": self.jtbd,
        }

    def meta(self) -> dict[str, Any]:
        """``respondents``, ``examples`` (the data folder) and ``report`` (the file or ``None``)."""
        return {
            "respondents": self.respondents,
            "examples": str(self.examples),
            "report": None if self.report is None else str(self.report),
        }

    def warnings(self, lang: str = "en") -> list[str]:
        """The warnings of the Kano analyses (unreadable answers, respondents left out)."""
        out: list[str] = []
        for kano in (self.kano, self.kano_groups):
            out.extend(w for w in kano.warnings(lang) if w not in out)
        return out


def _candidates(examples: str | Path | None) -> list[Path]:
    if examples is not None:
        return [Path(examples)]
    out = []
    env = get_settings().examples
    if env:
        out.append(Path(env))
    package = Path(__file__).resolve().parents[1]  # the kundfokus package
    out.append(package / "examples")  # an installed wheel that ships the examples
    out.append(package.parents[1] / "examples")  # the repository checkout (src layout)
    return out


def find_examples(examples: str | Path | None = None) -> Path:
    """The folder with the example data.

    Parameters
    ----------
    examples:
        A folder to use; by default the ``KUNDFOKUS_EXAMPLES`` environment variable, the package's
        own ``examples`` folder, then ``examples/`` in the repository checkout.

    Returns
    -------
    pathlib.Path
        The first candidate folder that holds all of :data:`EXAMPLE_FILES`.

    Raises
    ------
    InputError
        When no candidate folder holds all of :data:`EXAMPLE_FILES`; the message names the folders
        tried and the first missing file.

    Examples
    --------
    >>> sorted(p.name for p in find_examples().glob("kano_*.csv"))
    ['kano_answers.csv', 'kano_features.csv']
    """
    tried = []
    for folder in _candidates(examples):
        missing = [f for f in EXAMPLE_FILES if not (folder / f).is_file()]
        if not missing:
            return folder
        tried.append((len(missing), folder, missing))
    # name the folder that came closest (fewest files missing), and what it lacks
    _, folder, missing = min(tried, key=lambda t: t[0])
    raise InputError(
        "the example data was not found"
        + (f" (also missing: {', '.join(missing[1:])})" if len(missing) > 1 else ""),
        file=str(folder / missing[0]),
        hint="run the demo from a checkout of the kundfokus repository, or point "
        "KUNDFOKUS_EXAMPLES (or --examples) at its examples/ folder; tried "
        + ", ".join(str(f) for _, f, _ in tried),
    )


def _kano_labels(path: Path, lang: str) -> dict[str, str]:
    from kundfokus.kano.questionnaire import load_features

    return {f.id: f.text("label", lang) or f.id for f in load_features(path)}


def run_demo(
    out_dir: str | Path | None = DEFAULT_OUT,
    *,
    lang: str = "en",
    examples: str | Path | None = None,
    filename: str = "report.html",
) -> DemoResult:
    """Run the Kano and jobs-to-be-done analyses on the example data and write one report.

    Parameters
    ----------
    out_dir:
        Folder for the report (created); ``None`` computes without writing.
    lang:
        ``"en"`` or ``"sv"`` for labels, sentences and the report.
    examples:
        Folder with the example data; see :func:`find_examples`.
    filename:
        Name of the report file in ``out_dir``.

    Returns
    -------
    DemoResult
    """
    from kundfokus.io import read_table
    from kundfokus.jtbd import opportunity, read_inventory
    from kundfokus.kano import analyze

    lang = check_lang(lang)
    folder = find_examples(examples)
    kano_file = folder / "kano_answers.csv"
    labels = _kano_labels(folder / "kano_features.csv", lang)
    answers = read_table(kano_file)
    try:
        kano = analyze(answers, labels=labels, importance_scale=(1, 9))
        kano_groups = analyze(answers, labels=labels, importance_scale=(1, 9), by=KANO_GROUP)
    except InputError as err:
        raise err.with_file(str(kano_file)) from None
    inventory = read_inventory(folder / "jtbd_inventory.yaml")
    odi_file = folder / "odi_answers.csv"
    try:
        jtbd = opportunity(read_table(odi_file), inventory=inventory, lang=lang)
    except InputError as err:
        raise err.with_file(str(odi_file)) from None
    result = DemoResult(kano, kano_groups, jtbd, inventory, folder, len(answers))
    if out_dir is not None:
        from kundfokus.reports import write_report

        result.report = write_report(
            Path(out_dir) / filename,
            tr(_TEXT["title"], lang),
            demo_sections(result, lang),
            lang=lang,
            intro=tr(_TEXT["intro"], lang, n_kano=result.respondents),
        )
    return result


def demo_sections(result: DemoResult, lang: str = "en") -> list[Any]:
    """The report: one section for Kano (overall, then per situation) and one for jobs to be
    done, each holding the method's own sections."""
    from kundfokus.jtbd.report import jtbd_sections
    from kundfokus.kano.report import kano_sections
    from kundfokus.reports import Section

    lang = check_lang(lang)
    return [
        Section(
            tr(_TEXT["kano"], lang),
            subsections=kano_sections(result.kano, lang, groups=result.kano_groups),
        ),
        Section(
            tr(_TEXT["jtbd"], lang),
            subsections=jtbd_sections(result.jtbd, result.inventory, lang),
        ),
    ]


def _num(v: Any, lang: str) -> str:
    """One decimal, with a decimal comma in Swedish; "–" when missing."""
    try:
        x = float(v)
    except (TypeError, ValueError):
        return "–"
    if x != x:
        return "–"
    text = f"{x:.1f}"
    return text.replace(".", ",") if lang == "sv" else text


def demo_text(result: DemoResult, lang: str = "en", *, top: int = 10) -> str:
    """The demo's results as readable text, priorities first."""
    lang = check_lang(lang)
    lines: list[str] = []
    kano = result.kano
    feats = kano.features
    head = tr(_TEXT["kano_head"], lang, n=result.respondents, k=len(feats))
    lines += [head, "=" * len(head)]
    for rec in kano.priorities(lang).to_dict("records"):
        lines.append(f"{rec['rank']:>2}. {rec['sentence']}")
    lines.append("")
    head = tr(_TEXT["depends_head"], lang)
    lines += [head, "-" * len(head)]
    gt = result.kano_groups.group_tests
    changed = gt[gt["changed"]] if gt is not None else gt
    if changed is None or changed.empty:
        lines.append(tr(_TEXT["no_depends"], lang))
    else:
        from kundfokus.kano.report import format_p, group_categories

        for rec in changed.to_dict("records"):
            cats = group_categories(result.kano_groups, rec["feature"], lang)
            lines.append(f"- {rec['label']}: {cats} ({format_p(rec['p_value'], lang)})")
    lines.append("")
    head = tr(_TEXT["jtbd_head"], lang)
    lines += [head, "=" * len(head)]
    from kundfokus.jtbd.charts import LEVEL_NAMES, SERVED_NAMES  # the JTBD report's own words

    jt = result.jtbd
    for rank, rec in enumerate(jt.head(top).to_dict("records"), start=1):
        statement = rec.get("statement") or rec["outcome"]
        served = str(rec.get("served") or "")
        level = str(rec.get("opportunity_level") or "")
        lines.append(
            tr(
                _TEXT["jtbd_line"],
                lang,
                rank=rank,
                statement=statement,
                opportunity=_num(rec["opportunity"], lang),
                level=f" [{tr(LEVEL_NAMES[level], lang)}]" if level in LEVEL_NAMES else "",
                importance=_num(rec["importance"], lang),
                satisfaction=_num(rec["satisfaction"], lang),
                served=tr(SERVED_NAMES[served], lang) if served in SERVED_NAMES else served,
            )
        )
    if len(jt) > top:
        lines.append(tr(_TEXT["more"], lang, n=len(jt) - top))
    if result.report is not None:
        lines += ["", tr(_TEXT["report"], lang, path=result.report)]
    return "\n".join(lines)
