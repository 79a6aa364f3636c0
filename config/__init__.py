"""Settings: one class per environment, every value read from an ``ESERVICE_*`` variable.

With nothing set, everything lives under ``./instance/`` (SQLite, local documents, jobs in a
worker thread of the app process, e-mail written as .eml files), so a fresh checkout runs with
no services installed.
"""

from __future__ import annotations

import math
import os
import re
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

DEVELOPMENT_SECRET_KEY = "development-only-secret-key-do-not-use-in-production"  # noqa: S105


# Where jobs run without Redis. ``thread``: jobs queued by a web request run after the response,
# in a worker thread of the same process. ``inline``: in the caller, before it returns (scripts,
# tests that read the outcome right after a request). With ESERVICE_REDIS_URL: RQ workers.
JOB_RUNNERS = ("thread", "inline", "rq")


class ConfigError(RuntimeError):
    """A setting is missing or unusable; the message names the variable."""


def _int(env: Mapping[str, str], name: str, default: int, minimum: int = 1) -> int:
    raw = env.get(name)
    if raw is None or raw == "":
        return default
    try:
        value = int(raw)
    except ValueError:
        raise ConfigError(f"{name} must be a whole number, got {raw!r}") from None
    if value < minimum:
        word = "positive" if minimum == 1 else f"at least {minimum}"
        raise ConfigError(f"{name} must be {word}, got {value}")
    return value


@dataclass(frozen=True)
class Settings:
    """Resolved settings for one process."""

    env: str
    data_dir: Path
    secret_key: str
    database_url: str
    storage_url: str
    redis_url: str  # empty: jobs run in this process (see job_runner)
    job_runner: str  # "rq" (with redis_url), "thread" or "inline"; see JOB_RUNNERS
    smtp_url: str  # empty: e-mail written as .eml files under data_dir/outbox
    clamd_url: str  # empty: no malware scan
    mail_from: str
    max_document_mb: int
    max_documents_per_filing: int
    max_filing_mb: int
    password_hash_method: str
    session_idle_minutes: int
    session_absolute_hours: int
    # Scheme, host and any path prefix of the public site: every link in an e-mail starts with
    # it, never with the Host header of the request that sent the e-mail.
    base_url: str
    # How many reverse proxies in front of the app set X-Forwarded-For; 0: none is trusted and
    # the client address is the peer's.
    trusted_proxies: int
    api_token_days: int  # the default lifetime of a new API token
    # How long staff may undo a decision; the attorney is told only after it.
    decision_undo_minutes: int
    # Where the receipt signing keys live (private keys 0600, never in the database); see
    # filings/receipt_keys.py and the README.
    receipt_keys_dir: Path
    # An RFC 3161 time-stamping authority for receipts, and the certificate (PEM) its answers
    # are checked against; empty: receipts are not time-stamped.
    tsa_url: str
    tsa_cert_file: str
    # How long after its receipt a set refused by the checks may be corrected as a linked set.
    correction_days: int
    extra: dict[str, object] = field(default_factory=dict)

    @property
    def max_document_bytes(self) -> int:
        return self.max_document_mb * 1024 * 1024

    @property
    def max_filing_bytes(self) -> int:
        return self.max_filing_mb * 1024 * 1024

    @property
    def outbox_dir(self) -> Path:
        return self.data_dir / "outbox"

    @property
    def upload_tmp_dir(self) -> Path:
        return self.data_dir / "tmp"

    def to_flask(self) -> dict[str, object]:
        production = self.env == "production"
        return {
            "SECRET_KEY": self.secret_key,
            "ESERVICE": self,
            # The whole request is capped; each document is capped again while it streams.
            # Multipart framing and form fields get 1 MB of headroom over the set limit.
            "MAX_CONTENT_LENGTH": self.max_filing_bytes + 1024 * 1024,
            # Form fields in memory; also the most the multipart parser buffers (it reads 1 MB).
            "MAX_FORM_MEMORY_SIZE": 2 * 1024 * 1024,
            # __Host-: the browser keeps the cookie only if it is Secure, for Path=/ and without
            # a Domain, so no other host (a subdomain) can set or shadow it.
            "SESSION_COOKIE_NAME": "__Host-session" if production else "session",
            "SESSION_COOKIE_PATH": "/",
            "SESSION_COOKIE_HTTPONLY": True,
            "SESSION_COOKIE_SAMESITE": "Lax",
            "SESSION_COOKIE_SECURE": production,
            "REMEMBER_COOKIE_NAME": "__Host-remember_token" if production else "remember_token",
            "REMEMBER_COOKIE_PATH": "/",
            "REMEMBER_COOKIE_SECURE": production,
            "REMEMBER_COOKIE_HTTPONLY": True,
            "PERMANENT_SESSION_LIFETIME": self.session_idle_minutes * 60,
            "WTF_CSRF_TIME_LIMIT": None,  # the token lives as long as the session
            # Rate-limit counters: shared through Redis in production, per process otherwise.
            "RATELIMIT_STORAGE_URI": self.redis_url or "memory://",
            "RATELIMIT_KEY_PREFIX": "eservice",
            "RATELIMIT_HEADERS_ENABLED": True,
            **self.extra,
        }


def load(
    env: Mapping[str, str] | None = None, overrides: Mapping[str, object] | None = None
) -> Settings:
    """Read settings from ``env`` (default ``os.environ``); refuse unsafe production settings."""
    env = os.environ if env is None else env
    name = env.get("ESERVICE_ENV", "development")
    if name not in {"development", "production", "testing"}:
        raise ConfigError(f"ESERVICE_ENV must be development, production or testing, got {name!r}")
    data_dir = Path(env.get("ESERVICE_DATA_DIR") or Path.cwd() / "instance").resolve()
    settings = Settings(
        env=name,
        data_dir=data_dir,
        secret_key=env.get("ESERVICE_SECRET_KEY") or DEVELOPMENT_SECRET_KEY,
        database_url=env.get("ESERVICE_DATABASE_URL") or f"sqlite:///{data_dir / 'eservice.db'}",
        storage_url=env.get("ESERVICE_STORAGE_URL") or f"file://{data_dir / 'documents'}",
        redis_url=env.get("ESERVICE_REDIS_URL", ""),
        job_runner=_job_runner(env),
        smtp_url=env.get("ESERVICE_SMTP_URL", ""),
        clamd_url=env.get("ESERVICE_CLAMD_URL", ""),
        mail_from=env.get("ESERVICE_MAIL_FROM") or "OCC eService <no-reply@eservice.localhost>",
        max_document_mb=_int(env, "ESERVICE_MAX_DOCUMENT_MB", 25),
        max_documents_per_filing=_int(env, "ESERVICE_MAX_DOCUMENTS_PER_FILING", 20),
        max_filing_mb=_int(env, "ESERVICE_MAX_FILING_MB", 100),
        password_hash_method=_password_hash(env),
        session_idle_minutes=_int(env, "ESERVICE_SESSION_IDLE_MINUTES", 30),
        session_absolute_hours=_int(env, "ESERVICE_SESSION_ABSOLUTE_HOURS", 12),
        base_url=_base_url(env),
        trusted_proxies=_int(env, "ESERVICE_TRUSTED_PROXIES", 0, minimum=0),
        api_token_days=_int(env, "ESERVICE_API_TOKEN_DAYS", 365),
        decision_undo_minutes=_int(env, "ESERVICE_DECISION_UNDO_MINUTES", 5, minimum=0),
        receipt_keys_dir=Path(
            env.get("ESERVICE_RECEIPT_KEYS_DIR") or data_dir / "receipt-keys"
        ).resolve(),
        tsa_url=(env.get("ESERVICE_TSA_URL") or "").strip(),
        tsa_cert_file=(env.get("ESERVICE_TSA_CERT_FILE") or "").strip(),
        correction_days=_int(env, "ESERVICE_CORRECTION_DAYS", 7),
        extra=dict(overrides or {}),
    )
    if settings.clamd_url and not re.fullmatch(r"tcp://[^/:]+(:\d+)?/?", settings.clamd_url):
        raise ConfigError(
            f"ESERVICE_CLAMD_URL must look like tcp://host:3310, got {settings.clamd_url!r}"
        )
    if settings.api_token_days > 730:
        raise ConfigError(
            f"ESERVICE_API_TOKEN_DAYS may be at most 730 (two years), got {settings.api_token_days}"
        )
    if settings.decision_undo_minutes > 60:
        raise ConfigError(
            "ESERVICE_DECISION_UNDO_MINUTES may be at most 60 (the attorney waits that long "
            f"for the notice), got {settings.decision_undo_minutes}"
        )
    if settings.tsa_url and not re.fullmatch(r"https?://\S+", settings.tsa_url):
        raise ConfigError(
            f"ESERVICE_TSA_URL must be an http:// or https:// URL, got {settings.tsa_url!r}"
        )
    if settings.correction_days > 90:
        raise ConfigError(
            f"ESERVICE_CORRECTION_DAYS may be at most 90, got {settings.correction_days}"
        )
    if settings.max_filing_mb < settings.max_document_mb:
        raise ConfigError("ESERVICE_MAX_FILING_MB must be at least ESERVICE_MAX_DOCUMENT_MB")
    if name == "production":
        _check_production(env, settings)
    return settings


# OWASP Password Storage Cheat Sheet: Argon2id, 19 MiB of memory, 2 passes, 1 lane.
DEFAULT_PASSWORD_HASH = "argon2id:m=19456,t=2,p=1"  # noqa: S105 (parameters, not a secret)
_PASSWORD_HASH = re.compile(r"argon2id:m=(\d+),t=(\d+),p=(\d+)")


def parse_password_hash(method: str) -> tuple[int, int, int]:
    """(memory KiB, passes, lanes) of an ``ESERVICE_PASSWORD_HASH`` value."""
    match = _PASSWORD_HASH.fullmatch(method.strip())
    if not match:
        raise ConfigError(
            f"ESERVICE_PASSWORD_HASH must look like {DEFAULT_PASSWORD_HASH}, got {method!r}"
        )
    memory, passes, lanes = (int(g) for g in match.groups())
    if memory < 8 * lanes or passes < 1 or not 1 <= lanes <= 16:
        raise ConfigError(f"ESERVICE_PASSWORD_HASH parameters out of range in {method!r}")
    return memory, passes, lanes


def _password_hash(env: Mapping[str, str]) -> str:
    method = env.get("ESERVICE_PASSWORD_HASH") or DEFAULT_PASSWORD_HASH
    parse_password_hash(method)
    return method


def _base_url(env: Mapping[str, str]) -> str:
    raw = (env.get("ESERVICE_BASE_URL") or "http://localhost:5000").strip()
    if not re.fullmatch(r"https?://[A-Za-z0-9.\-]+(:\d{1,5})?(/[A-Za-z0-9._~\-/]*)?", raw):
        raise ConfigError(
            f"ESERVICE_BASE_URL must be a URL such as https://eservice.example.gov, got {raw!r}"
        )
    return raw.rstrip("/")


def _job_runner(env: Mapping[str, str]) -> str:
    raw = env.get("ESERVICE_JOB_RUNNER") or ""
    if raw and raw not in JOB_RUNNERS:
        raise ConfigError(f"ESERVICE_JOB_RUNNER must be thread, inline or rq, got {raw!r}")
    if env.get("ESERVICE_REDIS_URL"):
        # Redis decides: the local runners are for the embedded default only.
        return "rq"
    if raw == "rq":
        raise ConfigError("ESERVICE_JOB_RUNNER=rq needs ESERVICE_REDIS_URL")
    return raw or "thread"


SECRET_KEY_MIN_CHARS = 32
SECRET_KEY_MIN_BITS = 128
# zxcvbn's count of guesses (log10) below which a key is a pattern (words, a keyboard walk, a
# sequence, a repeat) however long it is; a random key of 32 bytes is far above it.
SECRET_KEY_MIN_GUESSES_LOG10 = 30
MAKE_A_SECRET_KEY = "python3 -c 'import secrets; print(secrets.token_urlsafe(32))'"  # noqa: S105


def estimated_entropy_bits(value: str) -> float:
    """The entropy of ``value`` estimated from how often each of its characters occurs (the
    Shannon entropy per character, times its length): 0 for ``'a' * 32``, about 200 bits for
    ``secrets.token_urlsafe(32)``."""
    if not value:
        return 0.0
    counts = Counter(value)
    n = len(value)
    return max(0.0, -sum(c / n * math.log2(c / n) for c in counts.values()) * n)


def secret_key_problem(key: str) -> str | None:
    """Why ``key`` is unfit to sign production sessions and links, or None when it is fit."""
    if key == DEVELOPMENT_SECRET_KEY:
        return "the development key is refused"
    if len(key) < SECRET_KEY_MIN_CHARS:
        return f"it has {len(key)} characters; at least {SECRET_KEY_MIN_CHARS} are needed"
    bits = estimated_entropy_bits(key)
    if bits < SECRET_KEY_MIN_BITS:
        return (
            f"its characters carry about {bits:.0f} bits of entropy; at least "
            f"{SECRET_KEY_MIN_BITS} are needed"
        )
    from zxcvbn import zxcvbn

    if zxcvbn(key)["guesses_log10"] < SECRET_KEY_MIN_GUESSES_LOG10:
        return "it is made of words, sequences or repeats that are easy to guess"
    return None


def _check_production(env: Mapping[str, str], settings: Settings) -> None:
    problem = secret_key_problem(settings.secret_key)
    if problem:
        raise ConfigError(
            f"ESERVICE_SECRET_KEY must be a random value in production: {problem}. "
            f"Make one with: {MAKE_A_SECRET_KEY}"
        )
    if not settings.base_url.startswith("https://"):
        raise ConfigError("ESERVICE_BASE_URL must be an https:// URL in production")
    for var in (
        "ESERVICE_BASE_URL",
        "ESERVICE_DATABASE_URL",
        "ESERVICE_STORAGE_URL",
        "ESERVICE_REDIS_URL",
        "ESERVICE_SMTP_URL",
    ):
        if not env.get(var):
            raise ConfigError(f"{var} must be set explicitly in production")
