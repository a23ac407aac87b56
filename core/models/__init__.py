"""All netral tables; importing this package registers them on ``Base.metadata``."""

from core.models.audit import AuditEvent, ViolationType
from core.models.base import Base, utcnow
from core.models.cases import (
    NOT_PROVEN,
    PROVEN,
    Case,
    CaseEvent,
    Incident,
    IncidentInteraction,
    IncidentMark,
    TargetVerdict,
)
from core.models.content import Classification, ContentItem, Evidence, Interaction
from core.models.crawl import CrawlCursor, CrawlError, CrawlRun
from core.models.desk import DeskAttachment, DeskEntry, DeskExport, DeskReport, DeskReportCase, DeskSection
from core.models.election import CampaignAccount, CandidatePair, Contest, Election
from core.models.enums import CaseStatus, EmployeeType, InteractionKind, Platform, Stance, Track
from core.models.report import Report, ReportFile
from core.models.review import CaseReview
from core.models.roster import Employee, SocialAccount
from core.models.scan import Assessment, ScanRun
from core.models.users import LoginAttempt, LoginOutcome, Role, User, UserSession

__all__ = [
    "NOT_PROVEN",
    "PROVEN",
    "Assessment",
    "AuditEvent",
    "Base",
    "CampaignAccount",
    "CandidatePair",
    "Case",
    "CaseEvent",
    "CaseReview",
    "CaseStatus",
    "Classification",
    "ContentItem",
    "Contest",
    "CrawlCursor",
    "CrawlError",
    "CrawlRun",
    "DeskAttachment",
    "DeskEntry",
    "DeskExport",
    "DeskReport",
    "DeskReportCase",
    "DeskSection",
    "Election",
    "Employee",
    "EmployeeType",
    "Evidence",
    "Incident",
    "IncidentInteraction",
    "IncidentMark",
    "Interaction",
    "InteractionKind",
    "LoginAttempt",
    "LoginOutcome",
    "Platform",
    "Report",
    "ReportFile",
    "Role",
    "ScanRun",
    "SocialAccount",
    "Stance",
    "TargetVerdict",
    "Track",
    "User",
    "UserSession",
    "ViolationType",
    "utcnow",
]
