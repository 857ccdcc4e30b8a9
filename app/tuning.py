"""Process-level tuning that the latency tail needs (measured: see bench/RESULTS.md).

Two stalls dominated p99: Python's cyclic garbage collector walking every long-lived object,
and SQLite WAL checkpoints running inside a COMMIT. Both are moved off the request path.
"""

from __future__ import annotations

import gc
import logging
import threading

from sqlalchemy import Engine, text

log = logging.getLogger("nextdesk.tuning")


def quiet_garbage_collector() -> None:
    """Freeze what start-up allocated and collect young objects less often."""
    gc.collect()
    gc.freeze()
    gc.set_threshold(50_000, 50, 100)


class WalCheckpointer:
    """Checkpoints the SQLite WAL every ``interval`` seconds from its own thread.

    The write engine sets ``wal_autocheckpoint=0`` so that no COMMIT ever pays for a checkpoint.
    PASSIVE never blocks writers or readers; it copies what it can.
    """

    def __init__(self, engine: Engine, interval: float = 0.25) -> None:
        self.engine = engine
        self.interval = interval
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="nextdesk-checkpoint", daemon=True)

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        self._thread.join(timeout=5)
        self._checkpoint("TRUNCATE")

    def alive(self) -> bool:
        return self._thread.is_alive()

    def _checkpoint(self, mode: str) -> None:
        try:
            with self.engine.connect() as connection:
                connection.exec_driver_sql(f"PRAGMA wal_checkpoint({mode})")
        except Exception:  # a missed checkpoint is retried next tick; never fatal
            log.warning("WAL checkpoint failed", exc_info=True)

    def _run(self) -> None:
        while not self._stop.wait(self.interval):
            self._checkpoint("PASSIVE")


def wal_checkpointer(engine: Engine) -> WalCheckpointer | None:
    if engine.dialect.name != "sqlite":
        return None
    with engine.connect() as connection:
        if connection.execute(text("PRAGMA journal_mode")).scalar() != "wal":
            return None
    return WalCheckpointer(engine)
