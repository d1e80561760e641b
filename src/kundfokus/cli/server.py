"""`kundfokus serve`, `kundfokus worker`, `kundfokus users ...` and `kundfokus tokens ...`."""

from __future__ import annotations

import os
import sys
from enum import StrEnum

import typer

from kundfokus.errors import InputError

DB_HELP = "Store: an SQLite file or a database URL (default $KUNDFOKUS_DB, then kundfokus.db)."


class RoleChoice(StrEnum):
    admin = "admin"
    analyst = "analyst"
    reviewer = "reviewer"
    viewer = "viewer"


def _db_option():
    return typer.Option(None, "--db", help=DB_HELP, envvar="KUNDFOKUS_DB", show_envvar=False)


def serve(
    db: str | None = _db_option(),
    host: str = typer.Option("127.0.0.1", "--host", help="Address to listen on."),
    port: int = typer.Option(8000, "--port", help="Port to listen on."),
    workers: int = typer.Option(1, "--workers", min=1, help="Server processes."),
    jobs: bool = typer.Option(
        True, "--jobs/--no-jobs", help="Run jobs inside the server (off when workers run them)."
    ),
    proxy: bool = typer.Option(
        False, "--proxy", help="Behind a reverse proxy: trust its X-Forwarded-* headers."
    ),
) -> None:
    """Start the web server: pages, the REST API and the respondent pages.

    Starta webbservern: sidor, REST-API:t och enkätsidorna.
    """
    import uvicorn

    from kundfokus.settings import get_settings
    from kundfokus.store.db import open_store

    settings = get_settings(db=db)
    url = open_store(settings.db)  # migrations run once here, before the workers start
    os.environ["KUNDFOKUS_DB"] = url
    os.environ["KUNDFOKUS_WEB_JOBS"] = "1" if jobs else "0"
    typer.echo(f"kundfokus serving on http://{host}:{port}/ (store {_shown(url)})", err=True)
    uvicorn.run(
        "kundfokus.web.main:app",
        host=host,
        port=port,
        workers=workers,
        proxy_headers=proxy,
        forwarded_allow_ips="*" if proxy else None,
        log_level="warning",
        access_log=False,
    )


def _shown(url: str) -> str:
    from sqlalchemy.engine import make_url

    return make_url(url).render_as_string(hide_password=True)


def worker(
    db: str | None = _db_option(),
    processes: int = typer.Option(1, "--processes", "-n", min=1, help="Worker processes."),
    once: bool = typer.Option(False, "--once", help="Run the jobs that are due, then stop."),
) -> None:
    """Run queued jobs (imports, results, retraining, webhooks) in separate processes.

    Kör köade jobb (importer, resultat, omträning, webhooks) i egna processer.
    """
    from kundfokus.services import jobs as job_service
    from kundfokus.settings import get_settings
    from kundfokus.store.db import open_store

    settings = get_settings(db=db)
    url = open_store(settings.db)
    if once:
        n = job_service.run_pending(url, worker=f"cli-{os.getpid()}", settings=settings)
        typer.echo(f"ran {n} job(s)", err=True)
        return
    if url.startswith("sqlite") and processes > 1:
        raise InputError(
            "several worker processes need PostgreSQL; SQLite takes one writer at a time",
            value=processes,
            hint="use --processes 1, or a postgresql+psycopg:// URL",
        )
    typer.echo(f"kundfokus worker: {processes} process(es) on {_shown(url)}", err=True)
    if processes == 1:
        _work(url, settings)
        return
    import multiprocessing as mp

    ctx = mp.get_context("spawn")
    procs = [ctx.Process(target=_work_url, args=(url,), daemon=False) for _ in range(processes)]
    for p in procs:
        p.start()

    def stop_children(*_):
        for p in procs:
            if p.is_alive():
                p.terminate()  # each child finishes its current job's bookkeeping on SIGTERM

    import signal

    signal.signal(signal.SIGTERM, stop_children)
    signal.signal(signal.SIGINT, stop_children)
    for p in procs:
        p.join()


def _work_url(url: str) -> None:  # pragma: no cover - runs in a child process
    from kundfokus.settings import get_settings

    _work(url, get_settings(db=url))


def _work(url: str, settings) -> None:
    import signal
    import threading

    from kundfokus.services.jobs import Worker

    w = Worker(url, name=f"worker-{os.getpid()}", settings=settings)
    done = threading.Event()

    def stop(*_):
        done.set()

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    w.start()
    done.wait()
    w.stop()


users = typer.Typer(no_args_is_help=True, help="Users and roles. / Användare och roller.")
tokens = typer.Typer(no_args_is_help=True, help="API tokens. / API-nycklar.")


def _read_password(from_stdin: bool) -> str | None:
    if not from_stdin:
        return None
    text = sys.stdin.read()
    return text.rstrip("\r\n")


@users.command("add")
def users_add(
    email: str = typer.Argument(..., help="The user's e-mail (their sign-in name)."),
    role: RoleChoice = typer.Option(..., "--role", help="admin, analyst, reviewer or viewer."),
    password_stdin: bool = typer.Option(
        False, "--password-stdin", help="Read the password from standard input."
    ),
    name: str | None = typer.Option(None, "--name", help="Display name."),
    lang: str = typer.Option("en", "--lang", help="Language of the pages: en or sv."),
    db: str | None = _db_option(),
) -> None:
    """Add a user with a role. / Lägg till en användare med en roll."""
    from kundfokus.services.accounts import add_user
    from kundfokus.store.db import open_store, session_scope

    password = _read_password(password_stdin)
    url = open_store(db)
    with session_scope(url) as s:
        user = add_user(s, email, role=role.value, password=password, name=name, lang=lang)
        typer.echo(f"added {user.email} ({user.role})")


@users.command("list")
def users_list(db: str | None = _db_option()) -> None:
    """List users and roles."""
    from kundfokus.services.accounts import list_users
    from kundfokus.store.db import open_store, session_scope

    with session_scope(open_store(db, create=False)) as s:
        for u in list_users(s):
            typer.echo(f"{u.email}\t{u.role}\t{'active' if u.active else 'disabled'}")


@users.command("set")
def users_set(
    email: str = typer.Argument(...),
    role: RoleChoice | None = typer.Option(None, "--role"),
    disable: bool = typer.Option(False, "--disable", help="Disable (ends all sessions)."),
    enable: bool = typer.Option(False, "--enable"),
    password_stdin: bool = typer.Option(False, "--password-stdin"),
    db: str | None = _db_option(),
) -> None:
    """Change a user's role, disable or enable them, or set a new password."""
    from kundfokus.services.accounts import get_user, update_user
    from kundfokus.store.db import open_store, session_scope

    password = _read_password(password_stdin)
    with session_scope(open_store(db, create=False)) as s:
        user = get_user(s, email)
        active = False if disable else True if enable else None
        update_user(s, user.id, role=role.value if role else None, active=active,
                    password=password)  # fmt: skip
        typer.echo(f"{user.email}\t{user.role}\t{'active' if user.active else 'disabled'}")


@tokens.command("create")
def tokens_create(
    user: str = typer.Option(..., "--user", help="E-mail of the user the token acts as."),
    name: str = typer.Option(..., "--name", help="What the token is for."),
    db: str | None = _db_option(),
) -> None:
    """Create an API token and print it once (only its hash is stored)."""
    from kundfokus.services.accounts import create_token
    from kundfokus.store.db import open_store, session_scope

    with session_scope(open_store(db, create=False)) as s:
        token, _ = create_token(s, user, name)
    typer.echo(token)


def register(root: typer.Typer) -> None:
    root.command("serve")(serve)
    root.command("worker")(worker)
    root.add_typer(users, name="users")
    root.add_typer(tokens, name="tokens")
