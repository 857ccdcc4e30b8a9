"""Reports over a period: stage durations, lateness, silences, and the calls each stage causes."""

from __future__ import annotations

from collections import Counter
from dataclasses import asdict

from app.db import Session
from app.domain.period import Period as PeriodRange
from app.domain.reports import Call, FinishedStage, StageInfo, call_figures, stage_figures
from app.models.desk import (
    InquiryReport,
    InquiryReportRow,
    Period,
    StageReport,
    StageReportRow,
)
from app.repositories import flows as configured
from app.repositories import inquiries
from app.repositories.orders import reports as history
from app.services.flows import definition_of


def _known_stages(session: Session) -> dict[tuple[str, str], StageInfo]:
    infos: dict[tuple[str, str], StageInfo] = {}
    for flow in configured.flows(session):
        definition = definition_of(flow)
        for key in definition.order:
            spec = definition.stages[key]
            infos[(flow.key, key)] = StageInfo(
                flow.key, key, spec.name, spec.department, spec.planned_minutes
            )
    return infos


def _info(infos: dict[tuple[str, str], StageInfo], flow: str, stage: str, department: str) -> StageInfo:
    return infos.get((flow, stage)) or StageInfo(flow, stage, stage, department)


def _calls(session: Session, period: PeriodRange, infos: dict[tuple[str, str], StageInfo]) -> list[Call]:
    rows = inquiries.in_period(session, period.start, period.end)
    return [
        Call(
            _info(infos, r.flow_key, r.stage_key, r.department or "") if r.stage_key else None,
            r.category,
            r.channel,
        )
        for r in rows
    ]


def _period(period: PeriodRange) -> Period:
    return Period(from_=period.start, to=period.end)


def stage_report(session: Session, period: PeriodRange) -> StageReport:
    infos = _known_stages(session)
    finished_rows = history.finished_stages(session, period.start, period.end)
    finished = [
        FinishedStage(
            StageInfo(flow, s.key, s.name, s.department, s.planned_minutes),
            s.started_at,
            s.finished_at,
        )
        for s, flow in finished_rows
        if s.started_at is not None and s.finished_at is not None
    ]
    lapses = [
        _info(infos, flow, str(data.get("stage")), department or "")
        for data, department, flow in history.lapses(session, period.start, period.end)
        if data.get("stage")
    ]
    stages, departments = stage_figures(infos.values(), finished, lapses, _calls(session, period, infos))
    return StageReport(
        period=_period(period),
        stages=[StageReportRow(**asdict(r)) for r in stages],
        departments=[StageReportRow(**asdict(r)) for r in departments],
    )


def inquiry_report(session: Session, period: PeriodRange) -> InquiryReport:
    calls = _calls(session, period, _known_stages(session))
    stages, departments = call_figures(calls)
    categories = Counter(c.category for c in calls)
    return InquiryReport(
        period=_period(period),
        total=len(calls),
        inquiries=categories["inquiry"],
        complaints=categories["complaint"],
        channels=dict(sorted(Counter(c.channel for c in calls).items())),
        stages=[InquiryReportRow(**asdict(r)) for r in stages],
        departments=[InquiryReportRow(**asdict(r)) for r in departments],
    )
