"""The GraphQL enum types of subscriptions and notifications, each defined once.

Built from subscriptions/kinds.py and notifications.models.EmailStatus, so a kind added
there shows up in the API without touching this file. The notifications schema imports
NotificationKindEnum and NotificationEmailStatusEnum from here: a GraphQL schema may hold
only one type per name.

Resolvers receive enum arguments as members of the Django choices (str subclasses), so
they compare and query like the plain strings stored in the database.
"""

from __future__ import annotations

import enum

import graphene

from notifications.models import EmailStatus
from subscriptions.kinds import EntityKind, GeneralKind, NotificationKind


def _described(type_description: str):
    """graphene calls this with None for the type and with each member for its values."""

    def describe(member) -> str:
        return type_description if member is None else str(member.label)

    return describe


GeneralSubscriptionKindEnum = graphene.Enum.from_enum(
    GeneralKind,
    name="GeneralSubscriptionKind",
    description=_described("A kind of notification about activity in general (not about one entity)"),
)

EntitySubscriptionKindEnum = graphene.Enum.from_enum(
    EntityKind,
    name="EntitySubscriptionKind",
    description=_described("A kind of notification about one entity: a thread, a category or a proposal"),
)

NotificationKindEnum = graphene.Enum.from_enum(
    NotificationKind,
    name="NotificationKind",
    description=_described("Every kind of notification: the general kinds and the entity kinds"),
)

NotificationEmailStatusEnum = graphene.Enum.from_enum(
    EmailStatus,
    name="NotificationEmailStatus",
    description=_described("Where the email of a notification stands"),
)


class EntityStatus(enum.Enum):
    """How a member follows one entity."""

    WATCH = "WATCH"
    MUTE = "MUTE"
    DEFAULT = "DEFAULT"

    @property
    def label(self) -> str:
        return ENTITY_STATUS_LABELS[self.value]


ENTITY_STATUS_LABELS = {
    "WATCH": "Notify me of everything about this entity",
    "MUTE": "Never notify me about this entity, not even of mentions",
    "DEFAULT": "No stored choice: the general subscriptions decide",
}

EntitySubscriptionStatusEnum = graphene.Enum.from_enum(
    EntityStatus,
    name="EntitySubscriptionStatus",
    description=_described("How a member follows one entity"),
)


def enum_value(value) -> str | None:
    """The stored string of an enum argument (graphene passes enum members)."""
    if value is None:
        return None
    return value.value if isinstance(value, enum.Enum) else str(value)
