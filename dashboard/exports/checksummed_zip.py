"""A zip whose files are listed with their SHA-256 in SHA256SUMS (`sha256sum -c` format): the one way the
evidence package and the access package are written. Fixed entry times make the same files give the
same bytes."""

from __future__ import annotations

import hashlib
import io
import zipfile

FIXED_TIME = (2026, 1, 1, 0, 0, 0)


def checksummed_zip(files: dict[str, bytes]) -> tuple[bytes, dict[str, str]]:
    """(zip bytes, name -> sha256 of every file but SHA256SUMS itself)."""
    sums = {name: hashlib.sha256(body).hexdigest() for name, body in files.items()}
    listing = "".join(f"{digest}  {name}\n" for name, digest in sums.items()).encode()
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, body in {**files, "SHA256SUMS": listing}.items():
            archive.writestr(zipfile.ZipInfo(name, FIXED_TIME), body, zipfile.ZIP_DEFLATED)
    return buffer.getvalue(), sums
