"""Reads of a member's subscriptions, always scoped to that member."""

from __future__ import annotations

from dataclasses import dataclass

from members.models import Member
from subscriptions.kinds import GeneralKind, is_on_by_default
from subscriptions.models import Subscription


@dataclass(frozen=True)
class GeneralSubscriptionState:
    """A member's effective choice for one general kind: stored (with id) or the default (id None)."""

    id: int | None
    kind: str
    should_notify: bool
    should_notify_by_email: bool
    should_notify_by_chat: bool


@dataclass(frozen=True)
class EntitySubscriptionState:
    """A member's choice about one entity; id is None when nothing is stored."""

    id: int | None
    kind: str
    entity_id: str
    status: str


def general_subscription_state(subscription: Subscription) -> GeneralSubscriptionState:
    return GeneralSubscriptionState(
        id=subscription.id,
        kind=subscription.kind,
        should_notify=subscription.should_notify,
        should_notify_by_email=subscription.should_notify_by_email,
        should_notify_by_chat=subscription.by_chat,
    )


def entity_subscription_state(subscription: Subscription) -> EntitySubscriptionState:
    return EntitySubscriptionState(
        id=subscription.id,
        kind=subscription.kind,
        entity_id=subscription.entity_id,
        status="WATCH" if subscription.should_notify else "MUTE",
    )


def general_subscriptions_for_member(
    *,
    member: Member,
    kind: str | None = None,
    should_notify: bool | None = None,
    should_notify_by_email: bool | None = None,
) -> list[GeneralSubscriptionState]:
    """One entry per general kind in enum order: the stored row, else the default. One query."""
    stored = {
        subscription.kind: subscription
        for subscription in Subscription.objects.filter(member=member, entity_id__isnull=True)
    }
    states = []
    for general_kind in GeneralKind.values:
        if kind is not None and general_kind != kind:
            continue
        if general_kind in stored:
            state = general_subscription_state(stored[general_kind])
        else:
            default = is_on_by_default(general_kind)
            state = GeneralSubscriptionState(
                id=None,
                kind=general_kind,
                should_notify=default,
                should_notify_by_email=default,
                should_notify_by_chat=default,
            )
        if should_notify is not None and state.should_notify != should_notify:
            continue
        if should_notify_by_email is not None and state.should_notify_by_email != should_notify_by_email:
            continue
        states.append(state)
    return states


def entity_subscriptions_for_member(
    *,
    member: Member,
    id: int | None = None,
    kind: str | None = None,
    entity_id: str | None = None,
    status: str | None = None,
) -> list[EntitySubscriptionState]:
    """The member's stored entity subscriptions, oldest first (stable order)."""
    if status == "DEFAULT":
        # DEFAULT means "nothing stored", so no stored row can match it.
        return []
    rows = Subscription.objects.filter(member=member, entity_id__isnull=False)
    if id is not None:
        rows = rows.filter(id=id)
    if kind is not None:
        rows = rows.filter(kind=kind)
    if entity_id is not None:
        rows = rows.filter(entity_id=entity_id)
    if status is not None:
        rows = rows.filter(should_notify=status == "WATCH")
    return [entity_subscription_state(row) for row in rows.order_by("id")]
