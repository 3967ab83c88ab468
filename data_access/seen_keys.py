"""The natural keys an import has read so far and the line of each, in bounded memory (issue 23 item 2).

A dry run cannot ask the database whether a row repeats an earlier row of the same file (nothing was
written), so the import remembers each key and its line. Held in a dict up to IN_MEMORY keys, then
moved to a temporary SQLite file on disk (deleted when closed): a 200 MB file of a million rows no
longer holds a million keys in memory.
"""

from __future__ import annotations

import sqlite3
import tempfile

IN_MEMORY = 100_000


class SeenKeys:
    """key -> first line; `line_of` answers from memory or the spilled file."""

    def __init__(self, in_memory: int = IN_MEMORY) -> None:
        self.recent: dict[str, int] = {}
        self.in_memory = in_memory
        self.spilled: sqlite3.Connection | None = None

    def line_of(self, key: str) -> int | None:
        line = self.recent.get(key)
        if line is None and self.spilled is not None:
            row = self.spilled.execute("SELECT line FROM seen WHERE key = ?", (key,)).fetchone()
            line = None if row is None else int(row[0])
        return line

    def add(self, key: str, line: int) -> None:
        self.recent[key] = line
        if len(self.recent) >= self.in_memory:
            self._spill()

    def close(self) -> None:
        if self.spilled is not None:
            self.spilled.close()
            self.spilled = None

    def _spill(self) -> None:
        if self.spilled is None:
            handle = tempfile.NamedTemporaryFile(prefix="import-keys-", suffix=".db", delete=True)  # noqa: SIM115
            self.spilled = sqlite3.connect(handle.name)
            handle.close()  # the name goes; SQLite's open file stays until closed (POSIX)
            self.spilled.execute("PRAGMA journal_mode=OFF")
            self.spilled.execute("PRAGMA cache_size=-8000")
            self.spilled.execute("CREATE TABLE seen (key TEXT PRIMARY KEY, line INTEGER) WITHOUT ROWID")
        self.spilled.executemany("INSERT OR IGNORE INTO seen VALUES (?, ?)", self.recent.items())
        self.recent.clear()
