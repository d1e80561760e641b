"""One settings object for the CLI, the web server and the workers (pydantic-settings).

Every setting comes from, in this order: an explicit argument (``Settings(db=...)``, or a CLI option
such as ``--db``), an environment variable ``KUNDFOKUS_<NAME>``, a ``.env`` file in the current
folder, then the default.

=================  =========================  ===================================================
setting            environment variable       meaning
=================  =========================  ===================================================
``db``             ``KUNDFOKUS_DB``           the store: an SQLite file path or a database URL
``secret_key``     ``KUNDFOKUS_SECRET_KEY``   signs respondent form tokens (web; default: a key
                                             the store makes and keeps)
``redact``         ``KUNDFOKUS_REDACT``       redact personal data in free text before storing
``lang``           ``KUNDFOKUS_LANG``         default language of what a person reads (en, sv)
``examples``       ``KUNDFOKUS_EXAMPLES``     folder of the demo's example data
``safe_csv``       ``KUNDFOKUS_SAFE_CSV``     quote CSV cells that start like a formula (on)
``organisation``   ``KUNDFOKUS_ORGANISATION`` the organisation's name (title of the PDF report)
``smtp_host``      ``KUNDFOKUS_SMTP_HOST``    SMTP server of the weekly report e-mail (off when
                                             empty)
``smtp_port``      ``KUNDFOKUS_SMTP_PORT``    its port (default 587; 465 with ``ssl``)
``smtp_username``  ``KUNDFOKUS_SMTP_USERNAME`` user name to sign in to it (none: no sign-in)
``smtp_password``  ``KUNDFOKUS_SMTP_PASSWORD`` its password
``smtp_sender``    ``KUNDFOKUS_SMTP_SENDER``  the From address of the report e-mails
``smtp_security``  ``KUNDFOKUS_SMTP_SECURITY`` ``starttls`` (default), ``ssl`` or ``none``
``smtp_timeout``   ``KUNDFOKUS_SMTP_TIMEOUT`` seconds to wait for the SMTP server (30)
=================  =========================  ===================================================

>>> Settings(db="x.db").database_url
'sqlite:///x.db'
>>> Settings(db="postgresql+psycopg://kf@localhost/kf", lang="sv").lang
'sv'
"""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import Field, SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict

DEFAULT_DB = "kundfokus.db"


class Settings(BaseSettings):
    """The settings of one kundfokus installation (see the module docstring for the variables)."""

    model_config = SettingsConfigDict(
        env_prefix="KUNDFOKUS_", env_file=".env", env_file_encoding="utf-8", extra="ignore"
    )

    db: str = Field(DEFAULT_DB, description="SQLite file path or SQLAlchemy database URL")
    secret_key: SecretStr | None = Field(
        None, description="Signs respondent form tokens (web); a key kept in the store when unset"
    )
    redact: bool = Field(True, description="Redact personal data in free text before storing it")
    lang: Literal["en", "sv"] = Field("en", description="Default language of texts people read")
    examples: Path | None = Field(None, description="Folder with the demo's example data")
    safe_csv: bool = Field(
        True, description="Neutralise CSV cells a spreadsheet would run as formulas (OWASP)"
    )
    organisation: str | None = Field(
        None, description="The organisation's name, on the title page of the PDF report"
    )
    # The weekly report e-mail (kundfokus.services.report_mail); no host: no e-mails are sent.
    smtp_host: str | None = Field(None, description="SMTP server host (report e-mails)")
    smtp_port: int | None = Field(
        None, ge=1, le=65535, description="SMTP port (default 587, or 465 with ssl)"
    )
    smtp_username: str | None = Field(None, description="SMTP user name (none: no sign-in)")
    smtp_password: SecretStr | None = Field(None, description="SMTP password")
    smtp_sender: str = Field("kundfokus@localhost", description="From address of report e-mails")
    smtp_security: Literal["starttls", "ssl", "none"] = Field(
        "starttls", description="starttls, ssl (implicit TLS) or none (a trusted local relay)"
    )
    smtp_timeout: float = Field(30.0, gt=0, description="Seconds to wait for the SMTP server")

    @property
    def database_url(self) -> str:
        """``db`` as an SQLAlchemy URL (a bare path is an SQLite file)."""
        return self.db if "://" in self.db else f"sqlite:///{self.db}"


def get_settings(**overrides: object) -> Settings:
    """The current settings, read afresh (environment changes are seen), with ``overrides``.

    ``None`` overrides are ignored, so a CLI option that was not given falls through to the
    environment:

    >>> get_settings(db=None, lang="sv").lang
    'sv'
    """
    return Settings(**{k: v for k, v in overrides.items() if v is not None})
