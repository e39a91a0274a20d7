"""Where to send someone after signing in: only ever a path on this site."""

from urllib.parse import unquote, urlsplit

_UNSAFE = set("\\\r\n\t") | {chr(c) for c in range(32)}


def safe_next(target: str | None, default: str) -> str:
    # Browsers read "/\evil.example" and "//evil.example" as other hosts; a path must start
    # with exactly one slash, carry no scheme or host, and no backslash or control character,
    # also once percent-decoded ("/%5Cevil.example"), in case anything decodes it on the way.
    if not target or not all(_is_local_path(form) for form in (target, unquote(target))):
        return default
    return target


def _is_local_path(target: str) -> bool:
    if not target.startswith("/") or target.startswith("//"):
        return False
    if any(ch in _UNSAFE for ch in target):
        return False
    parts = urlsplit(target)
    return not (parts.scheme or parts.netloc)
