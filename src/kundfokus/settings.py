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
