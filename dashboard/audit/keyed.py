"""The two keyed digests of the audit log (HMAC-SHA256 with the audit key, settings.audit_key()).

- The head seal: anyone can recompute an entry's SHA-256, so the chain alone cannot tell a forged
  appended entry, or a cut tail with the head moved back, from a real one. The seal over the head's
  (last id, last hash) can only be made with the key.
- Typed values: what an unauthenticated user typed (a username that may be someone's email) is stored
  only as its digest, so it never becomes personal data in a log that cannot be edited. Equal typed
  values give equal digests, so repeated failures for one name can still be counted.
The two carry different prefixes, so a digest of one kind can never stand for the other.
"""

from __future__ import annotations

import hashlib
import hmac


def seal_head(key: bytes, last_id: int, last_hash: str) -> str:
    return hmac.new(key, f"audit-head:{last_id}:{last_hash}".encode(), hashlib.sha256).hexdigest()


def typed_digest(key: bytes, typed: str) -> str:
    """Digest of a typed username, normalised as sign-in normalises it (trimmed, lower case)."""
    return hmac.new(key, f"typed:{typed.strip().lower()}".encode(), hashlib.sha256).hexdigest()


def seal_matches(key: bytes, last_id: int, last_hash: str, seal: str) -> bool:
    return hmac.compare_digest(seal_head(key, last_id, last_hash), seal)
