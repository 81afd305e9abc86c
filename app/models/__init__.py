"""SQL tables. Importing this package registers every table on the metadata."""

from app.models.account import Organiser
from app.models.erasure import ParticipantErasure
from app.models.event import Event, EventOrganiser, EventSession, EventTable
from app.models.matching import Job, ParticipantBlock, Suggestion
from app.models.meeting import Meeting, MeetingRequest, MeetingSeat
from app.models.notification import Notification, NotificationDelivery, Webhook
from app.models.organisation import Membership, Organisation, OrganisationSector, Sector
from app.models.participant import Opportunity, Participant

__all__ = [
    "Event",
    "EventOrganiser",
    "EventSession",
    "EventTable",
    "Job",
    "Meeting",
    "MeetingRequest",
    "MeetingSeat",
    "Membership",
    "Notification",
    "NotificationDelivery",
    "Opportunity",
    "Organisation",
    "OrganisationSector",
    "Organiser",
    "Participant",
    "ParticipantBlock",
    "ParticipantErasure",
    "Sector",
    "Suggestion",
    "Webhook",
]
