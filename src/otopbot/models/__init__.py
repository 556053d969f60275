"""The database models, one module per aggregate; importing this package registers them all."""

from otopbot.models.conversations import ConversationState
from otopbot.models.followup import Certificate, SurveyResponse, SurveyStatus
from otopbot.models.knowledge import KnowledgeEntry, Question, QuestionKind, QuestionStatus
from otopbot.models.menus import RichMenuStage
from otopbot.models.messaging import (
    Broadcast,
    BroadcastStatus,
    InboundEvent,
    InboundStatus,
    OutboxKind,
    OutboxMessage,
    OutboxStatus,
)
from otopbot.models.registrations import EnterpriseType, Registration, RegistrationStatus
from otopbot.models.staff import AuditEntry, LoginAttempt, StaffAccount, StaffRole
from otopbot.models.stats import ErasureRecord
from otopbot.models.users import LineUser
from otopbot.models.workshops import Booking, BookingStatus, Workshop, WorkshopStatus

__all__ = [
    "AuditEntry",
    "Booking",
    "BookingStatus",
    "Broadcast",
    "BroadcastStatus",
    "Certificate",
    "ConversationState",
    "EnterpriseType",
    "ErasureRecord",
    "InboundEvent",
    "InboundStatus",
    "KnowledgeEntry",
    "LineUser",
    "LoginAttempt",
    "OutboxKind",
    "OutboxMessage",
    "OutboxStatus",
    "Question",
    "QuestionKind",
    "QuestionStatus",
    "Registration",
    "RegistrationStatus",
    "RichMenuStage",
    "StaffAccount",
    "StaffRole",
    "SurveyResponse",
    "SurveyStatus",
    "Workshop",
    "WorkshopStatus",
]
