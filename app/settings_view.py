"""The slice of settings that use cases read, so they need not import the whole configuration."""

from __future__ import annotations

from dataclasses import dataclass
from zoneinfo import ZoneInfo

from app.config import Settings
from app.domain.significance import Significance


@dataclass(frozen=True)
class ViewSettings:
    zone: ZoneInfo
    significance: Significance
    source: str = "/nextdesk"
    #: Finished stages needed before learned durations replace the plan.
    learned_min_samples: int = 20

    @classmethod
    def from_settings(cls, settings: Settings) -> ViewSettings:
        return cls(
            zone=settings.zone,
            significance=Significance(
                settings.significant_eta_minutes, settings.significant_cost_percent, settings.zone
            ),
            source=settings.public_source,
            learned_min_samples=settings.learned_min_samples,
        )
