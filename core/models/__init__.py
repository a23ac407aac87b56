"""All netral tables; importing this package registers them on ``Base.metadata``."""

from core.models.audit import AuditEvent, ViolationType
from core.models.base import Base, utcnow
from core.models.cases import Case, CaseEvent, CaseInteraction
from core.models.content import Classification, ContentItem, Evidence, Interaction
from core.models.election import CampaignAccount, CandidatePair, Election
from core.models.enums import CaseStatus, EmployeeType, InteractionKind, Platform, Stance, Track
from core.models.roster import Employee, SocialAccount

__all__ = [
    "AuditEvent",
    "Base",
    "CampaignAccount",
    "CandidatePair",
    "Case",
    "CaseEvent",
    "CaseInteraction",
    "CaseStatus",
    "Classification",
    "ContentItem",
    "Election",
    "Employee",
    "EmployeeType",
    "Evidence",
    "Interaction",
    "InteractionKind",
    "Platform",
    "SocialAccount",
    "Stance",
    "Track",
    "ViolationType",
    "utcnow",
]
