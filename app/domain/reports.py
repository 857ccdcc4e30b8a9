"""Reports for the back office: which stage is slow, late, silent, and makes customers call."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime

from app.domain.stats import median, percentile, share

StageId = tuple[str, str]  # (flow, stage key)


@dataclass(frozen=True)
class StageInfo:
    flow: str
    stage: str
    name: str
    department: str
    planned_minutes: int | None = None


@dataclass(frozen=True)
class FinishedStage:
    info: StageInfo
    started_at: datetime
    finished_at: datetime

    @property
    def minutes(self) -> float:
        return (self.finished_at - self.started_at).total_seconds() / 60

    @property
    def late(self) -> bool:
        planned = self.info.planned_minutes
        return planned is not None and self.minutes > planned


@dataclass(frozen=True)
class Call:
    """An inquiry or complaint; ``info`` is None when nobody attributed it to a stage."""

    info: StageInfo | None
    category: str
    channel: str


@dataclass
class StageFigures:
    flow: str | None
    stage: str | None
    name: str | None
    department: str | None
    planned_minutes: int | None
    finished: int
    median_minutes: float | None
    p90_minutes: float | None
    late: int
    late_share: float | None
    overdue_lapses: int
    inquiries: int
    complaints: int


@dataclass
class CallFigures:
    flow: str | None
    stage: str | None
    name: str | None
    department: str | None
    inquiries: int
    complaints: int
    total: int
    share: float
    channels: dict[str, int] = field(default_factory=dict)


@dataclass
class _Bucket:
    durations: list[float] = field(default_factory=list)
    late: int = 0
    lapses: int = 0
    calls: Counter[str] = field(default_factory=Counter)
    channels: Counter[str] = field(default_factory=Counter)


def _round(value: float | None) -> float | None:
    return None if value is None else round(value, 1)


def _figures(info: StageInfo | None, department: str | None, bucket: _Bucket) -> StageFigures:
    finished = len(bucket.durations)
    return StageFigures(
        flow=info.flow if info else None,
        stage=info.stage if info else None,
        name=info.name if info else None,
        department=department,
        planned_minutes=info.planned_minutes if info else None,
        finished=finished,
        median_minutes=_round(median(bucket.durations)),
        p90_minutes=_round(percentile(bucket.durations, 0.9)),
        late=bucket.late,
        late_share=share(bucket.late, finished),
        overdue_lapses=bucket.lapses,
        inquiries=bucket.calls["inquiry"],
        complaints=bucket.calls["complaint"],
    )


def stage_figures(
    stages: Iterable[StageInfo],
    finished: Iterable[FinishedStage],
    lapses: Iterable[StageInfo],
    calls: Iterable[Call],
) -> tuple[list[StageFigures], list[StageFigures]]:
    """Per stage and per department: durations (median, p90), lateness, lapses, calls.

    Every known stage gets a row, even a quiet one: a stage that never makes anyone call is news too.
    """
    infos: dict[StageId, StageInfo] = {(s.flow, s.stage): s for s in stages}
    by_stage: dict[StageId, _Bucket] = defaultdict(_Bucket)
    by_department: dict[str, _Bucket] = defaultdict(_Bucket)
    for key in infos:
        by_stage[key] = _Bucket()
    for done in finished:
        key = (done.info.flow, done.info.stage)
        infos.setdefault(key, done.info)
        for bucket in (by_stage[key], by_department[done.info.department]):
            bucket.durations.append(done.minutes)
            bucket.late += int(done.late)
    for lapse in lapses:
        key = (lapse.flow, lapse.stage)
        infos.setdefault(key, lapse)
        by_stage[key].lapses += 1
        by_department[lapse.department].lapses += 1
    for call in calls:
        if call.info is None:
            continue
        key = (call.info.flow, call.info.stage)
        infos.setdefault(key, call.info)
        by_stage[key].calls[call.category] += 1
        by_department[call.info.department].calls[call.category] += 1
    for info in infos.values():
        by_department.setdefault(info.department, _Bucket())
    stage_rows = [_figures(infos[k], infos[k].department, by_stage[k]) for k in sorted(by_stage)]
    department_rows = [_figures(None, d, by_department[d]) for d in sorted(by_department)]
    return stage_rows, department_rows


def call_figures(calls: Iterable[Call]) -> tuple[list[CallFigures], list[CallFigures]]:
    """Calls per stage and per department, most calls first."""
    calls = list(calls)
    total = len(calls)
    by_stage: dict[StageId | None, _Bucket] = defaultdict(_Bucket)
    by_department: dict[str | None, _Bucket] = defaultdict(_Bucket)
    infos: dict[StageId | None, StageInfo | None] = {None: None}
    for call in calls:
        key = (call.info.flow, call.info.stage) if call.info else None
        infos.setdefault(key, call.info)
        department = call.info.department if call.info else None
        for bucket in (by_stage[key], by_department[department]):
            bucket.calls[call.category] += 1
            bucket.channels[call.channel] += 1

    def row(info: StageInfo | None, department: str | None, bucket: _Bucket) -> CallFigures:
        count = bucket.calls.total()
        return CallFigures(
            flow=info.flow if info else None,
            stage=info.stage if info else None,
            name=info.name if info else None,
            department=department,
            inquiries=bucket.calls["inquiry"],
            complaints=bucket.calls["complaint"],
            total=count,
            share=round(count / total, 4) if total else 0.0,
            channels=dict(sorted(bucket.channels.items())),
        )

    stage_rows = []
    for key, bucket in by_stage.items():
        info = infos[key]
        stage_rows.append(row(info, info.department if info else None, bucket))
    department_rows = [row(None, d, b) for d, b in by_department.items()]

    def most_first(r: CallFigures) -> tuple[int, int, str]:
        return (-r.total, -r.complaints, r.stage or r.department or "~")

    return sorted(stage_rows, key=most_first), sorted(department_rows, key=most_first)
