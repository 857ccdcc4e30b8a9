"""Plain-language texts for the desk: reason codes, stage statuses, and the customer sentence.

Internal notes never reach anything built here: only flow texts, reason texts and dates do.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
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


def format_when(moment: datetime, language: str, zone: ZoneInfo) -> str:
    local = moment.astimezone(zone)
    if language == "id":
        return f"{local.day} {_ID_MONTHS[local.month - 1]} pukul {local:%H.%M}"
    return f"{local.day} {_EN_MONTHS[local.month - 1]} at {local:%H:%M}"


@dataclass(frozen=True)
class HeadlineStage:
    """The stage the customer sentence talks about."""

    key: str
    name: str
    status: StageStatus
    reason: str | None
    flow_texts: Mapping[str, Texts]  # status -> language -> text, for this stage


def pick_headline(stages: list[HeadlineStage]) -> HeadlineStage | None:
    """Bad news first: a blocked stage, then one in progress, then one ready, then one pending."""
    for wanted in (StageStatus.BLOCKED, StageStatus.IN_PROGRESS, StageStatus.READY, StageStatus.PENDING):
        for stage in stages:
            if stage.status is wanted:
                return stage
    return None


def _lead(stage: HeadlineStage, language: str, reasons: Mapping[str, ReasonCode]) -> str:
    custom = stage.flow_texts.get(stage.status.value, {}).get(language)
    if custom:
        return custom.rstrip(". ")
    if stage.status is StageStatus.BLOCKED and stage.reason and stage.reason in reasons:
        prefix = "Your order is " if language == "en" else "Pesanan Anda "
        return prefix + reasons[stage.reason].customer[language]
    return DEFAULT_STATUS_TEXTS[stage.status][language].format(stage=stage.name.lower())


def customer_message(
    *,
    state: OrderState,
    headline: HeadlineStage | None,
    eta_likely_at: datetime | None,
    promised_at: datetime,
    reasons: Mapping[str, ReasonCode],
    zone: ZoneInfo,
) -> dict[str, str]:
    """One sentence per language that an agent can read out as it stands."""
    if state is OrderState.CANCELLED:
        return dict(_CANCELLED)
    if state is OrderState.DONE or headline is None:
        return dict(_DONE)
    behind = eta_likely_at is not None and eta_likely_at > promised_at
    message: dict[str, str] = {}
    for language in LANGUAGES:
        lead = _lead(headline, language, reasons)
        if eta_likely_at is None:
            message[language] = lead + "."
            continue
        when = format_when(eta_likely_at, language, zone)
        if language == "en":
            clause = (
                f"we now expect it on {when}, after the date we promised"
                if behind
                else (f"we expect it on {when}, as promised")
            )
        else:
            clause = (
                f"kini kami perkirakan selesai {when}, lewat dari tanggal yang dijanjikan"
                if behind
                else (f"kami perkirakan selesai {when}, sesuai janji")
            )
        message[language] = f"{lead}; {clause}."
    return message


def reason_catalogue(flow_reasons: Mapping[str, ReasonCode] | None = None) -> dict[str, ReasonCode]:
    """The standard codes plus whatever a flow adds (a flow may also reword a standard one)."""
    merged = dict(STANDARD_REASONS)
    if flow_reasons:
        merged.update(flow_reasons)
    return merged
