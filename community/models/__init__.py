"""The data model, one module per aggregate; importing this package registers every table."""

from community.models.agency import Agency, AgencyKind
from community.models.apikey import ApiKey
from community.models.area import Area, AreaKind
from community.models.assignment import (
    Action,
    ActionKind,
    ActionOutcome,
    Assignment,
    AssignmentRole,
    ResolutionOutcome,
)
from community.models.base import Base, utcnow
from community.models.category import Category, CategoryGroup
from community.models.concern import (
    Concern,
    ConcernSource,
    ConcernStatus,
    GeocodeStatus,
    LocationKind,
)
from community.models.event import AppendOnlyError, Event, EventKind
from community.models.hotspot import Hotspot, HotspotStatus
from community.models.message import Conversation, Message, MessageDirection, MessageStatus
from community.models.notice import Notice
from community.models.photo import Photo
from community.models.repeat_location import RepeatLocation
from community.models.report import MeetingReport, ReportBatch, ReportBatchStatus
from community.models.resident import Resident
from community.models.routing import RoutingRule, routing_rule_partner
from community.models.staff_session import SignInThrottle, StaffSession
from community.models.user import Role, User

__all__ = [
    "Action",
    "ActionKind",
    "ActionOutcome",
    "Agency",
    "AgencyKind",
    "ApiKey",
    "AppendOnlyError",
    "Area",
    "AreaKind",
    "Assignment",
    "AssignmentRole",
    "Base",
    "Category",
    "CategoryGroup",
    "Concern",
    "ConcernSource",
    "ConcernStatus",
    "Conversation",
    "Event",
    "EventKind",
    "GeocodeStatus",
    "Hotspot",
    "HotspotStatus",
    "LocationKind",
    "MeetingReport",
    "Message",
    "MessageDirection",
    "MessageStatus",
    "Notice",
    "Photo",
    "RepeatLocation",
    "ReportBatch",
    "ReportBatchStatus",
    "Resident",
    "ResolutionOutcome",
    "Role",
    "RoutingRule",
    "SignInThrottle",
    "StaffSession",
    "User",
    "routing_rule_partner",
    "utcnow",
]
