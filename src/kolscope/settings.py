"""One typed Settings object, read from ``KOLSCOPE_*`` environment variables.

Every field has a default and help text (``docs/user-guide.md`` lists them; a test keeps that list
complete). Nothing is built at import time: call :func:`load_settings`.
"""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import Field, ValidationError
from pydantic_settings import BaseSettings, SettingsConfigDict

from kolscope.core.discovery.tiers import TierThresholds
from kolscope.errors import InvalidInput

_SECRET_WORDS = ("password", "secret", "salt", "key", "token")


class Settings(BaseSettings):
    """kolscope's configuration."""

    model_config = SettingsConfigDict(env_prefix="KOLSCOPE_", extra="ignore")

    data_dir: Path = Field(
        default=Path("var"),
        description="Folder for the embedded SQLite database, uploads and exports.")
    database_url: str | None = Field(
        default=None,
        description="SQLAlchemy URL of the database; unset means SQLite at DATA_DIR/kolscope.db. "
                    "PostgreSQL: postgresql+psycopg://user@host:5432/dbname.")
    workspace: str = Field(
        default="default",
        description="Slug of the workspace that CLI commands act on when --workspace is not given.")
    host: str = Field(default="127.0.0.1", description="Address `kolscope serve` listens on.")
    port: int = Field(default=8000, description="Port `kolscope serve` listens on.")
    tier_micro: int = Field(default=1_000, description="Lowest follower count of the micro tier.")
    tier_mid: int = Field(default=50_000, description="Lowest follower count of the mid tier.")
    tier_macro: int = Field(default=200_000, description="Lowest follower count of the macro tier.")
    tier_celebrity: int = Field(
        default=1_000_000, description="Lowest follower count of the celebrity tier.")
    recent_posts: int = Field(
        default=12, ge=1, description="How many recent posts profile metrics look at.")
    graph_engine: str = Field(
        default="local",
        description="Engine that runs graph algorithms (authority): local or spark.")
    spark_master: str = Field(
        default="local[*]",
        description="Spark master of the spark engine: local[*] runs in this process on every "
                    "core, local[2] on two; a cluster URL needs TMPDIR on storage its executors "
                    "share.")
    spark_driver_memory: str = Field(
        default="2g", description="Memory of the spark engine's driver (in local mode, all of "
                                  "Spark's), e.g. 2g or 8g.")
    authority_half_life_days: float = Field(
        default=180.0, gt=0,
        description="Age in days at which an interaction counts half in the authority graph.")
    graph_memory_limit: str = Field(
        default="2GB",
        description="Memory DuckDB may use to build the interaction graph (e.g. 512MB, 2GB); "
                    "past it, it spills to DATA_DIR/graphs.")
    import_batch_size: int = Field(
        default=500, ge=1, description="Posts or accounts written per database transaction.")
    max_stored_rejects: int = Field(
        default=1_000, ge=0,
        description="Rejected lines kept in detail per import job; all are counted.")
    max_upload_bytes: int = Field(
        default=512 * 1024 * 1024, description="Largest file the API and web accept for import.")
    mail_transport: Literal["outbox", "smtp"] = Field(
        default="outbox",
        description="How outreach email leaves: `outbox` writes each message as an .eml file "
                    "under DATA_DIR/outbox (nothing is sent); `smtp` sends through SMTP_HOST.")
    smtp_host: str = Field(default="127.0.0.1", description="SMTP server for outreach email.")
    smtp_port: int = Field(default=25, ge=1, le=65535, description="SMTP server port.")
    smtp_security: Literal["none", "starttls", "ssl"] = Field(
        default="none", description="SMTP transport security: none, starttls or ssl.")
    smtp_username: str | None = Field(default=None, description="SMTP login, if the server "
                                      "needs one.")
    smtp_password: str | None = Field(default=None, description="SMTP password.")
    smtp_timeout: float = Field(default=10.0, gt=0, description="Seconds to wait for the SMTP "
                                "server.")
    mail_domain: str = Field(
        default="kolscope.local",
        description="Domain of the Message-ID headers of outreach email, so replies thread "
                    "back to their message.")
    redirect_host: str = Field(default="127.0.0.1",
                               description="Address `kolscope redirect serve` listens on.")
    redirect_port: int = Field(default=8080, ge=1, le=65535,
                               description="Port `kolscope redirect serve` listens on.")
    redirect_salt: str | None = Field(
        default=None,
        description="Secret the redirect's daily IP-hash salts derive from; unset: one is "
                    "generated once and kept in DATA_DIR/redirect-salt.")
    redirect_flush_interval: float = Field(
        default=0.5, gt=0, le=1.0,
        description="Seconds between the redirect's batched click writes; a crash loses at most "
                    "the clicks of one interval and one write.")
    redirect_refresh_interval: float = Field(
        default=1.0, gt=0, description="Seconds between the redirect's checks for changed links.")
    redirect_trusted_proxy: bool = Field(
        default=False,
        description="The redirect runs behind a trusted reverse proxy: take the client address "
                    "from the last X-Forwarded-For entry instead of the socket.")
    redirect_task_impl: Literal["auto", "asyncio", "rust"] = Field(
        default="auto",
        description="How granian runs each RSGI request: rust (its own task, less work per "
                    "request; Python 3.11 only, marked experimental by granian), asyncio, or "
                    "auto: rust where available.")

    redirect_base_url: str | None = Field(
        default=None,
        description="Public address of the redirect service that short links are shown with "
                    "(https://go.example.com); unset: http://REDIRECT_HOST:REDIRECT_PORT.")
    public_url: str = Field(
        default="http://127.0.0.1:8000",
        description="Public address of the API and web, for webhook and snippet URLs shown "
                    "to users.")

    @property
    def short_link_base(self) -> str:
        return (self.redirect_base_url
                or f"http://{self.redirect_host}:{self.redirect_port}").rstrip("/")

    @property
    def resolved_database_url(self) -> str:
        """The database URL in force: the configured one, or the embedded SQLite file."""
        if self.database_url:
            return self.database_url
        return f"sqlite:///{(self.data_dir / 'kolscope.db').resolve()}"

    @property
    def tier_thresholds(self) -> TierThresholds:
        """The tier boundaries as the core expects them."""
        return TierThresholds(micro=self.tier_micro, mid=self.tier_mid,
                              macro=self.tier_macro, celebrity=self.tier_celebrity)


def load_settings(**overrides: object) -> Settings:
    """Read settings from the environment, with explicit ``overrides`` winning.

    A bad value is an :class:`InvalidInput` naming each variable and what is wrong with it
    (the value too, unless the setting is a secret), instead of pydantic's traceback.
    """
    try:
        return Settings(**overrides)  # type: ignore[arg-type]
    except ValidationError as exc:
        problems = []  # (variable, what is wrong)
        for error in exc.errors():
            name = "_".join(str(part) for part in error["loc"])
            given = ("" if any(word in name.lower() for word in _SECRET_WORDS)
                     else f" (got {error['input']!r})")
            problems.append((f"KOLSCOPE_{name.upper()}", f"{error['msg']}{given}"))
        raise InvalidInput("bad setting: " + "; ".join(f"{v}: {m}" for v, m in problems),
                           field=problems[0][0]) from None
