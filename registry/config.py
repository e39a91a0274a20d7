"""Defaults; deployments override them with REGISTRY_* environment variables."""

from datetime import timedelta
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent


class Defaults:
    SECRET_KEY: str | None = None
    DATABASE_URL: str | None = None  # None: a SQLite file under instance/
    INDEX_DIR: str | None = None
    UPLOAD_DIR: str | None = None
    ASSETS_DIR = str(PROJECT_ROOT / "node_modules")
    CONTENT_DIR = str(PROJECT_ROOT / "content")

    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    SESSION_COOKIE_SECURE = True
    REMEMBER_COOKIE_HTTPONLY = True
    REMEMBER_COOKIE_SAMESITE = "Lax"
    REMEMBER_COOKIE_SECURE = True
    SESSION_ABSOLUTE_LIFETIME = timedelta(hours=12)
    SESSION_IDLE_TIMEOUT = timedelta(hours=1)
    REMEMBER_COOKIE_DURATION = timedelta(hours=12)
    PERMANENT_SESSION_LIFETIME = timedelta(hours=12)

    LOGIN_FAILURE_WINDOW = timedelta(minutes=15)
    LOGIN_FAILURES_PER_ACCOUNT = 5
    LOGIN_FAILURES_PER_ADDRESS = 50

    # argon2-cffi's defaults (RFC 9106 low-memory profile); tests pass cheaper ones.
    PASSWORD_HASH_PARAMETERS: dict = {}

    SQLITE_BUSY_TIMEOUT_MS = 15_000
    PROJECTS_PER_PAGE = 20
    SEARCH_TIME_LIMIT = 0.5  # seconds; a slower query returns its best results so far
    # A 20 MB tool (tools/filetypes.MAX_UPLOAD_BYTES) and its form; bigger is refused (413).
    MAX_CONTENT_LENGTH = 21 * 1024 * 1024
    WTF_CSRF_TIME_LIMIT = None  # the session already expires; a long edit must not lose its token
