"""Engine and sessions for the database named by DATABASE_URL (read by dashboard.settings).

SQLite (the embedded default) gets WAL and secure_delete switched on for every connection and foreign keys at
every checkout, because SQLite leaves them off unless asked. Its file holds every person's data, so it and its
-wal/-shm/-journal files are kept readable by their owner only (0600), and a directory made for it 0700.
A writer waits BUSY_TIMEOUT_MS for another's lock on either engine, then gets DatabaseBusy (data_access.busy).
"""

from __future__ import annotations

import os
import stat
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session, sessionmaker

from dashboard.settings import get_settings
from data_access.busy import busy_as_domain_error

PROJECT_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DATA_DIR = PROJECT_ROOT / "data"
DEFAULT_URL = f"sqlite:///{DEFAULT_DATA_DIR / 'compliance.db'}"
# How long a writer waits for another's lock before DatabaseBusy (SQLite busy_timeout, PostgreSQL
# lock_timeout):
# long enough for the short writes of pages and sign-ins, short enough that a user waiting behind an
# import is told "busy, try again" well before a browser or proxy gives up.
BUSY_TIMEOUT_MS = 5_000
PRIVATE_FILE_MODE, PRIVATE_DIR_MODE = 0o600, 0o700
SQLITE_SIDECARS = ("-wal", "-shm", "-journal")


def database_url() -> str:
    """The URL in force: DATABASE_URL, else a SQLite file under data/."""
    return get_settings().database_url or DEFAULT_URL


def describe_url(url: str) -> str:
    """A label for the sidebar: engine and database, never the password."""
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        return f"SQLite · {Path(parsed.database or ':memory:').name}"
    return f"PostgreSQL · {parsed.host or 'socket'}/{parsed.database}"


def _sqlite_pragmas(dbapi_connection, _record) -> None:  # type: ignore[no-untyped-def]
    """secure_delete: deleted and overwritten content is zeroed in its page rather than left in free
    space, so an erasure leaves no copy in the file (the WAL is emptied after it:
    data_access.erasure.scrub_after_erasure)."""
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
    cursor.execute("PRAGMA secure_delete=ON")
    cursor.close()


def _prepare_private_file(path: Path) -> None:
    """Create the directory (0700) and an empty database file (0600) before SQLite opens it: SQLite
    would create the file with the umask's mode, usually 0644, readable by every local user, and it
    gives the -wal, -shm and -journal files it creates later the database file's mode. An empty file
    is a valid empty database."""
    if not path.parent.exists():
        path.parent.mkdir(mode=PRIVATE_DIR_MODE, parents=True, exist_ok=True)
    elif path.parent == DEFAULT_DATA_DIR:  # ours: made 0700 by this code, or 0755 by an older version
        _restrict(path.parent, PRIVATE_DIR_MODE)
    try:
        os.close(os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, PRIVATE_FILE_MODE))
    except FileExistsError:
        pass


def _restrict(path: Path, mode: int) -> None:
    """chmod to `mode` when the file is ours and grants more; someone else's file is left to its owner."""
    try:
        info = path.stat()
    except FileNotFoundError:
        return
    if info.st_uid == os.getuid() and stat.S_IMODE(info.st_mode) & ~mode:
        path.chmod(mode)


def _private_files(path: Path) -> Callable[[Any, Any], None]:
    """Connect listener: a database created world-readable by an older version is made private when opened."""

    def restrict(_dbapi_connection: Any, _record: Any) -> None:
        for file in (path, *(path.with_name(path.name + suffix) for suffix in SQLITE_SIDECARS)):
            _restrict(file, PRIVATE_FILE_MODE)

    return restrict


def _enforce_foreign_keys(dbapi_connection, _record, _proxy) -> None:  # type: ignore[no-untyped-def]
    """Every checkout starts with foreign keys enforced, whatever the connection's last transaction
    switched off (data_access.bulk.skip_foreign_key_checks); a connection comes back to the pool
    outside any transaction, where the pragma takes effect."""
    dbapi_connection.execute("PRAGMA foreign_keys=ON")


def make_engine(url: str | None = None, **kwargs: object) -> Engine:
    """Create an engine for `url` (default: database_url()), with SQLite set up properly."""
    url = url or database_url()
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        engine = create_engine(url, **kwargs)  # type: ignore[arg-type]
        if parsed.database and parsed.database != ":memory:":
            path = Path(parsed.database).resolve()
            _prepare_private_file(path)
            event.listen(engine, "connect", _private_files(path))
        event.listen(engine, "connect", _sqlite_pragmas)
        event.listen(engine, "checkout", _enforce_foreign_keys)
    else:
        if parsed.drivername in ("postgresql", "postgres"):
            url = parsed.set(drivername="postgresql+psycopg").render_as_string(hide_password=False)
        connect_args = dict(kwargs.pop("connect_args", None) or {})  # type: ignore[call-overload]
        connect_args["options"] = (
            f"-c lock_timeout={BUSY_TIMEOUT_MS} {connect_args.get('options', '')}".strip()
        )
        engine = create_engine(url, pool_pre_ping=True, connect_args=connect_args, **kwargs)  # type: ignore[arg-type]
    event.listen(engine, "handle_error", busy_as_domain_error, retval=True)
    return engine


def session_factory(engine: Engine) -> sessionmaker[Session]:
    """Sessions that keep loaded values after commit, so results can leave the transaction."""
    return sessionmaker(engine, expire_on_commit=False)


@contextmanager
def transaction(engine: Engine) -> Iterator[Session]:
    """One unit of work: commit on success, roll back on any error (the caller owns it)."""
    with session_factory(engine)() as session, session.begin():
        yield session


_AFTER_COMMIT = "after_commit_actions"


def after_commit(session: Session, action: Callable[[], None]) -> None:
    """Run `action` once the session's outermost transaction has committed; forget it if it rolls
    back. For work that cannot run inside the transaction (VACUUM) or must see it committed (a WAL
    checkpoint)."""
    session.info.setdefault(_AFTER_COMMIT, []).append(action)


@event.listens_for(Session, "after_commit")
def _run_after_commit(session: Session) -> None:
    if session.in_nested_transaction():  # a savepoint released: the outer transaction may still roll back
        return
    for action in session.info.pop(_AFTER_COMMIT, []):
        action()


@event.listens_for(Session, "after_soft_rollback")
def _forget_after_rollback(session: Session, previous_transaction: Any) -> None:
    if previous_transaction.parent is None:
        session.info.pop(_AFTER_COMMIT, None)
