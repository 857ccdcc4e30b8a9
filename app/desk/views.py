"""What each desk page shows, read in one session: the pages only lay it out."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta

from sqlmodel import Session

from app.desk.charts import BarRow, Chart, Segment, bar_chart
from app.desk.describe import Described, describe
from app.desk.flow_picture import columns
from app.desk.i18n import Words
from app.domain.period import Period
from app.domain.texts import STANDARD_REASONS, ReasonCode
from app.models.desk import InquiryPublic, InquiryReport, StageReport
from app.models.ledger import EstimateRevisionPublic
from app.models.order import OrderPublic, OrderSummary, StagePublic
from app.models.queues import Queues
from app.models.requests import RequestPublic
from app.services import inquiries, orders, queues, reports, requests
from app.services.estimates import ledger_entries
from app.services.flows import list_flows, load_flow
from app.services.order_changes import load_order
from app.settings_view import ViewSettings

TIMELINE_LIMIT = 200
SEARCH_LIMIT = 20


@dataclass
class QueuesPage:
    queues: Queues
    query: str | None
    results: list[OrderSummary] | None
    #: The "to tell" queue's news in words, by order reference.
    news: dict[str, str] = field(default_factory=dict)
    #: Stage names by flow and stage key: cards name stages as the flow does, never by their key.
    stage_names: dict[str, dict[str, str]] = field(default_factory=dict)


@dataclass
class OrderPage:
    order: OrderPublic
    columns: list[list[StagePublic]]
    ledger: list[EstimateRevisionPublic]
    timeline: list[Described]
    inquiries: list[InquiryPublic]
    requests: list[RequestPublic] = field(default_factory=list)
    stage_names: dict[str, str] = field(default_factory=dict)
    reason_labels: dict[str, str] = field(default_factory=dict)


@dataclass
class ReportsPage:
    period: Period
    stages: StageReport
    calls: InquiryReport
    calls_chart: Chart
    durations_chart: Chart
    #: The period as the date inputs show it: first and last day, both included.
    first_day: str
    last_day: str


def queues_page(
    session: Session, query: str | None, now: datetime, words: Words, view: ViewSettings | None = None
) -> QueuesPage:
    text = (query or "").strip()[:100] or None
    results = None
    if text:
        results, _ = orders.list_orders(
            session, orders.OrderFilters(text=text), limit=SEARCH_LIMIT, cursor=None, now=now
        )
    if view is None:
        current = queues.queues(session, now)
    else:
        current = queues.queues(session, now, min_samples=view.learned_min_samples, rule=view.significance)
    news: dict[str, str] = {}
    for item in current.to_tell:
        if item.news is None:
            continue
        envelope = {"id": item.news.event_id, "type": item.news.type, "data": item.news.data}
        line = describe(envelope, words, {}, STANDARD_REASONS).text
        told = item.last_acknowledged_at
        suffix = words("told_at", when=words.when(told)) if told else words("never_told")
        news[item.order.reference] = f"{line} · {suffix}"
    names = {flow.key: {s.key: s.name for s in flow.stages} for flow in list_flows(session)}
    return QueuesPage(queues=current, query=text, results=results, news=news, stage_names=names)


def _timeline(
    session: Session,
    reference: str,
    view: ViewSettings,
    words: Words,
    names: Mapping[str, str],
    reasons: Mapping[str, ReasonCode],
) -> list[Described]:
    page = orders.timeline(session, reference, after=0, limit=100_000, source=view.source)
    described: list[Described] = []
    notes: dict[tuple[str | None, str], str | None] = {}
    for envelope in page["items"][-TIMELINE_LIMIT:]:
        line = describe(envelope, words, names, reasons)
        # Stage events repeat the stage's standing notes: show a note only under the event that
        # wrote it, never under a later event by someone else.
        data = envelope["data"]
        stage = data.get("stage")
        written = data.get("notes_changed")
        if written is None and isinstance(data.get("changes"), dict):
            written = list(data["changes"])
        fresh: dict[str, str | None] = {}
        for kind in ("internal_note", "customer_note"):
            note = getattr(line, kind)
            if isinstance(written, list):
                fresh[kind] = note if kind in written else None
            else:
                # Events written before notes_changed existed: a note shows where it changed.
                fresh[kind] = None if notes.get((stage, kind)) == note else note
            notes[(stage, kind)] = note
        described.append(
            replace(line, internal_note=fresh["internal_note"], customer_note=fresh["customer_note"])
        )
    return list(reversed(described))


def order_page(
    session: Session, reference: str, now: datetime, view: ViewSettings, words: Words
) -> OrderPage:
    status = orders.get_status_view(session, reference, now, view)
    order, _ = load_order(session, reference)
    assert order.id is not None
    flow = load_flow(session, order.flow_key)
    names = {s.key: s.name for s in status.stages}
    return OrderPage(
        order=status,
        columns=columns(status.stages),
        ledger=ledger_entries(session, order.id, order.currency, flow, newest_first=True),
        timeline=_timeline(session, reference, view, words, names, flow.reasons),
        inquiries=inquiries.recent_inquiries(session, order),
        requests=requests.requests_of_order(session, order, now),
        stage_names=names,
        reason_labels={code: r.label[words.language] for code, r in flow.reasons.items()},
    )


def _calls_chart(report: InquiryReport, words: Words) -> Chart:
    rows = [
        BarRow(
            label=(r.name or r.stage or words("unattributed")),
            bars=[
                [
                    Segment(r.inquiries, "inquiries", f"{words('inquiries')}: {r.inquiries}"),
                    Segment(r.complaints, "complaints", f"{words('complaints')}: {r.complaints}"),
                ]
            ],
            value_text=str(r.total),
        )
        for r in report.stages
    ]
    return bar_chart(rows)


def _durations_chart(report: StageReport, words: Words) -> Chart:
    rows = []
    for r in report.stages:
        if not r.finished:
            continue
        median = (r.median_minutes or 0) / 60
        p90 = (r.p90_minutes or 0) / 60
        rows.append(
            BarRow(
                label=r.name or r.stage or "",
                bars=[
                    [Segment(median, "median", f"{words('median')}: {words.duration(r.median_minutes)}")],
                    [Segment(p90, "p90", f"{words('p90')}: {words.duration(r.p90_minutes)}")],
                ],
                value_text=words.duration(r.p90_minutes),
                marker=r.planned_minutes / 60 if r.planned_minutes else None,
                marker_title=f"{words('plan')}: {words.duration(r.planned_minutes)}",
            )
        )
    return bar_chart(rows)


def reports_page(session: Session, period: Period, words: Words) -> ReportsPage:
    stage_report = reports.stage_report(session, period)
    call_report = reports.inquiry_report(session, period)
    return ReportsPage(
        period=period,
        stages=stage_report,
        calls=call_report,
        calls_chart=_calls_chart(call_report, words),
        durations_chart=_durations_chart(stage_report, words),
        first_day=words.day(period.start.astimezone(words.zone).date()),
        last_day=words.day((period.end.astimezone(words.zone) - timedelta(microseconds=1)).date()),
    )
