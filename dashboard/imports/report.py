"""What an import read, stored and rejected, and why: the same shape for every kind of file."""

from __future__ import annotations

from dataclasses import dataclass, field, replace

ERRORS_KEPT = 1_000  # rejections kept with their reasons (and stored as rejected rows); the rest are counted
REASON_MAX = 500  # characters of a reason kept: a reason may repeat a cell, and a cell may be 64 KiB


class FileRefused(ValueError):
    """The file as a whole cannot be read (encoding, shape, missing columns): nothing of it is imported."""


@dataclass(frozen=True)
class RowError:
    """One rejected row: where it is (file, line), which field, and what is wrong."""

    source: str
    line: int
    field: str | None
    reason: str
    raw: str | None = None

    def __str__(self) -> str:
        where = f"{self.source}:{self.line}" + (f": {self.field}" if self.field else "")
        return f"{where}: {self.reason}"


@dataclass
class ImportReport:
    """read = stored + updated + unchanged + rejected, always; duplicates (already stored, or twice
    in the file) are among the rejected. Small imports give each duplicate its own error row; log
    ingest only counts them (`duplicates_listed` False), so that re-reading a 20-million-line file
    does not write 20 million rejected rows. Importers that can update (`can_update`) report
    `updated`: rows whose natural key is stored and whose values changed it (a person's new email; a
    suppression list's honoured_at for a pending opt-out). Importers that upsert (`upserts`) also
    report `unchanged`: rows whose key is stored with the same values, so that a re-import is
    idempotent rather than rejected; the others' counts keep their shape. Only the first ERRORS_KEPT
    rejections are kept with their reasons (`reject`); the counts stay exact."""

    source: str
    read: int = 0
    stored: int = 0
    duplicates: int = 0
    errors: list[RowError] = field(default_factory=list)
    batch_id: int | None = None
    dry_run: bool = False
    duplicates_listed: bool = True
    updated: int = 0
    unchanged: int = 0
    can_update: bool = False
    upserts: bool = False
    errors_unlisted: int = 0  # rejections past the first ERRORS_KEPT: counted, not kept

    def reject(self, error: RowError) -> None:
        """Keep the first ERRORS_KEPT rejections, count every one: memory stays flat on a file of
        bad lines."""
        if len(self.errors) >= ERRORS_KEPT:
            self.errors_unlisted += 1
            return
        if len(error.reason) > REASON_MAX:
            error = replace(error, reason=error.reason[:REASON_MAX] + "...")
        self.errors.append(error)

    @property
    def rejected(self) -> int:
        return len(self.errors) + self.errors_unlisted + (0 if self.duplicates_listed else self.duplicates)

    def counts(self) -> dict[str, int]:
        updated = {"updated": self.updated} if self.can_update else {}
        updated |= {"unchanged": self.unchanged} if self.upserts else {}
        return {
            "read": self.read,
            "stored": self.stored,
            **updated,
            "rejected": self.rejected,
            "duplicates": self.duplicates,
        }
