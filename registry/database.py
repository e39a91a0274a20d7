"""Engine tuning and the write-transaction door.

SQLite under several gunicorn workers: WAL lets readers run beside one writer, the busy
timeout makes writers queue, and write transactions begin IMMEDIATE. A deferred transaction
that reads and then writes cannot wait for the lock (SQLite would risk a deadlock) and fails at
once with "database is locked", whatever the timeout.
"""

from sqlalchemy import Engine, event

from registry.extensions import db

_IMMEDIATE = "registry_begin_immediate"


def configure_engine(engine: Engine, busy_timeout_ms: int) -> None:
    if engine.dialect.name != "sqlite":
        return

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection, _record) -> None:
        # Hand transaction control to SQLAlchemy's begin event below.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute(f"PRAGMA busy_timeout = {int(busy_timeout_ms)}")
        cursor.execute("PRAGMA journal_mode = WAL")
        cursor.execute("PRAGMA synchronous = NORMAL")
        cursor.execute("PRAGMA foreign_keys = ON")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection) -> None:
        immediate = connection.get_execution_options().get(_IMMEDIATE)
        connection.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")


def begin_write() -> None:
    """Start the session's write transaction; call before the first read of a write use case.

    Ends any read-only transaction the request had open (loading the signed-in user, say):
    on SQLite a deferred transaction cannot later be upgraded safely.
    """
    session = db.session()
    if session.in_transaction():
        session.rollback()
    session.connection(execution_options={_IMMEDIATE: True})

