"""Secrets of `docgen serve`: unit tokens, office passwords, CSRF tokens, rate limits, headers.

- A unit's token is 24 random bytes (192 bits) from `secrets`, URL-safe; only its SHA-256 is stored.
- A password is hashed with scrypt (hashlib, n=2**14, r=8, p=1, 16-byte salt), stored as
  ``scrypt$n$r$p$salt$hash``; checked in constant time.
- CSRF: every form carries HMAC-SHA256(secret, cookie value + form scope); the cookie is a random
  value set HttpOnly, SameSite=Strict (Secure over HTTPS). A form posted without the cookie, or
  with a field that does not match, is refused (403).
- Rate limits: failed token and password guesses per client address in a sliding window; after
  the limit, further guesses get 429 until the window has passed.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
import threading
import time
from collections import deque

TOKEN_BYTES = 24
SCRYPT = {"n": 2**14, "r": 8, "p": 1}
CSP = ("default-src 'none'; style-src 'self'; img-src 'self' data:; form-action 'self'; "
       "frame-ancestors 'none'; base-uri 'none'")
HEADERS = {
    "content-security-policy": CSP,
    "x-content-type-options": "nosniff",
    "x-frame-options": "DENY",
    "referrer-policy": "no-referrer",
    "cross-origin-opener-policy": "same-origin",
    "cross-origin-resource-policy": "same-origin",
    "permissions-policy": "camera=(), microphone=(), geolocation=()",
    "cache-control": "no-store",
}


def new_token() -> str:
    return secrets.token_urlsafe(TOKEN_BYTES)


def digest(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8", "surrogatepass")).hexdigest()


def looks_like_token(text: str) -> bool:
    """A token has 32 URL-safe characters; anything else is refused before any lookup."""
    return len(text) == 32 and all(c.isascii() and (c.isalnum() or c in "-_") for c in text)


def hash_password(password: str, salt: bytes | None = None) -> str:
    salt = salt or secrets.token_bytes(16)
    key = hashlib.scrypt(password.encode("utf-8"), salt=salt, **SCRYPT, dklen=32)
    enc = lambda b: base64.b64encode(b).decode("ascii")  # noqa: E731
    return f"scrypt${SCRYPT['n']}${SCRYPT['r']}${SCRYPT['p']}${enc(salt)}${enc(key)}"


_DUMMY = None


def check_password(password: str, stored: str | None) -> bool:
    """Whether `password` matches `stored`; with no account, a dummy hash is computed anyway so that
    timing does not tell which account names exist."""
    global _DUMMY
    if stored is None:
        _DUMMY = _DUMMY or hash_password("docgen")
        stored, ok = _DUMMY, False
    else:
        ok = True
    try:
        scheme, n, r, p, salt, key = stored.split("$")
        if scheme != "scrypt":
            return False
        got = hashlib.scrypt(password.encode("utf-8", "surrogatepass"), salt=base64.b64decode(salt), n=int(n),
                             r=int(r), p=int(p), dklen=32)
    except (ValueError, TypeError):
        return False
    return hmac.compare_digest(got, base64.b64decode(key)) and ok


def csrf_value(secret: str, cookie: str, scope: str) -> str:
    return hmac.new(secret.encode(), f"{cookie}|{scope}".encode("utf-8", "surrogatepass"), hashlib.sha256).hexdigest()


def csrf_ok(secret: str, cookie: str | None, scope: str, given: str | None) -> bool:
    if not cookie or not given or len(cookie) > 100 or len(given) > 100:
        return False
    return hmac.compare_digest(csrf_value(secret, cookie, scope), given)


class RateLimit:
    """At most `limit` failures per `window` seconds per key (a client address, an account)."""

    def __init__(self, limit: int, window: float):
        self.limit, self.window = limit, window
        self._hits: dict[str, deque] = {}
        self._lock = threading.Lock()

    def _recent(self, key: str, now: float) -> deque:
        hits = self._hits.setdefault(key, deque())
        while hits and hits[0] <= now - self.window:
            hits.popleft()
        return hits

    def blocked(self, key: str) -> bool:
        with self._lock:
            return len(self._recent(key, time.monotonic())) >= self.limit

    def fail(self, key: str) -> None:
        with self._lock:
            now = time.monotonic()
            self._recent(key, now).append(now)
            if len(self._hits) > 100_000:  # forget the oldest addresses rather than grow without bound
                for old in list(self._hits)[:50_000]:
                    del self._hits[old]
