"""Rules of requests from the desk: whom a request concerns, who may answer it, when it closes."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from app.domain.access import Principal
from app.domain.errors import Conflict, Forbidden, field_error
from app.domain.stage_machine import TERMINAL, StageStatus


@dataclass(frozen=True)
class StageRef:
    key: str
    name: str
    department: str
    status: str


@dataclass(frozen=True)
class Concerned:
    """A stage a request concerns, with its answer so far."""

    key: str
    department: str
    answered: bool


def concerned_stages(stages: Sequence[StageRef], wanted: str | None, reference: str) -> list[StageRef]:
    """The stage asked for, or every stage not yet done (a change must reach all downstream)."""
    if wanted is not None:
        for stage in stages:
            if stage.key == wanted:
                if StageStatus(stage.status) in TERMINAL:
                    raise field_error(
                        "stage",
                        f"stage '{wanted}' of order '{reference}' is already {stage.status}; "
                        "ask a stage not yet done, or leave stage out to ask every such stage",
                        "finished",
                    )
                return [stage]
        message = (
            f"order '{reference}' has no stage '{wanted}'; its stages: {', '.join(s.key for s in stages)}"
        )
        raise field_error("stage", message, "enum")
    open_stages = [s for s in stages if StageStatus(s.status) not in TERMINAL]
    if not open_stages:
        raise Conflict(f"every stage of order '{reference}' is finished: no department is left to ask")
    return open_stages


def check_answer_by(answer_by: datetime | None, now: datetime) -> None:
    if answer_by is not None and answer_by <= now:
        raise field_error(
            "answer_by",
            f"answer_by {answer_by.isoformat()} is not in the future (now is {now.isoformat()})",
            "past",
        )


def may_answer_for(principal: Principal, department: str) -> bool:
    return principal.role == "admin" or (
        principal.role == "technician" and department in principal.departments
    )


def stages_to_answer(
    principal: Principal, concerned: Sequence[Concerned], wanted: str | None, request_id: int, closed: bool
) -> list[Concerned]:
    """The stages this answer is for: the one named, or every unanswered one of the caller's."""
    if closed:
        raise Conflict(
            f"request {request_id} is already answered by every department it concerns; open a new one",
            current_state="answered",
        )
    if wanted is not None:
        match = [c for c in concerned if c.key == wanted]
        if not match:
            keys = ", ".join(c.key for c in concerned)
            raise field_error(
                "stage", f"request {request_id} does not concern stage '{wanted}'; it concerns: {keys}"
            )
        chosen = match
    else:
        chosen = [c for c in concerned if may_answer_for(principal, c.department)]
        if not chosen:
            departments = ", ".join(sorted({c.department for c in concerned}))
            raise Forbidden(
                f"request {request_id} is for the departments {departments}; your key '{principal.name}' "
                f"answers for: {', '.join(sorted(principal.departments)) or 'none'}",
                required_departments=sorted({c.department for c in concerned}),
            )
        chosen = [c for c in chosen if not c.answered] or chosen
    for stage in chosen:
        if not may_answer_for(principal, stage.department):
            raise Forbidden(
                f"stage '{stage.key}' belongs to the department '{stage.department}'; your key "
                f"'{principal.name}' answers for: {', '.join(sorted(principal.departments)) or 'none'}",
                required_department=stage.department,
            )
        if stage.answered:
            raise Conflict(
                f"stage '{stage.key}' has already answered request {request_id}",
                current_state="answered",
            )
    return chosen


def check_outcome(kind: str, outcome: str | None) -> None:
    if kind == "change" and outcome is None:
        raise field_error(
            "outcome", "a change request is answered with an outcome: accepted or refused", "missing"
        )
    if kind == "question" and outcome is not None:
        raise field_error("outcome", "a question is answered with text only; outcome is for a change request")


def all_answered(concerned: Sequence[Concerned]) -> bool:
    return all(c.answered for c in concerned)
