"""Webhooks: tell the systems a contact centre already runs about each new survey response.

Deliveries are signed the Standard Webhooks way (headers ``webhook-id``, ``webhook-timestamp``,
``webhook-signature``; the ``standardwebhooks`` package verifies them on the receiving side) and
sent by the job worker: a delivery is queued in the same transaction that stores the response
(so a stored response is always announced, and an announced one always stored), and a failed
delivery (no answer, or not 2xx) is retried with a growing pause, up to eight attempts.
"""

from __future__ import annotations

import base64
import json
import secrets
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urlparse

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from kundfokus.errors import InputError
from kundfokus.store.models import Survey, SurveyResponse, Webhook

EVENTS: tuple[str, ...] = ("response.created",)
MAX_ATTEMPTS = 8
TIMEOUT = 10.0


def create(
    session: Session,
    url: str,
    *,
    survey_id: int | None = None,
    events: list[str] | None = None,
    created_by: str | None = None,
) -> tuple[Webhook, str]:
    """Register an endpoint; returns it and its signing secret (``whsec_...``, shown once)."""
    parsed = urlparse(url or "")
    if parsed.scheme not in ("http", "https") or not parsed.netloc:
        raise InputError("a webhook URL starts with http:// or https://", column="url", value=url)
    events = list(events or EVENTS)
    for i, event in enumerate(events):
        if event not in EVENTS:
            raise InputError(
                "unknown event", column=f"events[{i}]", value=event, hint="use response.created"
            )
    if survey_id is not None and session.get(Survey, survey_id) is None:
        raise InputError("no survey with this id", column="survey_id", value=survey_id)
    secret = "whsec_" + base64.b64encode(secrets.token_bytes(24)).decode("ascii")
    hook = Webhook(url=url, secret=secret, survey_id=survey_id, events=events,
                   created_by=created_by, active=True)  # fmt: skip
    session.add(hook)
    session.flush()
    return hook, secret


def list_all(session: Session) -> list[Webhook]:
    return list(session.scalars(select(Webhook).order_by(Webhook.id)))


def webhook_dict(hook: Webhook) -> dict[str, Any]:
    return {
        "id": hook.id,
        "url": hook.url,
        "survey_id": hook.survey_id,
        "events": hook.events,
        "active": hook.active,
        "created_at": hook.created_at.isoformat() + "Z",
    }


def enqueue_for_response(session: Session, survey: Survey, response: SurveyResponse) -> int:
    """Queue one delivery per active webhook that wants this survey's new responses (in the
    caller's transaction). Returns how many were queued."""
    from kundfokus.services import jobs

    hooks = session.scalars(
        select(Webhook).where(
            Webhook.active.is_(True),
            or_(Webhook.survey_id.is_(None), Webhook.survey_id == survey.id),
        )
    ).all()
    n = 0
    for hook in hooks:
        if "response.created" not in (hook.events or []):
            continue
        payload = {
            "type": "response.created",
            "timestamp": datetime.now(UTC).isoformat(),
            "data": {
                "survey_id": survey.id,
                "survey_public_id": survey.public_id,
                "kind": survey.kind,
                "response_id": response.id,
                "client_token": response.client_token,
                "lang": response.lang,
                "answers": response.answers,
                "context": response.context,
                "submitted_at": response.submitted_at.isoformat() + "Z",
            },
        }
        jobs.enqueue(
            session,
            "webhook_delivery",
            {
                "webhook_id": hook.id,
                "msg_id": f"msg_{survey.id}_{response.id}_{hook.id}",
                "payload": payload,
            },
            max_attempts=MAX_ATTEMPTS,
        )
        n += 1
    return n


def sign(secret: str, msg_id: str, timestamp: datetime, body: str) -> dict[str, str]:
    """The Standard Webhooks headers for ``body``."""
    from standardwebhooks.webhooks import Webhook as Signer

    return {
        "webhook-id": msg_id,
        "webhook-timestamp": str(int(timestamp.timestamp())),
        "webhook-signature": Signer(secret).sign(msg_id, timestamp, body),
        "content-type": "application/json",
        "user-agent": "kundfokus-webhooks",
    }


def deliver(url: str, params: dict[str, Any]) -> dict[str, Any]:
    """Send one delivery (a job); raises when the endpoint does not answer 2xx (retried)."""
    import httpx

    from kundfokus.store.db import session_scope

    with session_scope(url) as s:
        hook = s.get(Webhook, int(params["webhook_id"]))
        if hook is None or not hook.active:
            return {"skipped": "the webhook was removed or turned off"}
        target, secret = hook.url, hook.secret
    body = json.dumps(params["payload"], ensure_ascii=False, separators=(",", ":"))
    headers = sign(secret, params["msg_id"], datetime.now(UTC), body)
    answer = httpx.post(target, content=body.encode("utf-8"), headers=headers, timeout=TIMEOUT)
    if not 200 <= answer.status_code < 300:
        raise RuntimeError(f"the endpoint answered {answer.status_code}")
    return {"status_code": answer.status_code}
