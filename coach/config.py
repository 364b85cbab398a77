"""Coach settings, read from ``COACH_*`` environment variables and validated at start-up.

This is the only module that reads the environment. Everything has an embedded default,
so a fresh checkout runs with SQLite for the database and for the job queue.
"""
from __future__ import annotations

import os
import secrets
from dataclasses import dataclass, field, fields, replace
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
ASR_ENGINES = ("faster-whisper", "openai-whisper")


class ConfigError(Exception):
    """A setting is wrong; the message names the setting and what to do."""


@dataclass(frozen=True)
class Settings:
    """Every setting Coach reads, with its embedded default."""

    instance_dir: Path = PROJECT_ROOT / "instance"
    database_url: str = ""
    queue_url: str = ""
    recordings_dir: Path = PROJECT_ROOT / "recordings"
    whisper_model: str = "tiny.en"  # role-play replies and the default: the fastest model inside the latency target
    call_whisper_model: str = "base"  # call QA: accuracy first; falls back to whisper_model when not installed
    review_confidence: float = 0.6  # calls whose mean word probability is below this need a human review
    asr_engine: str = "faster-whisper"
    language: str = "en"
    secret_key: str = ""
    max_upload_mb: int = 200
    max_reply_mb: int = 20  # one recorded role-play reply
    max_user_storage_mb: int = 500  # role-play recordings kept per user
    max_audio_minutes: int = 120
    dead_air_seconds: float = 3.0
    double_score_percent: float = 0.0  # share of routine calls quietly given to a second, blind reviewer
    login_attempts: int = 5
    login_window_seconds: int = 300
    login_address_attempts: int = 20
    session_hours: float = 12.0
    secure_cookies: bool = False
    proxy_hops: int = 0
    jargon_lexicon: Path | None = None
    rubric: str = "default"
    org_name: str = "Coach"  # the organisation named on certificates
    web_workers: int = 0  # `coach serve` processes; 0: one per CPU, at least 2
    testing: bool = False
    extra: dict = field(default_factory=dict)

    @property
    def max_upload_bytes(self) -> int:
        return self.max_upload_mb * 1024 * 1024

    @property
    def max_reply_bytes(self) -> int:
        return self.max_reply_mb * 1024 * 1024

    @property
    def web_worker_count(self) -> int:
        return self.web_workers or max(2, os.cpu_count() or 1)

    def with_defaults(self) -> "Settings":
        """Fill the defaults that depend on other settings (paths under the instance folder)."""
        database_url = self.database_url or f"sqlite:///{self.instance_dir / 'coach.sqlite3'}"
        queue_url = self.queue_url or f"sqlite:///{self.instance_dir / 'queue.sqlite3'}"
        return replace(self, database_url=database_url, queue_url=queue_url)


def boolean(raw: str) -> bool:
    """A yes/no setting: ``1/true/yes/on`` or ``0/false/no/off``, any case."""
    value = raw.strip().lower()
    if value not in ("1", "true", "yes", "on", "0", "false", "no", "off"):
        raise ValueError(raw)
    return value in ("1", "true", "yes", "on")


_ENV = {
    "COACH_INSTANCE_DIR": ("instance_dir", Path),
    "COACH_DATABASE_URL": ("database_url", str),
    "COACH_QUEUE_URL": ("queue_url", str),
    "COACH_RECORDINGS_DIR": ("recordings_dir", Path),
    "COACH_WHISPER_MODEL": ("whisper_model", str),
    "COACH_CALL_WHISPER_MODEL": ("call_whisper_model", str),
    "COACH_REVIEW_CONFIDENCE": ("review_confidence", float),
    "COACH_ASR_ENGINE": ("asr_engine", str),
    "COACH_LANGUAGE": ("language", str),
    "COACH_SECRET_KEY": ("secret_key", str),
    "COACH_MAX_UPLOAD_MB": ("max_upload_mb", int),
    "COACH_MAX_REPLY_MB": ("max_reply_mb", int),
    "COACH_MAX_USER_STORAGE_MB": ("max_user_storage_mb", int),
    "COACH_MAX_AUDIO_MINUTES": ("max_audio_minutes", int),
    "COACH_DEAD_AIR_SECONDS": ("dead_air_seconds", float),
    "COACH_DOUBLE_SCORE_PERCENT": ("double_score_percent", float),
    "COACH_LOGIN_ATTEMPTS": ("login_attempts", int),
    "COACH_LOGIN_WINDOW_SECONDS": ("login_window_seconds", int),
    "COACH_LOGIN_ADDRESS_ATTEMPTS": ("login_address_attempts", int),
    "COACH_SESSION_HOURS": ("session_hours", float),
    "COACH_SECURE_COOKIES": ("secure_cookies", boolean),
    "COACH_PROXY_HOPS": ("proxy_hops", int),
    "COACH_JARGON_LEXICON": ("jargon_lexicon", Path),
    "COACH_RUBRIC": ("rubric", str),
    "COACH_ORG_NAME": ("org_name", str),
    "COACH_WEB_WORKERS": ("web_workers", int),
}


def settings_from_env(environ: dict[str, str] | None = None, **overrides) -> Settings:
    """Build settings from ``COACH_*`` variables; ``overrides`` (field names) win over the environment."""
    environ = os.environ if environ is None else environ
    values: dict = {}
    for variable, (name, kind) in _ENV.items():
        raw = environ.get(variable)
        if raw is None or raw == "":
            continue
        try:
            values[name] = kind(raw)
        except ValueError:
            raise ConfigError(f"{variable}={raw!r} is not a valid {kind.__name__}") from None
    known = {f.name for f in fields(Settings)}
    for name, value in overrides.items():
        if name not in known:
            raise ConfigError(f"unknown setting {name!r}")
        values[name] = Path(value) if name.endswith("_dir") and value is not None else value
    return Settings(**values).with_defaults()


def validate(settings: Settings) -> Settings:
    """Check the settings and prepare the folders; raise ConfigError naming the bad setting."""
    _ensure_writable_dir(settings.instance_dir, "COACH_INSTANCE_DIR")
    _ensure_writable_dir(settings.recordings_dir, "COACH_RECORDINGS_DIR")
    _check_url(settings.database_url, "COACH_DATABASE_URL", ("sqlite", "postgresql", "postgresql+psycopg", "postgresql+psycopg2"))
    _check_url(settings.queue_url, "COACH_QUEUE_URL", ("sqlite", "redis", "memory"))
    if settings.asr_engine not in ASR_ENGINES:
        raise ConfigError(f"COACH_ASR_ENGINE={settings.asr_engine!r}: choose one of {', '.join(ASR_ENGINES)}")
    if settings.max_upload_mb <= 0:
        raise ConfigError("COACH_MAX_UPLOAD_MB must be a positive number of megabytes")
    if settings.max_reply_mb <= 0:
        raise ConfigError("COACH_MAX_REPLY_MB must be a positive number of megabytes")
    if settings.max_user_storage_mb <= 0:
        raise ConfigError("COACH_MAX_USER_STORAGE_MB must be a positive number of megabytes")
    if settings.max_audio_minutes <= 0:
        raise ConfigError("COACH_MAX_AUDIO_MINUTES must be a positive number of minutes")
    if not 0 <= settings.double_score_percent <= 100:
        raise ConfigError("COACH_DOUBLE_SCORE_PERCENT must be a share of calls from 0 to 100")
    if settings.login_attempts <= 0 or settings.login_address_attempts <= 0 or settings.login_window_seconds <= 0:
        raise ConfigError("COACH_LOGIN_ATTEMPTS, COACH_LOGIN_ADDRESS_ATTEMPTS and COACH_LOGIN_WINDOW_SECONDS must be positive")
    if settings.web_workers < 0:
        raise ConfigError("COACH_WEB_WORKERS must be 0 (one per CPU, at least 2) or a number of processes")
    if settings.session_hours <= 0:
        raise ConfigError("COACH_SESSION_HOURS must be a positive number of hours")
    if settings.proxy_hops < 0:
        raise ConfigError("COACH_PROXY_HOPS must be 0 (no reverse proxy) or the number of proxies in front of Coach")
    if settings.jargon_lexicon is not None and not settings.jargon_lexicon.is_file():
        raise ConfigError(f"COACH_JARGON_LEXICON={settings.jargon_lexicon}: no such file")
    if not settings.secret_key:
        settings = replace(settings, secret_key=_instance_secret(settings.instance_dir))
    return settings


def _ensure_writable_dir(path: Path, variable: str) -> None:
    try:
        path.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise ConfigError(f"{variable}={path}: cannot create the folder ({error.strerror})") from None
    if not os.access(path, os.W_OK | os.X_OK):
        raise ConfigError(f"{variable}={path}: the folder is not writable")


def _check_url(url: str, variable: str, schemes: tuple[str, ...]) -> None:
    scheme, sep, rest = url.partition("://")
    if not sep or scheme not in schemes or (scheme != "memory" and not rest):
        raise ConfigError(f"{variable}={url!r}: expected a URL starting with one of {', '.join(s + '://' for s in schemes)}")


def _instance_secret(instance_dir: Path) -> str:
    """The secret key kept in the instance folder, generated on first run."""
    key_file = instance_dir / "secret_key"
    if key_file.exists():
        return key_file.read_text().strip()
    key = secrets.token_hex(32)
    key_file.write_text(key)
    key_file.chmod(0o600)
    return key
