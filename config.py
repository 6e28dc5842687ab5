"""Settings classes, read from the environment (12-factor).

`create_app()` picks a class by APP_ENV (development, testing, production) and instantiates
it, so the environment is read when the app is made, not when this module is imported. Every
setting is documented in the README's configuration table.
"""

from __future__ import annotations

import os
from datetime import timedelta
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent


class ConfigError(RuntimeError):
    """A setting is missing or unsafe for the chosen environment."""


def _env(name: str, default: str | None = None) -> str | None:
    value = os.environ.get(name)
    return value if value not in (None, "") else default


def _env_number(name: str, default: float, kind: type = int) -> float:
    value = _env(name)
    if value is None:
        return default
    try:
        return kind(value)
    except ValueError as exc:
        raise ConfigError(f"{name} must be a number, got {value!r}") from exc


def _env_intervals(name: str, default: str) -> list[int]:
    text = _env(name, default) or default
    try:
        return [int(part) for part in text.split(",")]
    except ValueError as exc:
        raise ConfigError(f"{name} must be seconds separated by commas, got {text!r}") from exc


class Config:
    """The embedded defaults: SQLite in instance/, jobs inline, Milwaukee."""

    ENV_NAME = "development"
    TESTING = False
    BABEL_DEFAULT_LOCALE = "en"
    LANGUAGES = ("en", "es")
    # Over https Flask-WTF also demands a same-site Referer, which privacy tools strip (and
    # the invitation page withholds, to keep its token private): residents could not report.
    # The session-bound token and SameSite cookies are what stop a forged post.
    WTF_CSRF_SSL_STRICT = False
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    SQLALCHEMY_ENGINE_OPTIONS = {"pool_pre_ping": True}

    def __init__(self) -> None:
        self.SECRET_KEY = _env("SECRET_KEY", "dev-only-insecure-secret-key")
        # How long a session lives (a staff sign-in, a resident's half-filled form): the
        # cookie, the server-side staff session and every CSRF token in it expire together.
        # Long enough for a resident on a slow phone, short enough for a shared computer.
        hours = _env_number("SESSION_LIFETIME_HOURS", 12.0, float)
        self.PERMANENT_SESSION_LIFETIME = timedelta(hours=hours)
        self.WTF_CSRF_TIME_LIMIT = int(hours * 3600)
        # Strict-Transport-Security max-age in seconds; 0 sends none (set it behind TLS).
        self.HSTS_MAX_AGE = int(_env_number("HSTS_MAX_AGE", 0))
        self.SQLALCHEMY_DATABASE_URI = _env(
            "DATABASE_URL", f"sqlite:///{BASE_DIR / 'instance' / 'community.sqlite'}"
        )
        self.REDIS_URL = _env("REDIS_URL")  # unset: jobs run inline in the request
        self.JOB_RETRIES = int(_env_number("JOB_RETRIES", 3))
        self.JOB_RETRY_INTERVALS = _env_intervals("JOB_RETRY_INTERVALS", "10,60,300")
        # Seconds a worker's registration outlives its last heartbeat: a job of a worker
        # silent this long (killed, its machine gone) is queued again by the next sweep.
        self.WORKER_TTL_S = int(_env_number("WORKER_TTL_S", 60))
        # `flask scheduler`: seconds between runs of each periodic job.
        self.SCHEDULE_SWEEP_S = int(_env_number("SCHEDULE_SWEEP_S", 30))
        self.SCHEDULE_RECLUSTER_S = int(_env_number("SCHEDULE_RECLUSTER_S", 900))
        self.SCHEDULE_EXPIRE_S = int(_env_number("SCHEDULE_EXPIRE_S", 300))
        self.SCHEDULE_OVERDUE_S = int(_env_number("SCHEDULE_OVERDUE_S", 900))
        # A recorded text still pending this long is handed to Twilio again by the sweep.
        self.SWEEP_TEXT_AFTER_S = int(_env_number("SWEEP_TEXT_AFTER_S", 60))
        self.CITY_PACKAGE = _env("CITY_PACKAGE", str(BASE_DIR / "maps" / "milwaukee"))
        self.PHONE_ENCRYPTION_KEY = _env("PHONE_ENCRYPTION_KEY")  # else derived from SECRET_KEY
        self.PHONE_HASH_KEY = _env("PHONE_HASH_KEY")  # else derived from SECRET_KEY
        self.GEOCODER = _env("GEOCODER", "local")  # local (the city package) or nominatim
        self.NOMINATIM_URL = _env("NOMINATIM_URL")
        self.NOMINATIM_USER_AGENT = _env("NOMINATIM_USER_AGENT")
        self.NOMINATIM_TIMEOUT = _env_number("NOMINATIM_TIMEOUT", 3.0, float)
        self.NOMINATIM_COUNTRY_CODES = _env("NOMINATIM_COUNTRY_CODES", "us")
        self.NOMINATIM_VIEWBOX = _env("NOMINATIM_VIEWBOX")  # unset: the city limits' bounds
        # Below this the answer is a guess (ambiguous readings are capped at 0.5, areas 0.45):
        # staff (or the resident, by SMS) place the concern.
        self.LOCATE_MIN_CONFIDENCE = _env_number("LOCATE_MIN_CONFIDENCE", 0.55, float)
        # SMS (Twilio). With no credentials, outbound texts are recorded and logged, not sent.
        self.TWILIO_ACCOUNT_SID = _env("TWILIO_ACCOUNT_SID")
        self.TWILIO_AUTH_TOKEN = _env("TWILIO_AUTH_TOKEN")
        self.TWILIO_FROM_NUMBER = _env("TWILIO_FROM_NUMBER")
        self.TWILIO_MESSAGING_SERVICE_SID = _env("TWILIO_MESSAGING_SERVICE_SID")
        self.TWILIO_API_BASE_URL = _env("TWILIO_API_BASE_URL")  # staging/tests: another REST host
        self.TWILIO_TIMEOUT = _env_number("TWILIO_TIMEOUT", 10.0, float)  # seconds per request
        self.PUBLIC_BASE_URL = _env("PUBLIC_BASE_URL")  # what Twilio signs, when behind a proxy
        self.SMS_CONVERSATION_TIMEOUT_MIN = int(_env_number("SMS_CONVERSATION_TIMEOUT_MIN", 120))
        self.SMS_MAX_PER_HOUR = int(_env_number("SMS_MAX_PER_HOUR", 20))
        # A hotspot is one problem place (community/geo/problem_places.py): reports within
        # CLUSTER_RADIUS_M of a spot that stands out from its surroundings (at least
        # CLUSTER_MIN_REPORTS, and chance given the density within CLUSTER_BACKGROUND_M below
        # CLUSTER_SIGNIFICANCE), per problem family of categories (category.family).
        self.CLUSTER_RADIUS_M = _env_number("CLUSTER_RADIUS_M", 80.0, float)
        self.CLUSTER_MIN_REPORTS = int(_env_number("CLUSTER_MIN_REPORTS", 3))
        self.CLUSTER_SIGNIFICANCE = _env_number("CLUSTER_SIGNIFICANCE", 1e-5, float)
        self.CLUSTER_BACKGROUND_M = _env_number("CLUSTER_BACKGROUND_M", 600.0, float)
        self.CLUSTER_WINDOW_DAYS = int(_env_number("CLUSTER_WINDOW_DAYS", 90))
        # A resolved hotspot with new concerns within this many days reopens; later ones
        # start a new hotspot linked to it (parent_id).
        self.CLUSTER_REOPEN_DAYS = int(_env_number("CLUSTER_REOPEN_DAYS", 30))
        # Repeat address (chronic nuisance): this many reports within this many days.
        self.CLUSTER_REPEAT_COUNT = int(_env_number("CLUSTER_REPEAT_COUNT", 3))
        self.CLUSTER_REPEAT_DAYS = int(_env_number("CLUSTER_REPEAT_DAYS", 30))
        # Seconds a full re-cluster waits after a concern is located (others join that run).
        self.CLUSTER_DEBOUNCE_S = int(_env_number("CLUSTER_DEBOUNCE_S", 30))
        # Cell size (metres) of the Gi* heat grid.
        self.HEAT_CELL_M = _env_number("HEAT_CELL_M", 250.0, float)
        self.CONCERN_TEXT_MAX = int(_env_number("CONCERN_TEXT_MAX", 2000))
        # Open311: the jurisdiction_id clients may send (unset: the city package's slug).
        self.OPEN311_JURISDICTION_ID = _env("OPEN311_JURISDICTION_ID")
        # Open311: default and largest page_size of GET requests (the spec's limit is 1000).
        self.OPEN311_PAGE_SIZE = int(_env_number("OPEN311_PAGE_SIZE", 1000))
        # Open311: POSTs allowed per client address, whatever api_key it sends.
        self.OPEN311_POST_LIMIT = _env("OPEN311_POST_LIMIT", "60 per minute;1000 per day")
        # Open311: GETs allowed per client address, all read endpoints together.
        self.OPEN311_GET_LIMIT = _env("OPEN311_GET_LIMIT", "120 per minute;3000 per hour")
        # Public metrics page: visits per client address, and seconds its summary is reused.
        self.PUBLIC_METRICS_LIMIT = _env("PUBLIC_METRICS_LIMIT", "30 per minute;300 per hour")
        self.PUBLIC_METRICS_CACHE_S = _env_number("PUBLIC_METRICS_CACHE_S", 60.0, float)
        # Open311: contact shown in the discovery document (an e-mail or URL).
        self.OPEN311_CONTACT = _env("OPEN311_CONTACT", "")
        # Exports: rows fetched from the database per batch while streaming.
        self.EXPORT_BATCH_SIZE = int(_env_number("EXPORT_BATCH_SIZE", 1000))
        # Largest request body accepted (413 above it): room for a photo, never a flood.
        # A full-size photo (PHOTO_MAX_BYTES) plus the form fields must fit.
        self.MAX_CONTENT_LENGTH = int(_env_number("MAX_CONTENT_LENGTH", 9 * 1024 * 1024))
        # Web form photos (issue 5): larger is refused; kept photos are resized to this many px.
        self.PHOTO_MAX_BYTES = int(_env_number("PHOTO_MAX_BYTES", 8 * 1024 * 1024))
        self.PHOTO_MAX_DIMENSION = int(_env_number("PHOTO_MAX_DIMENSION", 1600))
        self.MEDIA_FOLDER = _env("MEDIA_FOLDER")  # web form photos; unset: instance/media
        # "Neighbours reported this nearby" on the web form: radius (m) and look-back (days).
        self.NEARBY_RADIUS_M = _env_number("NEARBY_RADIUS_M", 150.0, float)
        self.NEARBY_DAYS = int(_env_number("NEARBY_DAYS", 60))
        # Public case lookups per client: slow enough that case numbers cannot be enumerated.
        self.STATUS_LOOKUP_LIMIT = _env("STATUS_LOOKUP_LIMIT", "30 per hour;10 per minute")
        # A real tile layer under the maps; unset: the city outline is the base (offline).
        self.TILE_URL = _env("TILE_URL")
        self.TILE_ATTRIBUTION = _env("TILE_ATTRIBUTION", "")
        # Meeting reports: the SMS number and web address printed under "How to report".
        self.REPORT_SMS_NUMBER = _env("REPORT_SMS_NUMBER", self.TWILIO_FROM_NUMBER)
        self.REPORT_WEB_ADDRESS = _env("REPORT_WEB_ADDRESS")  # unset: PUBLIC_BASE_URL's form
        # Where a batch of meeting reports writes its PDFs (shared storage when workers are many).
        self.REPORTS_FOLDER = _env("REPORTS_FOLDER", str(BASE_DIR / "instance" / "reports"))
        self.RATELIMIT_STORAGE_URI = _env("RATELIMIT_STORAGE_URI", "memory://")
        # Redis restarting must not turn every page into a 500: count in memory meanwhile.
        self.RATELIMIT_SWALLOW_ERRORS = True
        self.RATELIMIT_IN_MEMORY_FALLBACK_ENABLED = True
        self.RATELIMIT_DEFAULT = _env("RATELIMIT_DEFAULT", "600 per hour")
        self.TRUSTED_PROXIES = int(_env_number("TRUSTED_PROXIES", 0))
        self.LOG_LEVEL = _env("LOG_LEVEL", "INFO")
        # Staff sign-in: failed passwords before an account locks, and for how long.
        self.LOGIN_MAX_FAILURES = int(_env_number("LOGIN_MAX_FAILURES", 5))
        self.LOGIN_LOCKOUT_MINUTES = int(_env_number("LOGIN_LOCKOUT_MINUTES", 15))
        # Sign-in attempts per client address (Flask-Limiter syntax).
        self.LOGIN_RATE_LIMIT = _env("LOGIN_RATE_LIMIT", "10 per minute;50 per hour")
        # How long an invitation link to set a password stays valid.
        self.INVITE_TTL_HOURS = int(_env_number("INVITE_TTL_HOURS", 72))
        # Shortest staff password accepted.
        self.PASSWORD_MIN_LENGTH = int(_env_number("PASSWORD_MIN_LENGTH", 12))
        # Days an agency has to respond to a hotspot whose category sets no service level.
        self.SERVICE_LEVEL_DEFAULT_DAYS = int(_env_number("SERVICE_LEVEL_DEFAULT_DAYS", 30))
        # Residents' data kept this many days after their case closed (as Amsterdam's
        # Signalen does): the phone number, the words of texts and reports (then kept only
        # redacted) and photos. Counts, categories, places and timelines stay.
        self.RETENTION_PHONE_DAYS = int(_env_number("RETENTION_PHONE_DAYS", 180))
        self.RETENTION_TEXT_DAYS = int(_env_number("RETENTION_TEXT_DAYS", 180))
        self.RETENTION_PHOTO_DAYS = int(_env_number("RETENTION_PHOTO_DAYS", 180))
        # `flask scheduler`: seconds between purges of residents' data past retention.
        self.SCHEDULE_PURGE_S = int(_env_number("SCHEDULE_PURGE_S", 3600))
        # Prometheus scrapes /ops/metrics with this bearer token; unset: no endpoint (404).
        self.OPS_METRICS_TOKEN = _env("OPS_METRICS_TOKEN")
        # `text` (a line per record) or `json` (one object per line, with the request id).
        self.LOG_FORMAT = _env("LOG_FORMAT", "text")

    def validate(self) -> None:
        """Refuse settings that would be unsafe in this environment."""


class DevelopmentConfig(Config):
    pass


class TestingConfig(Config):
    ENV_NAME = "testing"
    TESTING = True

    def __init__(self) -> None:
        super().__init__()
        self.SECRET_KEY = "testing-secret-key"  # noqa: S105 - tests only
        self.SQLALCHEMY_DATABASE_URI = _env("DATABASE_URL", "sqlite://")
        self.REDIS_URL = None
        self.RATELIMIT_ENABLED = False
        self.CLUSTER_DEBOUNCE_S = 0  # tests with a worker expect the re-cluster straight away


class ProductionConfig(Config):
    ENV_NAME = "production"
    SESSION_COOKIE_SECURE = True
    REMEMBER_COOKIE_SECURE = True
    REMEMBER_COOKIE_HTTPONLY = True  # the remember-me cookie is never readable by scripts
    REMEMBER_COOKIE_SAMESITE = "Lax"  # nor sent on another site's form posts
    PREFERRED_URL_SCHEME = "https"

    def __init__(self) -> None:
        super().__init__()
        self.SECRET_KEY = _env("SECRET_KEY")
        self.SQLALCHEMY_DATABASE_URI = _env("DATABASE_URL")
        # Rate limits must hold across every web process: keep the counts in Redis.
        self.RATELIMIT_STORAGE_URI = _env("RATELIMIT_STORAGE_URI", self.REDIS_URL or "memory://")
        # Production runs behind TLS: browsers keep to https for two years.
        self.HSTS_MAX_AGE = int(_env_number("HSTS_MAX_AGE", 63072000))

    def validate(self) -> None:
        problems = []
        if not self.SECRET_KEY or len(self.SECRET_KEY) < 32:
            problems.append("SECRET_KEY must be set to a random string of 32 or more characters")
        uri = self.SQLALCHEMY_DATABASE_URI or ""
        if not uri.startswith("postgresql"):
            problems.append("DATABASE_URL must point at PostgreSQL (postgresql+psycopg://...)")
        if not self.REDIS_URL:
            problems.append(
                "REDIS_URL must be set: background jobs run on RQ workers, not in requests"
            )
        if self.RATELIMIT_STORAGE_URI.startswith("memory://"):
            problems.append("RATELIMIT_STORAGE_URI must be shared by every process (redis://...)")
        problems += _phone_key_problems(self.PHONE_ENCRYPTION_KEY, self.PHONE_HASH_KEY)
        if problems:
            raise ConfigError("Production settings refused: " + "; ".join(problems))


def _phone_key_problems(encryption_key: str | None, hash_key: str | None) -> list[str]:
    """Production keeps phone keys apart from SECRET_KEY, so rotating it loses no number."""
    problems = []
    try:
        from cryptography.fernet import Fernet

        Fernet(encryption_key or "")
    except (ValueError, TypeError):
        problems.append(
            "PHONE_ENCRYPTION_KEY must be a Fernet key (python -c 'from cryptography.fernet "
            "import Fernet; print(Fernet.generate_key().decode())')"
        )
    if not hash_key or len(hash_key) < 32:
        problems.append("PHONE_HASH_KEY must be a random string of 32 or more characters")
    return problems


CONFIGS: dict[str, type[Config]] = {
    "development": DevelopmentConfig,
    "testing": TestingConfig,
    "production": ProductionConfig,
}


def config_for(name: str | None) -> Config:
    """The settings for APP_ENV (default development), read from the environment now."""
    key = (name or "development").lower()
    if key not in CONFIGS:
        raise ConfigError(f"APP_ENV must be one of {', '.join(CONFIGS)}, got {name!r}")
    return CONFIGS[key]()
