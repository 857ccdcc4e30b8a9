"""Contains all the data models used in inputs/outputs"""

from .acknowledgement_in import AcknowledgementIn
from .acknowledgement_public import AcknowledgementPublic
from .api_key_create import ApiKeyCreate
from .api_key_created import ApiKeyCreated
from .api_key_public import ApiKeyPublic
from .attempt_public import AttemptPublic
from .calendar_create import CalendarCreate
from .calendar_patch import CalendarPatch
from .calendar_public import CalendarPublic
from .calendar_public_week import CalendarPublicWeek
from .channel import Channel
from .cost_public import CostPublic
from .customer_in import CustomerIn
from .customer_public import CustomerPublic
from .delivery_public import DeliveryPublic
from .delivery_status import DeliveryStatus
from .endpoint_status import EndpointStatus
from .estimate_revision_public import EstimateRevisionPublic
from .estimate_revision_public_reason_text_type_0 import EstimateRevisionPublicReasonTextType0
from .eta_public import EtaPublic
from .events_list_events_response_events_list_events import EventsListEventsResponseEventsListEvents
from .events_stream_events_response_200 import EventsStreamEventsResponse200
from .flow_create import FlowCreate
from .flow_create_texts import FlowCreateTexts
from .flow_create_texts_additional_property import FlowCreateTextsAdditionalProperty
from .flow_public import FlowPublic
from .flow_public_texts import FlowPublicTexts
from .flow_public_texts_additional_property import FlowPublicTextsAdditionalProperty
from .inbound_receive_body import InboundReceiveBody
from .inbound_result import InboundResult
from .inbound_result_outcome import InboundResultOutcome
from .inquiry_category import InquiryCategory
from .inquiry_in import InquiryIn
from .inquiry_public import InquiryPublic
from .inquiry_report import InquiryReport
from .inquiry_report_channels import InquiryReportChannels
from .inquiry_report_row import InquiryReportRow
from .inquiry_report_row_channels import InquiryReportRowChannels
from .integration_create_type_0 import IntegrationCreateType0
from .integration_create_type_1 import IntegrationCreateType1
from .integration_patch import IntegrationPatch
from .integration_public import IntegrationPublic
from .integration_with_secret import IntegrationWithSecret
from .localized_text import LocalizedText
from .money import Money
from .money_in_input import MoneyInInput
from .money_in_output import MoneyInOutput
from .news import News
from .news_data import NewsData
from .open_date_in import OpenDateIn
from .operations_healthz_response_operations_healthz import OperationsHealthzResponseOperationsHealthz
from .order_create import OrderCreate
from .order_import import OrderImport
from .order_patch_type_0 import OrderPatchType0
from .order_patch_type_1 import OrderPatchType1
from .order_public import OrderPublic
from .order_public_customer_message import OrderPublicCustomerMessage
from .order_summary import OrderSummary
from .order_warning import OrderWarning
from .orders_order_timeline_response_orders_order_timeline import OrdersOrderTimelineResponseOrdersOrderTimeline
from .outcome import Outcome
from .overdue_stage import OverdueStage
from .overdue_stage_missed import OverdueStageMissed
from .page_delivery_public import PageDeliveryPublic
from .page_order_summary import PageOrderSummary
from .payload_mapping import PayloadMapping
from .payload_mapping_fixed import PayloadMappingFixed
from .payload_mapping_paths import PayloadMappingPaths
from .payload_mapping_status_values import PayloadMappingStatusValues
from .payload_mapping_status_values_additional_property import PayloadMappingStatusValuesAdditionalProperty
from .period import Period
from .period_in import PeriodIn
from .ping_queued import PingQueued
from .problem import Problem
from .problem_errors_type_0_item import ProblemErrorsType0Item
from .promise_ledger_public import PromiseLedgerPublic
from .queue_item import QueueItem
from .queues import Queues
from .reason_code_definition import ReasonCodeDefinition
from .reason_code_public import ReasonCodePublic
from .replay_in_type_0 import ReplayInType0
from .replay_in_type_1 import ReplayInType1
from .replay_result import ReplayResult
from .request_answer_in import RequestAnswerIn
from .request_in import RequestIn
from .request_kind import RequestKind
from .request_list import RequestList
from .request_public import RequestPublic
from .request_stage_public import RequestStagePublic
from .request_state import RequestState
from .role import Role
from .rotate_secret_in import RotateSecretIn
from .secret_rotated import SecretRotated
from .secret_rotation import SecretRotation
from .stage_definition_input import StageDefinitionInput
from .stage_definition_output import StageDefinitionOutput
from .stage_public import StagePublic
from .stage_public_reason_text_type_0 import StagePublicReasonTextType0
from .stage_report import StageReport
from .stage_report_row import StageReportRow
from .stage_status import StageStatus
from .stage_update_receipt import StageUpdateReceipt
from .waiting import Waiting
from .webhook_create import WebhookCreate
from .webhook_create_event_types_item import WebhookCreateEventTypesItem
from .webhook_created import WebhookCreated
from .webhook_public import WebhookPublic
from .webhook_update import WebhookUpdate
from .webhook_update_event_types_item import WebhookUpdateEventTypesItem
from .week_in import WeekIn
from .working_time import WorkingTime

__all__ = (
    "AcknowledgementIn",
    "AcknowledgementPublic",
    "ApiKeyCreate",
    "ApiKeyCreated",
    "ApiKeyPublic",
    "AttemptPublic",
    "CalendarCreate",
    "CalendarPatch",
    "CalendarPublic",
    "CalendarPublicWeek",
    "Channel",
    "CostPublic",
    "CustomerIn",
    "CustomerPublic",
    "DeliveryPublic",
    "DeliveryStatus",
    "EndpointStatus",
    "EstimateRevisionPublic",
    "EstimateRevisionPublicReasonTextType0",
    "EtaPublic",
    "EventsListEventsResponseEventsListEvents",
    "EventsStreamEventsResponse200",
    "FlowCreate",
    "FlowCreateTexts",
    "FlowCreateTextsAdditionalProperty",
    "FlowPublic",
    "FlowPublicTexts",
    "FlowPublicTextsAdditionalProperty",
    "InboundReceiveBody",
    "InboundResult",
    "InboundResultOutcome",
    "InquiryCategory",
    "InquiryIn",
    "InquiryPublic",
    "InquiryReport",
    "InquiryReportChannels",
    "InquiryReportRow",
    "InquiryReportRowChannels",
    "IntegrationCreateType0",
    "IntegrationCreateType1",
    "IntegrationPatch",
    "IntegrationPublic",
    "IntegrationWithSecret",
    "LocalizedText",
    "Money",
    "MoneyInInput",
    "MoneyInOutput",
    "News",
    "NewsData",
    "OpenDateIn",
    "OperationsHealthzResponseOperationsHealthz",
    "OrderCreate",
    "OrderImport",
    "OrderPatchType0",
    "OrderPatchType1",
    "OrderPublic",
    "OrderPublicCustomerMessage",
    "OrdersOrderTimelineResponseOrdersOrderTimeline",
    "OrderSummary",
    "OrderWarning",
    "Outcome",
    "OverdueStage",
    "OverdueStageMissed",
    "PageDeliveryPublic",
    "PageOrderSummary",
    "PayloadMapping",
    "PayloadMappingFixed",
    "PayloadMappingPaths",
    "PayloadMappingStatusValues",
    "PayloadMappingStatusValuesAdditionalProperty",
    "Period",
    "PeriodIn",
    "PingQueued",
    "Problem",
    "ProblemErrorsType0Item",
    "PromiseLedgerPublic",
    "QueueItem",
    "Queues",
    "ReasonCodeDefinition",
    "ReasonCodePublic",
    "ReplayInType0",
    "ReplayInType1",
    "ReplayResult",
    "RequestAnswerIn",
    "RequestIn",
    "RequestKind",
    "RequestList",
    "RequestPublic",
    "RequestStagePublic",
    "RequestState",
    "Role",
    "RotateSecretIn",
    "SecretRotated",
    "SecretRotation",
    "StageDefinitionInput",
    "StageDefinitionOutput",
    "StagePublic",
    "StagePublicReasonTextType0",
    "StageReport",
    "StageReportRow",
    "StageStatus",
    "StageUpdateReceipt",
    "Waiting",
    "WebhookCreate",
    "WebhookCreated",
    "WebhookCreateEventTypesItem",
    "WebhookPublic",
    "WebhookUpdate",
    "WebhookUpdateEventTypesItem",
    "WeekIn",
    "WorkingTime",
)
