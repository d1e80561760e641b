"""The review pages: reviewers correct what the model inferred about a contact, one at a time.

Every page calls the review services (:mod:`kundfokus.services.review`,
:mod:`kundfokus.services.agreement`, :mod:`kundfokus.services.jobs`) and only shapes their answers
for the templates: no statistics and no SQL here.

- ``GET /review``: the queue with its filters and search, one contact at a time, its need and its
  situation side by side; ``POST /review/{contact_id}`` saves the axes (accepted or corrected),
  ``POST /review/undo`` undoes the last save with new, audited corrections back to what was there.
- ``GET /review/contacts/{contact_id}``: one contact with its history (who, when, before, after).
- ``GET/POST /review/bulk``: one axis's label for a filtered slice, after a confirm step.
- ``GET /review/models``: accuracy per model version over time, the last corrections, retraining
  (``POST /review/models/{axis}/retrain`` enqueues a job) and the quality gate's decision.
- ``GET /review/agreement``: agreement between reviewers on the overlap contacts; leads settle
  (``POST /review/settle``), admins set the overlap share (``POST /review/overlap``).

The keyboard (static/review.js) only enhances plain forms: without JavaScript every action is a
form that posts and redirects.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import RedirectResponse, Response

from kundfokus.errors import InputError
from kundfokus.services import agreement as agreement_service
from kundfokus.services import jobs
from kundfokus.services import review as review_service
from kundfokus.store.models import AXES, AXIS_GROUPS
from kundfokus.web.deps import DB, Admin, Analyst, Reviewer, page_lang
from kundfokus.web.render import render, translator

router = APIRouter(include_in_schema=False)

#: The queue's axis choices (the two groups, or both).
QUEUE_AXES = ("all", "need", "situation")
#: The panels of a contact: its need and its situation.
PANELS = (("need", AXIS_GROUPS["need"]), ("situation", AXIS_GROUPS["situation"]))
#: The key that focuses an axis on the review page (shown in the legend and the key help).
AXIS_KEYS = {"purpose": "p", "reason": "r", "urgency": "g", "treatment": "t", "mood": "m",
             "tags": "a"}  # fmt: skip
#: Queue filters kept in every link of the page.
FILTER_KEYS = ("axis", "channel", "language", "min", "max", "disagree", "q")
MAX_SKIP = 50
QUEUE_SHOWN = 8
BULK_MAX = 500
CHANNELS = ("phone", "chat", "email", "app", "web", "sms", "letter", "social", "other")


# --------------------------------------------------------------------------------------------------
# Helpers


def _pct(value: Any, lang: str) -> str:
    """A share as a percentage in the page's style.

    >>> _pct(0.834, "sv"), _pct(0.834, "en"), _pct(None, "en")
    ('83 %', '83%', '–')
    """
    if value is None or value != value:
        return "–"
    n = round(100 * float(value))
    return f"{n} %" if lang == "sv" else f"{n}%"


def _num(value: Any, lang: str, digits: int = 2) -> str:
    """A number with the page's decimal mark.

    >>> _num(0.4567, "sv"), _num(0.4567, "en"), _num(None, "sv")
    ('0,46', '0.46', '–')
    """
    if value is None or value != value:
        return "–"
    text = f"{float(value):.{digits}f}"
    return text.replace(".", ",") if lang == "sv" else text


def _when(iso: str | None) -> str:
    """``2026-11-30T10:00:00Z`` -> ``2026-11-30 10:00``."""
    if not iso:
        return ""
    return str(iso).replace("T", " ")[:16]


def _percent_bound(value: str | None) -> float | None:
    """A confidence bound given in percent (``"60"``) as a share, ``None`` when empty or bad."""
    if value is None or not str(value).strip():
        return None
    try:
        v = float(str(value).strip().replace(",", ".").rstrip("%").strip())
    except ValueError:
        return None
    return v / 100.0


def _query_filters(params) -> dict[str, str]:
    """The page's filters from the query string (or a form), as strings."""
    out = {k: str(params.get(k) or "").strip() for k in FILTER_KEYS}
    if out["axis"] not in QUEUE_AXES:
        out["axis"] = "all"
    out["disagree"] = "1" if out["disagree"] in ("1", "on", "true") else ""
    return out


def _service_filters(f: dict[str, str]) -> review_service.QueueFilters:
    lo, hi = _percent_bound(f["min"]), _percent_bound(f["max"])
    return review_service.QueueFilters(
        channel=f["channel"] or None,
        language=f["language"] or None,
        min_confidence=lo,
        max_confidence=hi,
        disagree=bool(f["disagree"]),
        search=f["q"] or None,
    )


def _qs(f: dict[str, str], **extra: Any) -> str:
    """The query string of the page with its filters (empty values left out)."""
    items = [(k, v) for k, v in f.items() if v and not (k == "axis" and v == "all")]
    items += [(k, str(v)) for k, v in extra.items() if v not in (None, "")]
    return urlencode(items)


def _label_choices(db, axis: str, lang: str) -> list[dict[str, str]]:
    """The taxonomy's labels of ``axis``: ``label`` and its name in ``lang`` (or the label)."""
    known = review_service.known_labels(db, axis)
    out = []
    for label, names in known.items():
        name = names.get(f"name_{lang}") or names.get("name_en") or ""
        out.append({"label": label, "name": name if name and name != label else ""})
    return out


def _source_text(t, source: str | None, version: Any) -> str:
    if source == "model":
        return t("rv_src_model", v=version) if version is not None else t("rv_src_model_nov")
    if source == "rules":
        return t("rv_src_rules")
    if source == "label":
        return t("rv_src_label")
    return ""


def _axis_view(db, detail: dict[str, Any], axis: str, lang: str, t, chosen: dict[str, str]):
    """What the page shows for one axis of a contact: the current guess (model and rules), a
    person's label in force, the numbered taxonomy labels and which of them is selected."""
    inf = detail["inferences"].get(axis, {})
    model, rules = inf.get("model"), inf.get("rules")
    person = detail["labels"].get(axis)
    guesses = []
    for source, g in (("model", model), ("rules", rules)):
        if g is not None:
            guesses.append(
                {
                    "label": g["label"],
                    "confidence": _pct(g["confidence"], lang),
                    "source": _source_text(t, source, g.get("model_version")),
                }
            )
    current = (model or rules or {}).get("label")
    shown = person["label"] if person else current
    choices = _label_choices(db, axis, lang)
    value = chosen.get(axis, shown or "")
    selected = set(value.split("|")) if axis == "tags" else {value}
    known = {c["label"] for c in choices} | {"none"}
    other = value if value and not selected <= known else ""
    return {
        "axis": axis,
        "key": AXIS_KEYS[axis],
        "guesses": guesses,
        "disagree": bool(model and rules and model["label"] != rules["label"]),
        "person": person and {**person, "at": _when(person["at"])},
        "shown": shown or "",
        "choices": [
            {**c, "n": i + 1, "checked": c["label"] in selected} for i, c in enumerate(choices)
        ],
        "multi": axis == "tags",
        "other": other,
    }


def _panels(db, detail, lang, t, chosen=None):
    chosen = chosen or {}
    return [
        {"name": name, "axes": [_axis_view(db, detail, a, lang, t, chosen) for a in axes]}
        for name, axes in PANELS
    ]


def _error_text(t, exc: InputError, axis: str | None = None) -> str:
    if isinstance(exc, review_service.UnknownLabel):
        if exc.suggestions:
            return t("rv_unknown_label", label=exc.label, axis=t("axis_" + exc.axis),
                     suggestions=", ".join(exc.suggestions))  # fmt: skip
        return t("rv_unknown_label_none", label=exc.label, axis=t("axis_" + exc.axis))
    where = f"{t('axis_' + axis)}: " if axis else ""
    return where + exc.message + (f" ({exc.value})" if exc.value not in (None, "") else "")


def _detail_or_404(db, contact_id: str, lang: str) -> dict[str, Any]:
    try:
        return review_service.contact_detail(db, contact_id, lang=lang)
    except InputError:
        raise HTTPException(status_code=404, detail="not_found") from None


def _history_rows(detail: dict[str, Any], t) -> list[dict[str, Any]]:
    return [
        {
            **h,
            "at": _when(h["at"]),
            "before_source": _source_text(t, h.get("before_source"), None)
            if h.get("before_source") != "model"
            else t("rv_src_model_nov"),
        }
        for h in reversed(detail["history"])
    ]


# --------------------------------------------------------------------------------------------------
# The queue, one contact at a time


def _queue_page(
    request: Request,
    db,
    who,
    *,
    f: dict[str, str] | None = None,
    contact: str | None = None,
    skip: list[str] | None = None,
    errors: list[str] | None = None,
    chosen: dict[str, str] | None = None,
    notice: str | None = None,
    last: dict[str, str] | None = None,
    status_code: int = 200,
):
    lang = page_lang(request, who)
    t = translator(lang)
    f = f or _query_filters(request.query_params)
    skip = skip or []
    filter_error = None
    queue_rows: list[dict[str, Any]] = []
    try:
        filters = _service_filters(f)
        frame = review_service.review_queue(
            db, f["axis"], limit=len(skip) + QUEUE_SHOWN + 1, lang=lang, filters=filters,
            reviewer=who.email,
        )  # fmt: skip
        queue_rows = [r for r in frame.to_dict(orient="records") if r["id"] not in skip]
    except InputError as exc:
        filter_error = _error_text(t, exc)
        filters = review_service.QueueFilters()
    current_id = contact or (queue_rows[0]["id"] if queue_rows else None)
    item = next((r for r in queue_rows if r["id"] == current_id), None)
    detail = _detail_or_404(db, current_id, lang) if current_id else None
    found = None
    if f["q"] and filter_error is None:
        found = review_service.search_contacts(db, f["q"], limit=20, filters=filters)
    ctx = {
        "f": f,
        "qs": _qs(f),
        "skip_qs": _qs(f, skip=",".join([*skip, current_id][-MAX_SKIP:])) if current_id else "",
        "skip": ",".join(skip),
        "queue": [
            {"rank": r["rank"], "id": r["id"], "why": r["why"], "kind": r["kind"]}
            for r in queue_rows[:QUEUE_SHOWN]
        ],
        "item": item,
        "detail": detail,
        "panels": _panels(db, detail, lang, t, chosen) if detail else [],
        "focus_axes": review_service.resolve_axes(f["axis"]),
        "errors": errors or [],
        "filter_error": filter_error,
        "notice": notice,
        "last": last,
        "found": found,
        "channels": CHANNELS,
        "queue_axes": QUEUE_AXES,
        "axis_keys": AXIS_KEYS,
        "datalists": {a: _label_choices(db, a, lang) for a in AXES},
    }
    return render(request, "review/queue.html", ctx, principal=who, status_code=status_code)


@router.get("/review")
def review_page(request: Request, db: DB, who: Reviewer):
    q = request.query_params
    skip = [s for s in (q.get("skip") or "").split(",") if s][-MAX_SKIP:]
    contact = (q.get("contact") or "").strip() or None
    last = None
    if q.get("last"):
        last = {"id": q.get("last", ""), "axes": q.get("saved", ""), "n": q.get("n", "")}
    notice = {"undone": "rv_undone", "nothing": "rv_nothing_saved", "noundo": "rv_no_undo"}.get(
        q.get("note") or ""
    )
    return _queue_page(request, db, who, contact=contact, skip=skip, last=last, notice=notice)


def _form_value(form, axis: str) -> str:
    """The label the form gives for ``axis``: the free field wins over the numbered choices."""
    other = form.get(f"other_{axis}")
    if isinstance(other, str) and other.strip():
        return other.strip()
    if axis == "tags":
        tags = [v for v in form.getlist("tags") if isinstance(v, str) and v]
        if not tags and form.get("tags_present"):
            return "none"
        return "|".join(tags)
    value = form.get(axis)
    return value.strip() if isinstance(value, str) else ""


@router.post("/review/undo")
async def review_undo(request: Request, db: DB, who: Reviewer):
    """Undo the last save: for each axis it recorded, a new correction (reason ``undo``) back to
    the value before it; the history keeps both."""
    form = await request.form()
    f = _query_filters(form)
    contact_id = str(form.get("contact") or "").strip()
    skip = ",".join([s for s in str(form.get("skip") or "").split(",") if s][-MAX_SKIP:])
    axes = [a for a in str(form.get("axes") or "").split(",") if a in AXES]
    if not contact_id or not axes:
        return RedirectResponse(f"/review?{_qs(f, note='noundo')}", status_code=303)
    lang = page_lang(request, who)
    detail = _detail_or_404(db, contact_id, lang)
    undone = 0
    for axis in axes:
        mine = [h for h in detail["history"] if h["axis"] == axis and h["who"] == who.email]
        if not mine or not mine[-1]["before"]:
            continue
        last = mine[-1]
        if last["before"] == last["after"]:  # an accepted guess: nothing changed to go back on
            continue
        try:
            review_service.correct(db, contact_id, axis, last["before"], by=who.email,
                                   reason="undo", role=who.role)  # fmt: skip
        except InputError:
            continue
        undone += 1
    db.commit()
    note = "undone" if undone else "noundo"
    target = _qs(f, contact=contact_id, skip=skip, note=note)
    return RedirectResponse(f"/review?{target}", status_code=303)


# --------------------------------------------------------------------------------------------------
# Bulk


def _bulk_page(request, db, who, *, f, target, label, confirm=None, error=None, done=None,
               status_code=200):  # fmt: skip
    lang = page_lang(request, who)
    t = translator(lang)
    n, sample, filter_error = 0, [], None
    try:
        frame = review_service.review_queue(
            db, target, limit=BULK_MAX, lang=lang, filters=_service_filters(f)
        )
        n = len(frame)
        sample = frame.head(5)[["id", "text", "why"]].to_dict(orient="records")
    except InputError as exc:
        filter_error = _error_text(t, exc)
    return render(
        request,
        "review/bulk.html",
        {
            "f": f,
            "qs": _qs(f),
            "target": target,
            "label": label,
            "n": n,
            "sample": sample,
            "limit": BULK_MAX,
            "axes": AXES,
            "channels": CHANNELS,
            "filter_error": filter_error,
            "confirm": confirm,
            "error": error,
            "done": done,
            "datalist": _label_choices(db, target, lang),
        },
        principal=who,
        status_code=status_code,
    )


@router.get("/review/bulk")
def bulk_page(request: Request, db: DB, who: Reviewer):
    q = request.query_params
    f = _query_filters(q)
    target = q.get("target") if q.get("target") in AXES else "reason"
    done = q.get("done")
    return _bulk_page(request, db, who, f=f, target=target, label=q.get("label", ""),
                      done={"n": done, "label": q.get("label", "")} if done else None)  # fmt: skip


@router.post("/review/bulk")
async def bulk_apply(request: Request, db: DB, who: Reviewer):
    """Two steps: without ``confirm`` the page lists the slice and asks; with ``confirm=yes`` and
    the ids it showed, every one of them gets the label (all or nothing)."""
    form = await request.form()
    f = _query_filters(form)
    target = form.get("target") if form.get("target") in AXES else None
    label = str(form.get("label") or "").strip()
    t = translator(page_lang(request, who))
    if target is None or not label:
        return _bulk_page(request, db, who, f=f, target=target or "reason", label=label,
                          error=t("rv_bulk_need_label"), status_code=422)  # fmt: skip
    try:
        label = review_service.check_label(db, target, label)
    except InputError as exc:
        return _bulk_page(request, db, who, f=f, target=target, label=label,
                          error=_error_text(t, exc, target), status_code=422)  # fmt: skip
    if form.get("confirm") != "yes":
        lang = page_lang(request, who)
        try:
            frame = review_service.review_queue(db, target, limit=BULK_MAX, lang=lang,
                                                filters=_service_filters(f))  # fmt: skip
        except InputError as exc:
            return _bulk_page(request, db, who, f=f, target=target, label=label,
                              error=_error_text(t, exc), status_code=422)  # fmt: skip
        ids = frame["id"].tolist()
        if not ids:
            return _bulk_page(request, db, who, f=f, target=target, label=label,
                              error=t("rv_bulk_empty"), status_code=422)  # fmt: skip
        return _bulk_page(request, db, who, f=f, target=target, label=label,
                          confirm={"ids": ids, "n": len(ids)})  # fmt: skip
    ids = [i for i in form.getlist("ids") if isinstance(i, str) and i]
    try:
        n = review_service.bulk_correct(db, ids, target, label, by=who.email, reason="bulk",
                                        role=who.role)  # fmt: skip
    except InputError as exc:
        db.rollback()
        return _bulk_page(request, db, who, f=f, target=target, label=label,
                          error=_error_text(t, exc, target), status_code=422)  # fmt: skip
    db.commit()
    return RedirectResponse(
        f"/review/bulk?{_qs(f, target=target, label=label, done=n)}", status_code=303
    )


# --------------------------------------------------------------------------------------------------
# Models: accuracy over time, last corrections, retraining


@router.get("/review/models")
def models_page(request: Request, db: DB, who: Reviewer):
    lang = page_lang(request, who)
    t = translator(lang)
    axis = request.query_params.get("axis")
    axis = axis if axis in AXES else "purpose"
    hist = review_service.history(db, axis, lang=lang)
    versions = [
        {
            "version": int(r["version"]),
            "trained_at": _when(r["trained_at"]),
            "trained_by": r["trained_by"] or "",
            "n_train": int(r["n_train"]),
            "cv": _pct(r["cv_accuracy"], lang),
            "heldout": _pct(r["heldout_accuracy"], lang),
            "heldout_current": _pct(r["heldout_accuracy_current"], lang),
            "later": _pct(r["accuracy_on_later_corrections"], lang),
            "n_later": int(r["n_corrections_after"]),
            "promoted": bool(r["promoted"]),
            "reason": r["gate_reason"] or "",
        }
        for r in hist.to_dict(orient="records")
    ][::-1]
    changes = review_service.last_changes(db, axis, limit=15)
    last = changes["last_retrain"]
    if last is not None:
        last = {
            **last,
            "trained_at": _when(last["trained_at"]),
            "why": last.get("reason_sv" if lang == "sv" else "reason") or "",
            "heldout_new": _pct(last.get("heldout_new"), lang),
            "heldout_current": _pct(last.get("heldout_current"), lang),
        }
    corrections = [
        {**c, "at": _when(c["at"]), "before_source": _source_text(t, c["before_source"], None)}
        for c in changes["corrections"]
    ]
    return render(
        request,
        "review/models.html",
        {
            "axis": axis,
            "axes": AXES,
            "versions": versions,
            "last": last,
            "corrections": corrections,
            "chart": f"/review/models/{axis}/chart.svg?lang={lang}" if versions else None,
        },
        principal=who,
    )


@router.get("/review/models/{axis}/chart.svg")
def models_chart(axis: str, request: Request, db: DB, who: Reviewer):
    from kundfokus.web import results_view

    if axis not in AXES:
        raise HTTPException(status_code=404, detail="not_found")
    q = request.query_params
    lang = q.get("lang") if q.get("lang") in ("sv", "en") else page_lang(request, who)
    spec = review_service.accuracy_chart(db, axis, lang=lang)
    # presentation only: the size, and dates (not milliseconds) on the time axis
    encoding = dict(spec.get("encoding", {}))
    x = dict(encoding.get("x", {}))
    x["axis"] = {**x.get("axis", {}), "format": "%Y-%m-%d %H:%M", "labelAngle": -30}
    encoding["x"] = x
    spec = {**spec, "encoding": encoding, "width": 560, "height": 240}
    return Response(results_view.render_chart(spec), media_type="image/svg+xml")


@router.post("/review/models/{axis}/retrain")
def models_retrain(axis: str, db: DB, who: Reviewer):
    if axis not in (*AXES, *AXIS_GROUPS, "all"):
        raise HTTPException(status_code=404, detail="not_found")
    job = jobs.enqueue(db, "retrain", {"axis": axis}, created_by=who.email)
    db.commit()
    return RedirectResponse(f"/jobs/{job.id}", status_code=303)


# --------------------------------------------------------------------------------------------------
# Agreement


def _agreement_page(request, db, who, *, error=None, notice=None, status_code=200):
    lang = page_lang(request, who)
    axis = request.query_params.get("axis")
    axis = axis if axis in AXES else "reason"
    data = agreement_service.agreement(db, axis)
    per_label = [
        {**p, "agreement": _pct(p.get("agreement"), lang), "kappa": _num(p.get("kappa"), lang)}
        for p in data["per_label"]
    ]
    return render(
        request,
        "review/agreement.html",
        {
            "axis": axis,
            "axes": AXES,
            "data": data,
            "alpha": _num(data["alpha"], lang),
            "kappa": _num(data["kappa"], lang),
            "share": _pct(data["share"], lang),
            "share_value": round(100 * float(data["share"] or 0)),
            "per_label": per_label,
            "is_lead": review_service.is_lead(who.role),
            "is_admin": who.role == "admin",
            "choices": _label_choices(db, axis, lang),
            "error": error,
            "notice": notice,
        },
        principal=who,
        status_code=status_code,
    )


@router.get("/review/agreement")
def agreement_page(request: Request, db: DB, who: Reviewer):
    notice = {"settled": "rv_settled", "share": "rv_share_saved"}.get(
        request.query_params.get("note") or ""
    )
    return _agreement_page(request, db, who, notice=notice)


@router.post("/review/settle")
async def agreement_settle(request: Request, db: DB, who: Analyst):
    form = await request.form()
    axis = str(form.get("axis") or "")
    contact_id = str(form.get("contact") or "").strip()
    label = str(form.get("label") or "").strip()
    t = translator(page_lang(request, who))
    if axis not in AXES or not contact_id or not label:
        return _agreement_page(request, db, who, error=t("rv_settle_missing"), status_code=422)
    try:
        agreement_service.settle(db, contact_id, axis, label, by=who.email, role=who.role)
    except InputError as exc:
        db.rollback()
        return _agreement_page(request, db, who, error=_error_text(t, exc, axis),
                               status_code=422)  # fmt: skip
    db.commit()
    return RedirectResponse(f"/review/agreement?{urlencode({'axis': axis, 'note': 'settled'})}",
                            status_code=303)  # fmt: skip


@router.post("/review/overlap")
async def agreement_overlap(request: Request, db: DB, who: Admin):
    form = await request.form()
    axis = str(form.get("axis") or "reason")
    axis = axis if axis in AXES else "reason"
    t = translator(page_lang(request, who))
    share = _percent_bound(str(form.get("share") or ""))
    if share is None:
        return _agreement_page(request, db, who, error=t("rv_share_bad"), status_code=422)
    try:
        agreement_service.set_overlap(db, share, by=who.email)
    except InputError:
        db.rollback()
        return _agreement_page(request, db, who, error=t("rv_share_bad"), status_code=422)
    db.commit()
    return RedirectResponse(f"/review/agreement?{urlencode({'axis': axis, 'note': 'share'})}",
                            status_code=303)  # fmt: skip


# --------------------------------------------------------------------------------------------------
# One contact with its history


@router.get("/review/contacts/{contact_id}")
def contact_page(contact_id: str, request: Request, db: DB, who: Reviewer):
    lang = page_lang(request, who)
    t = translator(lang)
    detail = _detail_or_404(db, contact_id, lang)
    rows = []
    for axis in AXES:
        inf = detail["inferences"].get(axis, {})
        person = detail["labels"].get(axis)
        rows.append(
            {
                "axis": axis,
                "model": inf.get("model") and {**inf["model"], "confidence": _pct(
                    inf["model"]["confidence"], lang)},
                "rules": inf.get("rules") and {**inf["rules"], "confidence": _pct(
                    inf["rules"]["confidence"], lang)},
                "person": person and {**person, "at": _when(person["at"])},
            }
        )  # fmt: skip
    reviews = [{**r, "at": _when(r["at"])} for r in reversed(detail["reviews"])]
    return render(
        request,
        "review/contact.html",
        {"c": detail, "rows": rows, "history": _history_rows(detail, t), "reviews": reviews},
        principal=who,
    )


# --------------------------------------------------------------------------------------------------
# Saving one contact (after the fixed /review/... routes, so that they match first)


@router.post("/review/{contact_id}")
async def review_save(contact_id: str, request: Request, db: DB, who: Reviewer):
    """Save the axes of one contact: those of the queue's axis group are recorded as shown
    (accepted) or as changed; an axis outside the group only when it was changed. All or nothing:
    an unknown label refuses the whole save and names close labels."""
    form = await request.form()
    f = _query_filters(form)
    lang = page_lang(request, who)
    t = translator(lang)
    skip = [s for s in str(form.get("skip") or "").split(",") if s][-MAX_SKIP:]
    detail = _detail_or_404(db, contact_id, lang)
    focus = review_service.resolve_axes(f["axis"])
    chosen, todo = {}, []
    for axis in AXES:
        value = _form_value(form, axis)
        shown = str(form.get(f"shown_{axis}") or "")
        if form.get(f"shown_{axis}") is None and not value:
            continue
        if axis == "tags" and value == "none" and not shown and axis not in focus:
            continue
        if not value:
            continue
        chosen[axis] = value
        changed = review_service.normalise_label(axis, value) != (shown or None)
        if changed or axis in focus:
            todo.append((axis, value))
    errors = []
    saved = []
    for axis, value in todo:
        try:
            review_service.correct(db, contact_id, axis, value, by=who.email, role=who.role)
        except InputError as exc:
            errors.append(_error_text(t, exc, axis))
        else:
            saved.append(axis)
    if errors:
        db.rollback()
        return _queue_page(request, db, who, f=f, contact=detail["id"], skip=skip, errors=errors,
                           chosen=chosen, status_code=422)  # fmt: skip
    db.commit()
    if not saved:
        return RedirectResponse(f"/review?{_qs(f, skip=','.join(skip), note='nothing')}",
                                status_code=303)  # fmt: skip
    skip = [*skip, detail["id"]][-MAX_SKIP:]  # the next contact, even when an axis is still open
    target = _qs(f, skip=",".join(skip), last=detail["id"], saved=",".join(saved))
    return RedirectResponse(f"/review?{target}", status_code=303)
