"""What a running service holds: settings, database, the writer, the clock."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from app.clock import Clock
from app.config import Settings
from app.db import Database
from app.settings_view import ViewSettings
from app.writer import Writer


@dataclass
class AppContext:
    settings: Settings
    db: Database
    writer: Writer
    clock: Clock
    view: ViewSettings
    #: Background components (fan-out, dispatcher, sweeper) register themselves here by name.
    components: dict[str, Any] = field(default_factory=dict)
