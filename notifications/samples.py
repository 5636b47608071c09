"""Realistic sample display data for every kind: `mockemail`, the admin preview and tests.

Shaped exactly like what the ingest stores in Notification.data (see presentation.py): one
sample per family of the kinds table, stamped with the kind's own event type.
"""

from __future__ import annotations

from notifications.emails import RenderedEmail, notification_email_render
from notifications.unsubscribe import unsubscribe_url
from notifications.working_group_samples import EVENT_SAMPLES as WORKING_GROUP_EVENT_SAMPLES
from notifications.working_group_samples import FAMILY_SAMPLES as WORKING_GROUP_SAMPLES
from preferences.tokens import preferences_url
from subscriptions.kinds import KINDS, KINDS_BY_NAME

SAMPLE_MEMBER_NAME = "Alice"
# No member has id 0, so a sample's unsubscribe link opens the "not valid" page and changes nothing.
SAMPLE_MEMBER_ID = 0
SAMPLE_MEMBER_EMAIL = "alice@example.org"

_AUTHOR = {"id": 1337, "handle": "bedeho"}
_THREAD = {"id": "412", "title": "Storage provider rewards for Q3"}
_CATEGORY = {"id": "7", "title": "Working groups"}
_PROPOSAL = {"id": "285", "title": "Fund the Pioneer 2.1 release"}
_POST_EXCERPT = (
    "Thanks for the detailed write-up. I think the reward curve should favour nodes with "
    "better uptime rather than raw capacity; I have put some numbers together below so we "
    "can compare both options before the next council meeting."
)
_VOTE_RATIONALE = (
    "The budget is reasonable and the team delivered the last release on time. I would like "
    "to see a short progress report halfway through."
)

# Keyed by family name (subscriptions.kinds.Family.name); every family of the table has one.
FAMILY_SAMPLES: dict[str, dict] = {
    "forum_post": {
        "author": _AUTHOR,
        "thread": _THREAD,
        "category": _CATEGORY,
        "post": {"id": "5120", "excerpt": _POST_EXCERPT},
    },
    "forum_thread": {
        "author": _AUTHOR,
        "thread": _THREAD,
        "category": _CATEGORY,
        "post": {"excerpt": _POST_EXCERPT},
    },
    "proposal_discussion": {
        "author": _AUTHOR,
        "proposal": _PROPOSAL,
        "post": {"id": "3091", "excerpt": _POST_EXCERPT},
    },
    "election": {"election": {"stage": "ANNOUNCING", "cycle_id": "42"}},
    "proposal": {
        "author": _AUTHOR,
        "proposal": _PROPOSAL,
        "status": {
            "name": "Approved",
            "change": "Deciding → Gracing",
            "outcome": "was approved — now in its grace period",
        },
    },
    "proposal_vote": {
        "author": _AUTHOR,
        "proposal": _PROPOSAL,
        "vote": {"name": "Approve", "round": 1, "excerpt": _VOTE_RATIONALE},
    },
    "proposal_council": {
        "author": _AUTHOR,
        "proposal": _PROPOSAL,
        "status": {"name": "Deciding", "change": "Dormant → Deciding", "outcome": "is now Deciding"},
    },
    "council": {
        "council": {"id": "12"},
        "people": [
            {"id": 1337, "handle": "bedeho"},
            {"id": 2001, "handle": "lezek"},
            {"id": 3120, "handle": "tomato"},
        ],
    },
    "election_candidacy": {
        "author": _AUTHOR,
        "candidacy": {"id": "88", "change": "announced their candidacy"},
    },
    **WORKING_GROUP_SAMPLES,
}
# Keyed by query-node event type: the parts an event adds to its family's sample, when the
# family's kinds come from events that carry different parts.
EVENT_SAMPLES: dict[str, dict] = {
    **WORKING_GROUP_EVENT_SAMPLES,
    # A voter's accounts with a vote to reveal: one watched and labelled, one of the membership.
    "RevealingStageStartedEvent": {
        "election": {"stage": "REVEALING", "cycle_id": "42"},
        "accounts": [
            {"address": "j4W7rVcUCxi2crhhjRq46fNDRbVHTjJrz6bKxZwehEMQxZeSf", "label": "Ledger"},
            {"address": "j4UYhDYJ4pz2ihhDDzu69v2JTVeGaGmTebmBdWaX2ANVinXyE", "label": ""},
        ],
    },
}


def sample_data(kind: str) -> dict:
    spec = KINDS_BY_NAME[kind]
    event_type = spec.event_types[0]
    return {"event_type": event_type, **FAMILY_SAMPLES[spec.family.name], **EVENT_SAMPLES.get(event_type, {})}


def sample_kinds() -> list[str]:
    return [kind.name for kind in KINDS]


def sample_email_render(kind: str) -> RenderedEmail:
    return notification_email_render(
        kind=kind,
        data=sample_data(kind),
        member_name=SAMPLE_MEMBER_NAME,
        unsubscribe_url=unsubscribe_url(member_id=SAMPLE_MEMBER_ID, kind=kind, entity_id="7"),
        preferences_url=preferences_url(member_id=SAMPLE_MEMBER_ID, email=SAMPLE_MEMBER_EMAIL),
    )
