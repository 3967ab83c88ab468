"""The reference an erased person's tombstone keeps instead of their user id, so that an import can recognise
the user id as erased without the database holding it.

An erasure replaces people.external_ref (the billing platform's user id) by a keyed digest of it: HMAC-SHA256
with the audit key (settings.audit_key), so that nobody without the key can test guessed user ids against it.
A people import computes the digest of each new user id and refuses the row if a tombstone holds it: the
billing platform may still export the account, and re-creating the person would undo the erasure (GDPR
Art. 17(1); CCPA 1798.105(c)). People erased before this rule keep `erased-<id>` and are not recognised.
A new audit key (a rotation) makes earlier tombstones unrecognisable too: rotate it only with that in mind.
"""

from __future__ import annotations

import hashlib
import hmac

from dashboard.settings import audit_key

PREFIX = "erased:"
DIGITS = 56  # 7 + 56 = 63 characters, within people.external_ref's 64 (224 bits: no two user ids collide)


def erased_reference(user_id: str) -> str:
    digest = hmac.new(audit_key(), f"erased-user-id:{user_id}".encode(), hashlib.sha256).hexdigest()
    return PREFIX + digest[:DIGITS]
