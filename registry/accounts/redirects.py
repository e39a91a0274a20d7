"""Where to send someone after signing in: only ever a path on this site."""

from urllib.parse import urlsplit

_UNSAFE = set("\\\r\n\t") | {chr(c) for c in range(32)}


def safe_next(target: str | None, default: str) -> str:
    # Browsers read "/\evil.example" and "//evil.example" as other hosts; a path must start
    # with exactly one slash, carry no scheme or host, and no backslash or control character.
    if not target or not target.startswith("/") or target.startswith("//"):
        return default
    if any(ch in _UNSAFE for ch in target):
        return default
    parts = urlsplit(target)
    if parts.scheme or parts.netloc:
        return default
    return target
