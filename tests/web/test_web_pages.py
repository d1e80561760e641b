"""The pages for signed-in people against the real server, on SQLite and PostgreSQL: who may open
what, the survey builder (every kind, CSRF, errors at the field), the results page (counts, split
by a context key, htmx fragments, charts), jobs and the users page."""

from __future__ import annotations

import html
import re
import time
import uuid
from contextlib import closing
from urllib.parse import quote

import httpx
import pytest

CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')


def csrf_of(client: httpx.Client, path: str = "/") -> str:
    page = client.get(path)
    assert page.status_code == 200, page.text
    found = CSRF.search(page.text)
    assert found, "no csrf_token field on " + path
    return found.group(1)


def sign_in(live, email: str, password: str | None = None) -> httpx.Client:
    c = httpx.Client(base_url=live.url, timeout=60, follow_redirects=False)
    token = CSRF.search(c.get("/login").text).group(1)
    r = c.post(
        "/login", data={"email": email, "password": password or live.password, "csrf_token": token}
    )
    assert r.status_code == 303, r.text
    return c


def api_survey(live, spec: dict) -> dict:
    with live.client("analyst") as c:
        r = c.post("/api/v1/surveys", json=spec)
    assert r.status_code == 201, r.text
    return r.json()


def answer(live, survey_id: int, answers: dict, context: dict | None = None) -> None:
    with live.client() as c:  # public, no sign-in
        r = c.post(
            f"/api/v1/surveys/{survey_id}/responses",
            json={"client_token": uuid.uuid4().hex, "answers": answers, "context": context},
        )
    assert r.status_code == 201, r.text


def text_of(page: str) -> str:
    """The visible text of a page, roughly (tags removed, entities decoded, spaces collapsed)."""
    return re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", " ", page)))


def shown(email: str) -> str:
    """An e-mail as the users page shows it (it may break after the local part)."""
    local, _, domain = email.partition("@")
    return f"{local}<wbr>@{domain}"


KANO = {
    "kind": "kano",
    "title": {"sv": "Appen", "en": "The app"},
    "items": [
        {"id": "chat", "label_sv": "chatt med en människa", "label_en": "chat with a person"},
        {"id": "bankid", "label_sv": "inloggning med BankID", "label_en": "BankID sign-in"},
    ],
}

PAGES = [
    "/",
    "/surveys",
    "/surveys/new",
    "/surveys/1",
    "/surveys/1/results?by=channel",
    "/surveys/1/chart.svg",
    "/jobs",
    "/jobs/1",
    "/admin/users",
]


@pytest.mark.parametrize("path", PAGES)
def test_a_page_sends_a_signed_out_visitor_to_the_login_page(live, path):
    with live.client(follow_redirects=False) as c:
        r = c.get(path)
    assert r.status_code == 303
    assert r.headers["location"] == f"/login?next={quote(path, safe='')}"


def test_a_viewer_reads_surveys_results_and_jobs_but_not_the_analyst_pages(live):
    s = api_survey(live, KANO)
    with closing(live.login("viewer")) as c:
        listed = c.get("/surveys?lang=en")
        page = c.get(f"/surveys/{s['id']}")
        results = c.get(f"/surveys/{s['id']}/results")
        jobs = c.get("/jobs")
        new = c.get("/surveys/new")
        users = c.get("/admin/users")
        token = csrf_of(c, "/surveys")
        post = c.post("/surveys/new", data={"csrf_token": token, "kind": "nps", "title_en": "x"})
        export = c.get(f"/api/v1/surveys/{s['id']}/responses.csv")
    assert listed.status_code == 200 and "The app" in listed.text
    assert f'href="/surveys/{s["id"]}/results"' in listed.text
    assert 'href="/surveys/new"' not in listed.text  # no "New survey" button for a viewer
    assert page.status_code == 200 and s["public_url"] in page.text
    assert "responses.csv" not in page.text and "embed.js" not in page.text
    assert results.status_code == 200 and jobs.status_code == 200
    assert new.status_code == 403 and users.status_code == 403
    assert "Your role may not open this page." in new.text
    assert post.status_code == 403 and export.status_code == 403


def test_the_survey_list_is_in_the_page_language(live):
    api_survey(live, KANO)
    with closing(live.login("analyst")) as c:
        sv = c.get("/surveys?lang=sv")
        en = c.get("/surveys?lang=en")
    assert "Ny enkät" in sv.text and "Appen" in sv.text and 'lang="sv"' in sv.text
    assert "New survey" in en.text and "The app" in en.text


def _rows(field_rows: list[dict[str, str]], fields: tuple[str, ...], blank: int = 2) -> dict:
    out: dict[str, list[str]] = {f: [] for f in fields}
    for row in [*field_rows, *({} for _ in range(blank))]:
        for f in fields:
            out[f].append(row.get(f, "functional" if f == "job_type" else ""))
    return out


BUILDER_FORMS = {
    "kano": {
        "importance": "1-5",
        "wording": "short",
        **_rows(
            [
                {"item_id": "chat", "label_sv": "chatt", "label_en": "chat"},
                {"label_sv": "Återuppringning", "label_en": "Call-back"},  # id made from label
            ],
            ("item_id", "label_sv", "label_en"),
        ),
    },
    "odi": _rows(
        [
            {
                "item_id": "wait",
                "job": "get_help",
                "job_type": "functional",
                "statement_sv": "Minimera tiden i kö",
                "statement_en": "Minimize the time in the queue",
            },
            {
                "item_id": "calm",
                "job": "get_help",
                "job_type": "emotional",
                "statement_sv": "Minimera oron",
                "statement_en": "Minimize the worry",
            },
        ],
        ("item_id", "job", "job_type", "statement_sv", "statement_en"),
    ),
    "nps": {"follow_up": "yes"},
    "csat": {"follow_up": "no", "scale": "1-7", "question_sv": "Hur nöjd?", "question_en": "How?"},
    "ces": {"follow_up": "yes", "scale": "1-5"},
}


@pytest.mark.parametrize("kind", list(BUILDER_FORMS))
def test_an_analyst_builds_each_kind_in_the_builder(live, kind):
    with closing(live.login("analyst")) as c:
        token = csrf_of(c, f"/surveys/new?kind={kind}")
        form = {
            "csrf_token": token,
            "kind": kind,
            "fields_for": kind,
            "title_sv": f"Byggd {kind}",
            "title_en": f"Built {kind}",
            "languages": ["sv", "en"],
            **BUILDER_FORMS[kind],
        }
        r = c.post("/surveys/new", data=form)
        assert r.status_code == 303, r.text
        assert re.fullmatch(r"/surveys/\d+", r.headers["location"])
        page = c.get(r.headers["location"])
    survey_id = int(r.headers["location"].rsplit("/", 1)[1])
    with live.client("viewer") as api:
        got = api.get(f"/api/v1/surveys/{survey_id}").json()
    assert got["kind"] == kind and got["title"] == {"sv": f"Byggd {kind}", "en": f"Built {kind}"}
    assert page.status_code == 200 and f"/s/{got['public_id']}" in page.text
    assert "responses.csv" in page.text and "responses.parquet" in page.text
    assert "embed.js" in html.unescape(page.text) and "<iframe" in html.unescape(page.text)
    if kind == "kano":
        assert [it["id"] for it in got["items"]] == ["chat", "call_back"]
        assert got["items"][1]["label"] == {"sv": "Återuppringning", "en": "Call-back"}
        assert got["importance"] == "1-5" and got["wording"] == "short"
    elif kind == "odi":
        assert [(it["id"], it["job_type"]) for it in got["items"]] == [
            ("wait", "functional"),
            ("calm", "emotional"),
        ]
    else:
        follow_up = got["items"][0]["follow_up"]
        assert bool(follow_up) == (BUILDER_FORMS[kind]["follow_up"] == "yes")
        if kind == "csat":
            assert got["scale"] == [1, 7]
            assert got["items"][0]["question"] == {"sv": "Hur nöjd?", "en": "How?"}
        if kind == "ces":
            assert got["scale"] == [1, 5]


def test_a_builder_post_without_the_csrf_token_is_refused_and_stores_nothing(live):
    with live.client("viewer") as api:
        before = len(api.get("/api/v1/surveys").json())
    with closing(live.login("analyst")) as c:
        form = {"kind": "nps", "fields_for": "nps", "title_en": "No token", "languages": "en"}
        r = c.post("/surveys/new", data=form)
        wrong = c.post("/surveys/new", data={**form, "csrf_token": "not-the-token"})
    assert r.status_code == 403 and wrong.status_code == 403
    with live.client("viewer") as api:
        assert len(api.get("/api/v1/surveys").json()) == before


def test_a_bad_builder_form_is_a_422_with_the_message_at_the_field(live):
    with closing(live.login("analyst")) as c:
        token = csrf_of(c, "/surveys/new")
        base = {"csrf_token": token, "kind": "kano", "fields_for": "kano", "title_en": "Bad"}
        rows = _rows([{"item_id": "chat", "label_en": "chat"}], ("item_id", "label_sv", "label_en"))
        no_sv = c.post("/surveys/new?lang=en", data={**base, "languages": ["sv", "en"], **rows})
        no_lang = c.post("/surveys/new?lang=sv", data={**base, **rows})
        no_items = c.post(
            "/surveys/new?lang=en",
            data={**base, "languages": "en", **_rows([], ("item_id", "label_sv", "label_en"))},
        )
        bad_id = c.post(
            "/surveys/new?lang=en",
            data={
                **base,
                "languages": "en",
                **_rows(
                    [{"item_id": "no spaces!", "label_en": "x"}],
                    ("item_id", "label_sv", "label_en"),
                ),
            },
        )
    assert no_sv.status_code == 422
    assert "A text in Swedish is required" in text_of(no_sv.text)
    assert 'id="row-0-label_sv" name="label_sv" value="" autocomplete="off" lang="sv"' in no_sv.text
    assert re.search(r'id="row-0-label_sv"[^>]*aria-invalid="true"', no_sv.text)
    assert 'value="chat"' in no_sv.text and 'value="Bad"' in no_sv.text  # the form keeps its values
    assert no_lang.status_code == 422 and "Välj minst ett språk." in text_of(no_lang.text)
    assert no_items.status_code == 422 and "Fill in at least one row." in text_of(no_items.text)
    assert bad_id.status_code == 422 and re.search(
        r'id="row-0-item_id"[^>]*aria-invalid="true"', bad_id.text
    )


def test_the_builder_adds_rows_and_switches_kinds_with_htmx_and_without_js(live):
    hx = {"HX-Request": "true"}
    with closing(live.login("analyst")) as c:
        row = c.get("/surveys/new/row?kind=odi&i=4", headers=hx)
        kind = c.get("/surveys/new?kind=csat", headers=hx)
        token = csrf_of(c, "/surveys/new")
        rows = _rows([{"label_en": "kept"}], ("item_id", "label_sv", "label_en"), blank=3)
        more = c.post(
            "/surveys/new",
            data={
                "csrf_token": token,
                "kind": "kano",
                "fields_for": "kano",
                "add_row": "1",
                **rows,
            },
        )
        switched = c.post(
            "/surveys/new",
            data={"csrf_token": token, "kind": "nps", "fields_for": "kano", "title_en": "Kept"},
        )
    assert row.status_code == 200 and "<html" not in row.text
    assert 'id="row-4-statement_sv"' in row.text and 'name="job_type"' in row.text
    assert 'hx-swap-oob="true"' in row.text and "i=5" in row.text
    assert kind.status_code == 200 and "<html" not in kind.text
    assert (
        'id="scale"' in kind.text and 'id="question_sv"' in kind.text and "row-0" not in kind.text
    )
    assert (
        more.status_code == 200
        and 'id="row-4-label_en"' in more.text
        and 'value="kept"' in more.text
    )
    assert switched.status_code == 200 and 'id="question_en"' in switched.text
    assert 'value="Kept"' in switched.text and 'role="status"' in switched.text


def test_the_results_page_counts_answers_splits_by_channel_and_draws_charts(live):
    s = api_survey(live, KANO)
    sid = s["id"]
    with closing(live.login("viewer")) as c:
        empty = c.get(f"/surveys/{sid}/results?lang=en")
    assert empty.status_code == 200 and "No answers yet" in empty.text and "<img" not in empty.text
    for i, (f, d, channel) in enumerate(
        [(2, 4, "phone"), (2, 4, "phone"), (4, 5, "phone"), (1, 3, "chat"), (3, 3, "chat")]
    ):
        answer(
            live,
            sid,
            {"chat_functional": f, "chat_dysfunctional": d, "bankid_functional": 1,
             "bankid_dysfunctional": 5 if i else 4},
            {"channel": channel, "journey_step": "after_call"},
        )  # fmt: skip
    answer(live, sid, {"chat_functional": 1, "chat_dysfunctional": 5})  # no context
    with closing(live.login("viewer")) as c:
        whole = c.get(f"/surveys/{sid}/results?lang=en")
        split = c.get(f"/surveys/{sid}/results?lang=en&by=channel&table=standard&rule=mode")
        fragment = c.get(
            f"/surveys/{sid}/results?lang=en&by=channel", headers={"HX-Request": "true"}
        )
        unknown = c.get(f"/surveys/{sid}/results?lang=en&by=nope")
        unknown_hx = c.get(f"/surveys/{sid}/results?by=nope", headers={"HX-Request": "true"})
        charts = [
            c.get(html.unescape(src))
            for src in re.findall(r'<img class="chart" src="([^"]+)"', split.text)
        ]
        narrow = c.get(f"/surveys/{sid}/chart.svg?chart=plot&by=channel&size=narrow&lang=sv")
        no_chart = c.get(f"/surveys/{sid}/chart.svg?chart=landscape")
    assert whole.status_code == 200 and "6 complete answers" in text_of(whole.text)
    # the by select offers the context keys of the answers
    assert (
        '<option value="channel">' in whole.text and '<option value="journey_step">' in whole.text
    )
    assert "chat with a person" in whole.text and "BankID sign-in" in whole.text
    assert split.status_code == 200 and "split by channel" in text_of(split.text)
    assert '<option value="channel" selected>' in split.text
    body = split.text.split('id="table-1-heading"', 1)[1]
    cells = re.findall(r"<tr><td>([^<]*)</td><td>([^<]*)</td>", body)
    assert ("phone", "chat with a person") in cells and ("chat", "BankID sign-in") in cells
    assert ("", "chat with a person") in cells  # the answer without a channel is its own group
    assert 'class="table-wrap"' in split.text and "In short" in split.text
    assert fragment.status_code == 200 and "<html" not in fragment.text
    assert 'id="results-count"' in fragment.text and "split by channel" in fragment.text
    assert unknown.status_code == 422 and "No answer has this context key" in unknown.text
    # htmx swaps only 2xx answers: the fragment with the message is a 200
    assert unknown_hx.status_code == 200 and "No answer has this context key" in unknown_hx.text
    assert len(charts) == 2
    for r in [*charts, narrow]:
        assert r.status_code == 200
        assert r.headers["content-type"].startswith("image/svg+xml")
        assert r.text.lstrip().startswith("<svg")
    alts = re.findall(r'<img class="chart" src="[^"]+" alt="([^"]+)"', split.text)
    assert len(alts) == 2 and all("chat with a person" in html.unescape(a) for a in alts)
    assert no_chart.status_code == 404


def test_score_and_odi_results_split_by_a_context_key(live):
    nps = api_survey(live, {"kind": "nps", "title": "After the call"})
    odi = api_survey(
        live,
        {
            "kind": "odi",
            "title": "Help",
            "items": [{"id": "wait", "job": "help", "statement": "Minimize the wait"}],
        },
    )
    for score, channel in [(10, "chat"), (9, "chat"), (3, "phone"), (6, "phone"), (8, "chat")]:
        answer(live, nps["id"], {"score": score, "comment": "ok"}, {"channel": channel})
        answer(
            live, odi["id"], {"wait_importance": 5, "wait_satisfaction": 2}, {"channel": channel}
        )
    with closing(live.login("viewer")) as c:
        n = c.get(f"/surveys/{nps['id']}/results?lang=en&by=channel")
        o = c.get(f"/surveys/{odi['id']}/results?lang=sv&by=channel")
        chart = c.get(f"/surveys/{nps['id']}/chart.svg?chart=score&by=channel")
        landscape = c.get(f"/surveys/{odi['id']}/chart.svg?chart=landscape&by=channel")
    assert n.status_code == 200 and "5 complete answers" in text_of(n.text)
    assert "chat: NPS 66.7" in text_of(n.text) and "phone: NPS -100.0" in text_of(n.text)
    assert "Difference chat minus phone" in text_of(n.text)
    assert o.status_code == 200 and "5 fullständiga svar" in text_of(o.text)
    assert "Möjlighetslandskap" in html.unescape(o.text)  # the chart's alt text
    assert "undertillgodosett" in text_of(o.text).lower()
    for r in (chart, landscape):
        assert r.status_code == 200 and r.headers["content-type"].startswith("image/svg+xml")


def test_results_computed_as_a_job_show_progress_and_then_the_result(live):
    from kundfokus.services import jobs
    from kundfokus.store.db import session_scope

    s = api_survey(live, {"kind": "csat", "title": "Help"})
    for score, channel in [(5, "chat"), (4, "chat"), (2, "phone")]:
        answer(live, s["id"], {"score": score}, {"channel": channel})
    with closing(live.login("analyst")) as c:
        token = csrf_of(c, f"/surveys/{s['id']}/results")
        r = c.post(f"/surveys/{s['id']}/results/job", data={"csrf_token": token, "by": "channel"})
        assert r.status_code == 303 and re.fullmatch(r"/jobs/\d+", r.headers["location"])
        deadline = time.monotonic() + 60
        while True:
            page = c.get(r.headers["location"] + "?lang=en", headers={"HX-Request": "true"})
            assert page.status_code == 200 and "<html" not in page.text
            if "status-done" in page.text or time.monotonic() > deadline:
                break
            assert 'hx-trigger="every 1s"' in page.text and "<progress" in page.text
            time.sleep(0.3)
        full = c.get(r.headers["location"] + "?lang=en")
        listed = c.get("/jobs")
        no_token = c.post(f"/surveys/{s['id']}/results/job", data={"by": "channel"})
    assert "status-done" in page.text and "every 1s" not in page.text
    assert "Customer satisfaction (CSAT)" in full.text
    assert "chat: 100.0 % satisfied" in text_of(full.text)
    assert f'href="/surveys/{s["id"]}/results"' in full.text
    assert r.headers["location"] in listed.text
    assert no_token.status_code == 403
    with closing(live.login("viewer")) as c:
        refused = c.post(f"/surveys/{s['id']}/results/job", data={"csrf_token": csrf_of(c)})
    assert refused.status_code == 403
    # a job that waits shows a progress bar that polls every second
    with session_scope(live.db) as session:
        waiting = jobs.enqueue(session, "survey_results", {"survey_id": s["id"]}, delay=3600)
        waiting_id = waiting.id
    with closing(live.login("viewer")) as c:
        page = c.get(f"/jobs/{waiting_id}?lang=en")
    assert page.status_code == 200 and "<progress" in page.text
    assert f'hx-get="/jobs/{waiting_id}" hx-trigger="every 1s"' in page.text
    assert "queued" in page.text


def test_the_exports_open_with_the_session_cookie_of_an_analyst(live):
    s = api_survey(live, {"kind": "nps", "title": "Export"})
    answer(live, s["id"], {"score": 7}, {"channel": "web"})
    with closing(live.login("analyst")) as c:
        csv = c.get(f"/api/v1/surveys/{s['id']}/responses.csv")
        parquet = c.get(f"/api/v1/surveys/{s['id']}/responses.parquet")
    assert csv.status_code == 200 and csv.text.splitlines()[0].startswith("id,client_token")
    assert parquet.status_code == 200 and parquet.content[:4] == b"PAR1"


def test_an_admin_adds_a_user_changes_the_role_and_disables_them(live):
    email = f"new-{uuid.uuid4().hex[:8]}@example.se"
    with closing(live.login("admin")) as admin:
        token = csrf_of(admin, "/admin/users")
        short = admin.post(
            "/admin/users?lang=en",
            data={"csrf_token": token, "email": email, "role": "viewer", "password": "short"},
        )
        added = admin.post(
            "/admin/users",
            data={"csrf_token": token, "email": email, "role": "viewer", "password": live.password},
        )
        again = admin.post(
            "/admin/users?lang=en",
            data={"csrf_token": token, "email": email, "role": "viewer", "password": live.password},
        )
        no_token = admin.post("/admin/users", data={"email": "x@example.se", "role": "viewer"})
        page = admin.get("/admin/users?lang=en")
        user_id = re.search(
            rf"{re.escape(shown(email))}.*?/admin/users/(\d+)/role", page.text, re.S
        )
    assert short.status_code == 422 and "The password is too short" in short.text
    assert added.status_code == 303 and added.headers["location"].startswith("/admin/users")
    assert again.status_code == 422 and "exists already" in again.text
    assert no_token.status_code == 403
    assert shown(email) in page.text and user_id
    uid = user_id.group(1)

    person = sign_in(live, email)
    assert person.get("/surveys").status_code == 200
    assert person.get("/surveys/new").status_code == 403
    with closing(live.login("admin")) as admin:
        token = csrf_of(admin, "/admin/users")
        role = admin.post(f"/admin/users/{uid}/role", data={"csrf_token": token, "role": "analyst"})
        assert role.status_code == 303
        assert person.get("/surveys/new").status_code == 200  # the new role holds at once
        off = admin.post(f"/admin/users/{uid}/active", data={"csrf_token": token, "active": "0"})
        page = admin.get("/admin/users?lang=en&notice=user_disabled")
    assert off.status_code == 303
    assert "The user was disabled and signed out." in page.text
    r = person.get("/surveys")
    assert r.status_code == 303 and r.headers["location"].startswith("/login?next=")
    person.close()
    with httpx.Client(base_url=live.url, timeout=60) as c:  # a disabled user cannot sign in
        token = CSRF.search(c.get("/login").text).group(1)
        r = c.post("/login", data={"email": email, "password": live.password, "csrf_token": token})
    assert r.status_code == 401
    with closing(live.login("admin")) as admin:
        token = csrf_of(admin, "/admin/users")
        on = admin.post(f"/admin/users/{uid}/active", data={"csrf_token": token, "active": "1"})
        me = re.search(
            rf"{re.escape(shown(live.emails['admin']))}.*?/admin/users/(\d+)/role",
            admin.get("/admin/users").text,
            re.S,
        ).group(1)
        own = admin.post(f"/admin/users/{me}/active", data={"csrf_token": token, "active": "0"})
        demote = admin.post(f"/admin/users/{me}/role", data={"csrf_token": token, "role": "viewer"})
    assert on.status_code == 303 and sign_in(live, email).get("/surveys").status_code == 200
    assert own.status_code == 422 and demote.status_code == 422
    with closing(live.login("analyst")) as c:
        assert c.get("/admin/users").status_code == 403
