"""ORM models of the store (SQLAlchemy 2, typed ``Mapped[...]`` columns).

The schema itself is created by the Alembic migrations in ``migrations/versions``; the test
``tests/store/test_store.py`` checks that the migrations and these models agree.

Axes: every contact is described along several *axes*, each a single label. The need axes are
``purpose`` (problem / need / intent / question) and ``reason`` (the organisation's contact
reason, ``other`` when none fits); the situation axes are ``urgency``, ``treatment``, ``mood`` and
``tags`` (situation tags, stored as one ``|``-joined, sorted label such as
``moving_house|new_customer``; ``none`` when there is no tag).

All times are stored as naive UTC.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

from kundfokus.contacts.axes import AXES, AXIS_GROUPS, NEED_AXES, SITUATION_AXES  # noqa: F401


def utcnow() -> datetime:
    """The current time as naive UTC (how the store keeps every time)."""
    return datetime.now(UTC).replace(tzinfo=None)


class Base(DeclarativeBase):
    """Declarative base of every store table."""


class ImportBatch(Base):
    __tablename__ = "import_batches"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    source: Mapped[str] = mapped_column(String(500))
    imported_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    imported_by: Mapped[str | None] = mapped_column(String(200))
    n_rows: Mapped[int] = mapped_column(Integer, default=0)
    redacted: Mapped[bool] = mapped_column(Boolean, default=True)
    options: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)

    contacts: Mapped[list[Contact]] = relationship(back_populates="batch")


class Contact(Base):
    __tablename__ = "contacts"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    external_id: Mapped[str] = mapped_column(String(200), unique=True)
    customer_id: Mapped[str | None] = mapped_column(String(200), index=True)
    timestamp: Mapped[datetime] = mapped_column(DateTime, index=True)
    channel: Mapped[str] = mapped_column(String(50))
    text: Mapped[str] = mapped_column(Text)
    language: Mapped[str] = mapped_column(String(10))
    meta: Mapped[dict[str, Any]] = mapped_column("metadata", JSON, default=dict)
    batch_id: Mapped[int] = mapped_column(ForeignKey("import_batches.id"), index=True)

    batch: Mapped[ImportBatch] = relationship(back_populates="contacts")


class TaxonomyLabel(Base):
    """One allowed label on one axis (the organisation's taxonomy), with names for people."""

    __tablename__ = "taxonomy_labels"
    __table_args__ = (UniqueConstraint("axis", "label", name="uq_taxonomy_axis_label"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    axis: Mapped[str] = mapped_column(String(50))
    label: Mapped[str] = mapped_column(String(200))
    name_en: Mapped[str | None] = mapped_column(String(300))
    name_sv: Mapped[str | None] = mapped_column(String(300))
    description: Mapped[str | None] = mapped_column(Text)
    added_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    added_by: Mapped[str | None] = mapped_column(String(200))


class ModelVersion(Base):
    """A trained classifier for one axis, with the fingerprint of the label set it learnt from."""

    __tablename__ = "model_versions"
    __table_args__ = (UniqueConstraint("axis", "version", name="uq_model_axis_version"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    axis: Mapped[str] = mapped_column(String(50))
    version: Mapped[int] = mapped_column(Integer)
    trained_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    trained_by: Mapped[str | None] = mapped_column(String(200))
    fingerprint: Mapped[str] = mapped_column(String(64))
    n_train: Mapped[int] = mapped_column(Integer)
    classes: Mapped[list[Any]] = mapped_column(JSON, default=list)
    last_correction_id: Mapped[int] = mapped_column(Integer, default=0)
    evaluation_method: Mapped[str] = mapped_column(String(200))
    evaluation: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    params: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    blob: Mapped[bytes] = mapped_column(LargeBinary)


class Inference(Base):
    """What rules or a model inferred for a contact on one axis. Rows are never overwritten:
    the newest row per contact, axis and source is the current one, older rows keep history
    (used to measure each model version on later corrections)."""

    __tablename__ = "inferences"
    __table_args__ = (Index("ix_inferences_contact_axis", "contact_id", "axis"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    contact_id: Mapped[int] = mapped_column(ForeignKey("contacts.id", ondelete="CASCADE"))
    axis: Mapped[str] = mapped_column(String(50))
    label: Mapped[str] = mapped_column(String(200))
    confidence: Mapped[float] = mapped_column(Float)
    source: Mapped[str] = mapped_column(String(20))
    model_version_id: Mapped[int | None] = mapped_column(
        ForeignKey("model_versions.id"), index=True
    )
    scores: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    evidence: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)


class Label(Base):
    """The current label a person (or an imported, already labelled file) gave a contact on one
    axis; one row per contact and axis. Its history is in ``corrections``."""

    __tablename__ = "labels"
    __table_args__ = (UniqueConstraint("contact_id", "axis", name="uq_label_contact_axis"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    contact_id: Mapped[int] = mapped_column(ForeignKey("contacts.id", ondelete="CASCADE"))
    axis: Mapped[str] = mapped_column(String(50))
    label: Mapped[str] = mapped_column(String(200))
    who: Mapped[str] = mapped_column(String(200))
    at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)


class Correction(Base):
    """Audit row: who changed which axis of which contact, from what to what, when and why."""

    __tablename__ = "corrections"
    __table_args__ = (Index("ix_corrections_axis", "axis"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    contact_id: Mapped[int] = mapped_column(ForeignKey("contacts.id", ondelete="CASCADE"))
    axis: Mapped[str] = mapped_column(String(50))
    before: Mapped[str | None] = mapped_column(String(200))
    before_source: Mapped[str | None] = mapped_column(String(20))
    after: Mapped[str] = mapped_column(String(200))
    who: Mapped[str] = mapped_column(String(200))
    at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    reason: Mapped[str | None] = mapped_column(Text)


class Evaluation(Base):
    """Evaluation history of model versions: the training-time estimate (cross-validation) and
    later measurements (accuracy on corrections made after the version was trained)."""

    __tablename__ = "evaluations"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    model_version_id: Mapped[int] = mapped_column(
        ForeignKey("model_versions.id", ondelete="CASCADE"), index=True
    )
    kind: Mapped[str] = mapped_column(String(50))
    computed_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    n: Mapped[int] = mapped_column(Integer)
    accuracy: Mapped[float | None] = mapped_column(Float)
    macro_f1: Mapped[float | None] = mapped_column(Float)
    details: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)


# --------------------------------------------------------------------------------------------------
# The platform: accounts, sessions, API tokens, surveys and responses, jobs, webhooks.
#
# Secrets are never stored in the clear: passwords as argon2 hashes, session ids and API tokens as
# SHA-256 digests of random 32-byte tokens (a digest is enough: the tokens are not guessable).


ROLES: tuple[str, ...] = ("viewer", "reviewer", "analyst", "admin")


class User(Base):
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    email: Mapped[str] = mapped_column(String(320), unique=True)
    name: Mapped[str | None] = mapped_column(String(200))
    role: Mapped[str] = mapped_column(String(20))
    password_hash: Mapped[str | None] = mapped_column(String(200))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    lang: Mapped[str] = mapped_column(String(5), default="en")
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)


class WebSession(Base):
    """A signed-in browser: the cookie holds a random id, the store its SHA-256 digest."""

    __tablename__ = "web_sessions"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    digest: Mapped[str] = mapped_column(String(64), unique=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    csrf: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(DateTime)


class ApiToken(Base):
    __tablename__ = "api_tokens"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    digest: Mapped[str] = mapped_column(String(64), unique=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(200))
    prefix: Mapped[str] = mapped_column(String(12))
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    last_used_at: Mapped[datetime | None] = mapped_column(DateTime)
    revoked: Mapped[bool] = mapped_column(Boolean, default=False)


class LoginAttempt(Base):
    """Failed sign-ins, for rate limiting across processes (per e-mail and per client address)."""

    __tablename__ = "login_attempts"
    __table_args__ = (Index("ix_login_attempts_at", "at"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    email: Mapped[str] = mapped_column(String(320), index=True)
    client: Mapped[str] = mapped_column(String(100), index=True)
    at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)


class Survey(Base):
    """A survey of one kind (kano, odi, nps, csat, ces); ``items`` and ``options`` as created."""

    __tablename__ = "surveys"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    public_id: Mapped[str] = mapped_column(String(64), unique=True)
    kind: Mapped[str] = mapped_column(String(10))
    title: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    languages: Mapped[list[Any]] = mapped_column(JSON, default=list)
    items: Mapped[list[Any]] = mapped_column(JSON, default=list)
    options: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    status: Mapped[str] = mapped_column(String(10), default="open")
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    created_by: Mapped[str | None] = mapped_column(String(320))


class SurveyResponse(Base):
    """One respondent's answers (wide: the CLI's column names) and the context they came with.

    ``client_token`` makes submission idempotent: a retry with the same token finds this row.
    ``complete`` is false while a respondent is still going through a multi-step survey.
    """

    __tablename__ = "survey_responses"
    __table_args__ = (
        UniqueConstraint("survey_id", "client_token", name="uq_response_client_token"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    survey_id: Mapped[int] = mapped_column(ForeignKey("surveys.id", ondelete="CASCADE"), index=True)
    client_token: Mapped[str] = mapped_column(String(200))
    lang: Mapped[str] = mapped_column(String(5))
    answers: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    context: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    complete: Mapped[bool] = mapped_column(Boolean, default=True)
    submitted_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)


class Job(Base):
    """Long work (results of a large survey, imports, retraining, webhook deliveries).

    A job is ``queued`` until a worker claims it (``running``, with a heartbeat), then ``done`` or
    ``failed``. A running job whose heartbeat stopped (the process died) is queued again.
    """

    __tablename__ = "jobs"
    __table_args__ = (Index("ix_jobs_status_run_after", "status", "run_after"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    kind: Mapped[str] = mapped_column(String(50))
    params: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    status: Mapped[str] = mapped_column(String(10), default="queued")
    progress: Mapped[float] = mapped_column(Float, default=0.0)
    message: Mapped[str | None] = mapped_column(Text)
    result: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    error: Mapped[str | None] = mapped_column(Text)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    max_attempts: Mapped[int] = mapped_column(Integer, default=3)
    run_after: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    created_by: Mapped[str | None] = mapped_column(String(320))
    started_at: Mapped[datetime | None] = mapped_column(DateTime)
    heartbeat_at: Mapped[datetime | None] = mapped_column(DateTime)
    finished_at: Mapped[datetime | None] = mapped_column(DateTime)
    worker: Mapped[str | None] = mapped_column(String(200))


class Webhook(Base):
    """An endpoint told about new responses (signed the Standard Webhooks way)."""

    __tablename__ = "webhooks"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    url: Mapped[str] = mapped_column(String(2000))
    secret: Mapped[str] = mapped_column(String(200))
    survey_id: Mapped[int | None] = mapped_column(ForeignKey("surveys.id", ondelete="CASCADE"))
    events: Mapped[list[Any]] = mapped_column(JSON, default=list)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    created_by: Mapped[str | None] = mapped_column(String(320))


class AppSecret(Base):
    """Secrets the installation makes for itself (the key that signs respondent form tokens when
    ``KUNDFOKUS_SECRET_KEY`` is not set), so that every server process and every restart agree."""

    __tablename__ = "app_secrets"

    name: Mapped[str] = mapped_column(String(50), primary_key=True)
    value: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)


# --------------------------------------------------------------------------------------------------
# Journeys and recommendations.


class JourneyEvent(Base):
    """One event of a customer journey (an errand, a case, a purchase): who, which journey, which
    step, when and through which channel. Any further columns of the imported file (agent, queue,
    amount, outcome, a survey answer given at the step) are kept in ``attributes``; ``contact_id``
    links the event to a stored contact by its external id when the file names one."""

    __tablename__ = "journey_events"
    __table_args__ = (
        Index("ix_journey_events_journey_ts", "journey_id", "timestamp"),
        Index("ix_journey_events_step", "step"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    event_id: Mapped[str] = mapped_column(String(200), unique=True)
    customer_id: Mapped[str] = mapped_column(String(200), index=True)
    journey_id: Mapped[str] = mapped_column(String(200))
    step: Mapped[str] = mapped_column(String(200))
    timestamp: Mapped[datetime] = mapped_column(DateTime)
    channel: Mapped[str | None] = mapped_column(String(50))
    contact_id: Mapped[str | None] = mapped_column(String(200), index=True)
    attributes: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    batch_id: Mapped[int] = mapped_column(ForeignKey("import_batches.id"), index=True)


class RecommendationLog(Base):
    """What the recommender offered for one case, with the propensity of what it offered, what was
    actually done (an agent's or customer's override is logged here too) and, once known, the
    outcome. These rows are the unbiased logs the next offline evaluation and fit learn from."""

    __tablename__ = "recommendation_log"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow, index=True)
    case_id: Mapped[str | None] = mapped_column(String(200), index=True)
    customer_id: Mapped[str | None] = mapped_column(String(200), index=True)
    model: Mapped[str | None] = mapped_column(String(200))
    situation: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    recommended: Mapped[str] = mapped_column(String(200))
    propensity: Mapped[float] = mapped_column(Float)
    chosen: Mapped[str] = mapped_column(String(200))
    chosen_propensity: Mapped[float | None] = mapped_column(Float)
    override: Mapped[bool] = mapped_column(Boolean, default=False)
    override_reason: Mapped[str | None] = mapped_column(Text)
    who: Mapped[str | None] = mapped_column(String(200))
    outcome: Mapped[float | None] = mapped_column(Float)
    outcome_at: Mapped[datetime | None] = mapped_column(DateTime)


# --------------------------------------------------------------------------------------------------
# Review: every reviewer's own label (for overlap and agreement) and the review settings.


class ReviewLabel(Base):
    """One reviewer's own label of one contact on one axis (the newest row per contact, axis and
    reviewer counts). ``labels`` holds the label in force; on an overlap contact it stays the
    first reviewer's until a lead settles it (``is_lead``), so a second reviewer's label never
    silently overwrites the first one and both count for the agreement figures. ``overlap`` says
    whether the contact was in the overlap share when the label was given (only those count for
    agreement: they were labelled independently)."""

    __tablename__ = "review_labels"
    __table_args__ = (Index("ix_review_labels_contact_axis", "contact_id", "axis"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    contact_id: Mapped[int] = mapped_column(ForeignKey("contacts.id", ondelete="CASCADE"))
    axis: Mapped[str] = mapped_column(String(50))
    label: Mapped[str] = mapped_column(String(200))
    who: Mapped[str] = mapped_column(String(200))
    at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    is_lead: Mapped[bool] = mapped_column(Boolean, default=False)
    overlap: Mapped[bool] = mapped_column(Boolean, default=False)


class ReviewSetting(Base):
    """A setting of the review loop (``overlap_share``: the share of contacts that a second
    reviewer labels too), with who set it and when."""

    __tablename__ = "review_settings"

    name: Mapped[str] = mapped_column(String(50), primary_key=True)
    value: Mapped[Any] = mapped_column(JSON)
    updated_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    updated_by: Mapped[str | None] = mapped_column(String(200))


# --------------------------------------------------------------------------------------------------
# Shared goals across silos.


class Goal(Base):
    """A goal shared across teams: who owns it, which teams share it, the metric it targets
    (``nps``, ``csat``, ``ces``, ``churn`` or ``cpi:<id>``), where it started (``baseline``),
    where it should be (``target``) and by when (``due``). ``parent_id`` makes goals a tree (a
    company goal on NPS, team goals on the CPIs that drive it). ``better`` says which direction
    is good (``higher``/``lower``); derived from target against baseline when not given."""

    __tablename__ = "goals"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(300))
    owner: Mapped[str] = mapped_column(String(320))
    teams: Mapped[list[Any]] = mapped_column(JSON, default=list)
    metric: Mapped[str] = mapped_column(String(200))
    baseline: Mapped[float] = mapped_column(Float)
    target: Mapped[float] = mapped_column(Float)
    due: Mapped[date] = mapped_column(Date)
    better: Mapped[str | None] = mapped_column(String(10))
    parent_id: Mapped[int | None] = mapped_column(
        ForeignKey("goals.id", ondelete="SET NULL"), index=True
    )
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    created_by: Mapped[str | None] = mapped_column(String(320))


class Observation(Base):
    """What someone saw and heard at a journey step while a customer used the service
    (contextual design): a ``note``, an optional verbatim ``quote``, the journey ``step``, the
    ``situation`` and the ``need`` it shows, who recorded it and where (``channel``). An optional
    attachment (photo or file) is kept in ``attachment`` with its name and media type.
    ``turned_into`` records what it became (``kano:<feature id>`` or ``odi:<outcome id>``)."""

    __tablename__ = "observations"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    note: Mapped[str] = mapped_column(Text)
    quote: Mapped[str | None] = mapped_column(Text)
    step: Mapped[str | None] = mapped_column(String(200), index=True)
    situation: Mapped[str | None] = mapped_column(String(200), index=True)
    need: Mapped[str | None] = mapped_column(String(200))
    channel: Mapped[str | None] = mapped_column(String(100))
    observed_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    created_by: Mapped[str | None] = mapped_column(String(320))
    attachment: Mapped[bytes | None] = mapped_column(LargeBinary)
    attachment_name: Mapped[str | None] = mapped_column(String(300))
    attachment_type: Mapped[str | None] = mapped_column(String(100))
    turned_into: Mapped[str | None] = mapped_column(String(300))


class ReportSchedule(Base):
    """A weekly e-mail of the leadership report (PDF): to whom (``recipients``), in which
    language, on which ``weekday`` (0 = Monday) and ``hour`` (UTC), with which dashboard
    ``filters``; ``last_sent_at`` keeps a schedule from sending twice in one week."""

    __tablename__ = "report_schedules"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    recipients: Mapped[list[Any]] = mapped_column(JSON, default=list)
    lang: Mapped[str] = mapped_column(String(5), default="sv")
    weekday: Mapped[int] = mapped_column(Integer, default=0)
    hour: Mapped[int] = mapped_column(Integer, default=7)
    filters: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    last_sent_at: Mapped[datetime | None] = mapped_column(DateTime)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    created_by: Mapped[str | None] = mapped_column(String(320))


class CustomerContract(Base):
    """A customer's contract (subscription): when it started, when it ended (``ended`` empty
    while it runs), its ``plan`` and an optional ``segment``. The churn and retention panels read
    these (churn as the yearly share of lost customers, sBG retention curves)."""

    __tablename__ = "customer_contracts"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    customer_id: Mapped[str] = mapped_column(String(200), index=True)
    started: Mapped[date] = mapped_column(Date)
    ended: Mapped[date | None] = mapped_column(Date)
    plan: Mapped[str | None] = mapped_column(String(100))
    segment: Mapped[str | None] = mapped_column(String(100))
    imported_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)


class CustomerPurchase(Base):
    """One purchase: who, when, how much (``amount`` in the organisation's currency). The CLV
    panel (BG/NBD + Gamma-Gamma) and the value at risk read these."""

    __tablename__ = "customer_purchases"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    customer_id: Mapped[str] = mapped_column(String(200), index=True)
    purchased_on: Mapped[date] = mapped_column(Date)
    amount: Mapped[float] = mapped_column(Float)
    segment: Mapped[str | None] = mapped_column(String(100))
    imported_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
