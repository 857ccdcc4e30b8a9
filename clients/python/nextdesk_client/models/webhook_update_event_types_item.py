from enum import StrEnum


class WebhookUpdateEventTypesItem(StrEnum):
    ACKNOWLEDGEMENT = "acknowledgement.*"
    ACKNOWLEDGEMENT_RECORDED = "acknowledgement.recorded"
    COST = "cost.*"
    COST_REVISED = "cost.revised"
    ENDPOINT = "endpoint.*"
    ENDPOINT_DISABLED = "endpoint.disabled"
    ESTIMATE = "estimate.*"
    ESTIMATE_REVISED = "estimate.revised"
    INQUIRY = "inquiry.*"
    INQUIRY_LOGGED = "inquiry.logged"
    ORDER = "order.*"
    ORDER_AT_RISK = "order.at_risk"
    ORDER_BACK_ON_TRACK = "order.back_on_track"
    ORDER_CANCELLED = "order.cancelled"
    ORDER_COMPLETED = "order.completed"
    ORDER_CREATED = "order.created"
    ORDER_UPDATED = "order.updated"
    REQUEST = "request.*"
    REQUEST_ANSWERED = "request.answered"
    REQUEST_OPENED = "request.opened"
    REQUEST_OVERDUE = "request.overdue"
    STAGE = "stage.*"
    STAGE_BLOCKED = "stage.blocked"
    STAGE_COMPLETED = "stage.completed"
    STAGE_OVERDUE = "stage.overdue"
    STAGE_READY = "stage.ready"
    STAGE_RESUMED = "stage.resumed"
    STAGE_SKIPPED = "stage.skipped"
    STAGE_STARTED = "stage.started"
    VALUE_0 = "*"

    def __str__(self) -> str:
        return str(self.value)
