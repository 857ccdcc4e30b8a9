"""A workbench form, read into the same stage update the API takes."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from app.domain.errors import field_error
from app.domain.quick_picks import QUICK_PICKS, Hours, on_date, quick_picks

ACTIONS = ("start", "resume", "finish", "block", "skip", "revise", "take", "note")
STATUS_OF = {
    "start": "in_progress",
    "resume": "in_progress",
    "finish": "done",
    "block": "blocked",
    "skip": "skipped",
}


class StageForm(BaseModel):
    """The stage form's fields as the page posts them: texts, empty where not given."""

    model_config = ConfigDict(frozen=True)

    action: str = Field("", max_length=20)
    reason: str = Field("", max_length=64)
    finish: str = Field("", max_length=40)
    finish_date: str = Field("", max_length=20)
    cost_estimate: str = Field("", max_length=40)
    cost_actual: str = Field("", max_length=40)
    currency: str = Field("", max_length=3)
    next_update: str = Field("", max_length=40)
    internal_note: str = Field("", max_length=2000)
    customer_note: str = Field("", max_length=1000)


def _moment(field: str, choice: str, day: str, now: datetime, week: Hours) -> datetime | None:
    """A quick pick (+1 h, ...), an exact moment the page computed, or a date picked."""
    if not choice:
        return None
    if choice in QUICK_PICKS:
        return quick_picks(now, week)[choice]
    if choice == "date":
        try:
            return on_date(date.fromisoformat(day), week)
        except ValueError:
            raise field_error(field, f"pick a date (YYYY-MM-DD) for {field}; got '{day}'") from None
    try:
        moment = datetime.fromisoformat(choice)
    except ValueError:
        allowed = ", ".join((*QUICK_PICKS, "date"))
        raise field_error(field, f"{field} must be one of {allowed} or a moment; got '{choice}'") from None
    if moment.tzinfo is None:
        raise field_error(field, f"{field} needs a time zone; got '{choice}'")
    return moment


def update_body(form: StageForm, assignee: str, now: datetime, week: Hours) -> dict[str, Any]:
    """The stage update's JSON body; validated by the API's own model, so the rules are one."""
    if form.action not in ACTIONS:
        raise field_error("action", f"unknown action '{form.action}'; allowed: {', '.join(ACTIONS)}")
    body: dict[str, Any] = {}
    if form.action in STATUS_OF:
        body["status"] = STATUS_OF[form.action]
    if form.action == "block":
        body["reason"] = form.reason or None
    if form.action == "take":
        body["assignee"] = assignee
    if form.action == "revise":
        finish = _moment("expected_finish_at", form.finish, form.finish_date, now, week)
        if finish is not None:
            body["expected_finish_at"] = finish.isoformat()
        for name in ("cost_estimate", "cost_actual"):
            amount = getattr(form, name).strip().replace(" ", "")
            if amount:
                body[name] = {"amount": amount, "currency": form.currency}
    for name in ("internal_note", "customer_note"):
        text = getattr(form, name).strip()
        if text:
            body[name] = text
    next_update = _moment("next_update_by", form.next_update, "", now, week)
    if next_update is not None:
        body["next_update_by"] = next_update.isoformat()
    return body
