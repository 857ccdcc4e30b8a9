"""Plain-language texts for the desk: reason codes, stage statuses, and the customer sentence.

Internal notes never reach anything built here: only flow texts, reason texts and dates do.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

from app.domain.order_state import OrderState
from app.domain.stage_machine import StageStatus

LANGUAGES: tuple[str, ...] = ("en", "id")

Texts = Mapping[str, str]  # language -> text


@dataclass(frozen=True)
class ReasonCode:
    code: str
    label: Texts  # what a technician or agent reads: "Waiting for parts"
    customer: Texts  # what completes "Your order is ...": "waiting for a part"


STANDARD_REASONS: dict[str, ReasonCode] = {
    r.code: r
    for r in (
        ReasonCode(
            "waiting_parts",
            {"en": "Waiting for parts", "id": "Menunggu suku cadang"},
            {"en": "waiting for a part", "id": "menunggu suku cadang"},
        ),
        ReasonCode(
            "rework",
            {"en": "Rework", "id": "Pengerjaan ulang"},
            {
                "en": "being reworked to meet our quality standard",
                "id": "sedang dikerjakan ulang agar memenuhi standar mutu kami",
            },
        ),
        ReasonCode(
            "payment_pending",
            {"en": "Payment pending", "id": "Menunggu pembayaran"},
            {"en": "waiting for a payment to clear", "id": "menunggu konfirmasi pembayaran"},
        ),
        ReasonCode(
            "capacity",
            {"en": "Capacity", "id": "Kapasitas penuh"},
            {
                "en": "in a queue while our team catches up",
                "id": "dalam antrean karena tim kami sedang penuh",
            },
        ),
        ReasonCode(
            "carrier_delay",
            {"en": "Carrier delay", "id": "Keterlambatan kurir"},
            {"en": "delayed by the courier", "id": "tertunda di pihak kurir"},
        ),
        ReasonCode(
            "customer_request",
            {"en": "Customer request", "id": "Permintaan pelanggan"},
            {"en": "on hold at your request", "id": "ditunda sesuai permintaan Anda"},
        ),
        ReasonCode(
            "other",
            {"en": "Other", "id": "Lainnya"},
            {"en": "delayed", "id": "tertunda"},
        ),
    )
}

#: Default customer texts per stage status; ``{stage}`` is the stage's name.
DEFAULT_STATUS_TEXTS: dict[StageStatus, Texts] = {
    StageStatus.PENDING: {
        "en": "Your order is waiting to start",
        "id": "Pesanan Anda menunggu untuk diproses",
    },
    StageStatus.READY: {
        "en": "Your order is next in line for {stage}",
        "id": "Pesanan Anda berikutnya dalam antrean {stage}",
    },
    StageStatus.IN_PROGRESS: {
        "en": "Your order is in {stage}",
        "id": "Pesanan Anda sedang dalam tahap {stage}",
    },
    StageStatus.BLOCKED: {
        "en": "Your order is on hold in {stage}",
        "id": "Pesanan Anda tertunda di tahap {stage}",
    },
}

_DONE = {"en": "Your order is complete.", "id": "Pesanan Anda telah selesai."}
_CANCELLED = {"en": "Your order has been cancelled.", "id": "Pesanan Anda telah dibatalkan."}
_ID_MONTHS = ("Jan", "Feb", "Mar", "Apr", "Mei", "Jun", "Jul", "Agu", "Sep", "Okt", "Nov", "Des")
_EN_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
_EN_WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
_ID_WEEKDAYS = ("Senin", "Selasa", "Rabu", "Kamis", "Jumat", "Sabtu", "Minggu")
_TODAY = {"en": "today", "id": "hari ini"}
_TOMORROW = {"en": "tomorrow", "id": "besok"}


def format_day(moment: datetime, language: str, zone: ZoneInfo, now: datetime | None = None) -> str:
    """The day as a customer hears it: 'today', 'tomorrow' (seen from ``now``), else the weekday
    and the date, 'Monday 7 Dec' / 'Senin 7 Des'."""
    local = moment.astimezone(zone)
    if now is not None:
        ahead = (local.date() - now.astimezone(zone).date()).days
        if ahead == 0:
            return _TODAY[language]
        if ahead == 1:
            return _TOMORROW[language]
    months, weekdays = (_ID_MONTHS, _ID_WEEKDAYS) if language == "id" else (_EN_MONTHS, _EN_WEEKDAYS)
    return f"{weekdays[local.weekday()]} {local.day} {months[local.month - 1]}"


def format_time(moment: datetime, language: str, zone: ZoneInfo) -> str:
    """The time of day as each language writes it: '15:00', 'pukul 15.00'."""
    local = moment.astimezone(zone)
    return f"pukul {local:%H.%M}" if language == "id" else f"at {local:%H:%M}"


def _on_day(moment: datetime, language: str, zone: ZoneInfo, now: datetime | None) -> str:
    """'today', 'tomorrow' or 'on Monday 7 Dec' in English; Indonesian needs no preposition."""
    day = format_day(moment, language, zone, now)
    if language == "en" and day not in (_TODAY["en"], _TOMORROW["en"]):
        return f"on {day}"
    return day


def format_when(moment: datetime, language: str, zone: ZoneInfo, now: datetime | None = None) -> str:
    """Day and time: 'today at 15:00', 'on Monday 7 Dec at 10:00', 'besok pukul 10.00'."""
    return f"{_on_day(moment, language, zone, now)} {format_time(moment, language, zone)}"


@dataclass(frozen=True)
class HeadlineStage:
    """The stage the customer sentence talks about."""

    key: str
    name: str
    status: StageStatus
    reason: str | None
    flow_texts: Mapping[str, Texts]  # status -> language -> text, for this stage
    updated_at: datetime | None = None
    #: The stage's display name per language; ``name`` where a language has none.
    names: Texts = field(default_factory=dict)


def pick_headline(stages: list[HeadlineStage]) -> HeadlineStage | None:
    """Bad news first: a blocked stage, then one in progress, then one ready, then one pending."""
    for wanted in (StageStatus.BLOCKED, StageStatus.IN_PROGRESS, StageStatus.READY, StageStatus.PENDING):
        for stage in stages:
            if stage.status is wanted:
                return stage
    return None


def latest_reason(stages: list[HeadlineStage], headline: HeadlineStage | None) -> str | None:
    """The reason the customer should hear: the headline stage's own, else the one given most
    recently on any stage still under way (a delay reason on a stage that was never blocked)."""
    if headline is not None and headline.reason:
        return headline.reason
    current = (StageStatus.READY, StageStatus.IN_PROGRESS, StageStatus.BLOCKED)
    with_reason = [s for s in stages if s.reason and s.status in current]
    if not with_reason:
        return None
    return max(with_reason, key=lambda s: (s.updated_at is not None, s.updated_at or datetime.min)).reason


def _lead(stage: HeadlineStage, reason: str | None, language: str, reasons: Mapping[str, ReasonCode]) -> str:
    # A reason says more than any status text: "waiting for a part" beats "on hold in assembly".
    if reason is not None and reason in reasons:
        prefix = "Your order is " if language == "en" else "Pesanan Anda "
        return prefix + reasons[reason].customer[language]
    custom = stage.flow_texts.get(stage.status.value, {}).get(language)
    if custom:
        return custom.rstrip(". ")
    # Names are used as written: "Diagnosa" in an Indonesian sentence, never "diagnosa" in an
    # English one.
    return DEFAULT_STATUS_TEXTS[stage.status][language].format(stage=stage.names.get(language) or stage.name)


def _eta_clause(
    language: str, likely: datetime, promised: datetime, zone: ZoneInfo, now: datetime | None
) -> str:
    # A day is named, and a time only on the promised day itself, where the day alone would not
    # show the slip: the time named is the estimate's, which falls in working time.
    if likely <= promised:
        day = _on_day(likely, language, zone, now)
        if language == "id":
            return f"kami perkirakan selesai {day}, sesuai janji"
        return f"we expect it {day}, as promised"
    if likely.astimezone(zone).date() == promised.astimezone(zone).date():
        when = format_when(likely, language, zone, now)
        if language == "id":
            return f"kini kami perkirakan selesai {when}, lebih lambat dari waktu yang dijanjikan"
        return f"we now expect it {when}, later than the time we promised"
    day = _on_day(likely, language, zone, now)
    if language == "id":
        return f"kini kami perkirakan selesai {day}, lewat dari tanggal yang dijanjikan"
    return f"we now expect it {day}, after the date we promised"


def customer_message(
    *,
    state: OrderState,
    headline: HeadlineStage | None,
    eta_likely_at: datetime | None,
    promised_at: datetime,
    reasons: Mapping[str, ReasonCode],
    zone: ZoneInfo,
    reason: str | None = None,
    cost: tuple[Decimal, str] | None = None,
    now: datetime | None = None,
) -> dict[str, str]:
    """One sentence per language that an agent can read out as it stands: where the order is
    (the latest reason, if there is one), and when we expect it against what we promised. With
    ``now``, a day that is today or tomorrow is called so."""
    if state is OrderState.CANCELLED:
        return dict(_CANCELLED)
    if state is OrderState.DONE or headline is None:
        return dict(_DONE)
    said = reason if reason is not None else headline.reason
    message: dict[str, str] = {}
    for language in LANGUAGES:
        lead = _lead(headline, said, language, reasons)
        if eta_likely_at is None:
            message[language] = lead + "."
        else:
            message[language] = f"{lead}; {_eta_clause(language, eta_likely_at, promised_at, zone, now)}."
        if cost is not None:
            message[language] += " " + _cost_sentence(language, *cost)
    return message


def _cost_sentence(language: str, amount: Decimal, currency: str) -> str:
    """Said only when the estimate is above what the customer was told by more than the threshold."""
    written = f"{amount:,.2f}"
    if language == "id":
        written = written.replace(",", " ").replace(".", ",").replace(" ", ".")
        return f"Biaya kini diperkirakan {currency} {written}, lebih tinggi dari yang kami sampaikan."
    return f"The cost is now estimated at {currency} {written}, more than we told you."


def reason_catalogue(flow_reasons: Mapping[str, ReasonCode] | None = None) -> dict[str, ReasonCode]:
    """The standard codes plus whatever a flow adds (a flow may also reword a standard one)."""
    merged = dict(STANDARD_REASONS)
    if flow_reasons:
        merged.update(flow_reasons)
    return merged
