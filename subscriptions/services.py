"""Writes of a member's subscriptions: general kinds and entity watch/mute."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.utils import timezone

from members.models import Member
from pioneer.errors import invalid_input
from subscriptions.kinds import (
    ENTITY_ID_MAX_LENGTH,
    GeneralKind,
    is_entity,
    is_general,
    is_on_by_default,
)
from subscriptions.models import Subscription
from subscriptions.selectors import (
    EntitySubscriptionState,
    GeneralSubscriptionState,
    entity_subscription_state,
    general_subscription_state,
    general_subscriptions_for_member,
)

# The UI sends every general kind at once (15 today); anything far beyond that is not a real client.
GENERAL_SUBSCRIPTION_INPUTS_MAX = 100


@dataclass(frozen=True)
class GeneralSubscriptionChange:
    kind: str
    should_notify: bool = True
    should_notify_by_email: bool = True
    # None leaves the chat choice as it is (stored, else the kind's default): clients that
    # predate chat send no such flag and must not change it.
    should_notify_by_chat: bool | None = None


def entity_id_clean(entity_id: object) -> str:
    if not isinstance(entity_id, str) or not entity_id.strip():
        raise invalid_input("entityId must be a non-empty string")
    cleaned = entity_id.strip()
    if len(cleaned) > ENTITY_ID_MAX_LENGTH:
        raise invalid_input(f"entityId must be at most {ENTITY_ID_MAX_LENGTH} characters")
    if has_control_characters(cleaned):
        raise invalid_input("entityId must not contain control characters")
    return cleaned


def has_control_characters(text: str) -> bool:
    """Query-node ids never hold them, and PostgreSQL refuses NUL in text outright."""
    return any(ord(char) < 32 or ord(char) == 127 for char in text)


def _upsert(*, member: Member, kind: str, entity_id: str | None, values: dict) -> Subscription:
    """Update the row of (member, kind, entity_id) or create it; safe against a concurrent create."""
    lookup = {"member": member, "kind": kind, "entity_id": entity_id}
    for _attempt in range(2):
        existing = Subscription.objects.select_for_update().filter(**lookup).first()
        if existing is not None:
            changed = [field for field, value in values.items() if getattr(existing, field) != value]
            for field in changed:
                setattr(existing, field, values[field])
            if changed:
                existing.save(update_fields=[*changed, "updated_at"])
            return existing
        try:
            # A savepoint, so losing a race to another request leaves the outer transaction usable.
            with transaction.atomic():
                return Subscription.objects.create(**lookup, **values)
        except IntegrityError:
            continue
    raise invalid_input("The subscription changed concurrently; please retry")


def general_subscriptions_update(
    *, member: Member, changes: Sequence[GeneralSubscriptionChange]
) -> list[GeneralSubscriptionState]:
    """Store each change in one transaction; return the stored rows touched, in input order.

    A change equal to the kind's default with no stored row stores nothing (the default
    already says the same). Several changes of one kind: the last one wins.
    """
    if len(changes) > GENERAL_SUBSCRIPTION_INPUTS_MAX:
        raise invalid_input(
            f"At most {GENERAL_SUBSCRIPTION_INPUTS_MAX} general subscriptions can be changed at once"
        )
    for change in changes:
        if not is_general(change.kind):
            raise invalid_input(f"{change.kind} is not a general subscription kind")
    last_change_per_kind = {change.kind: change for change in changes}
    touched: dict[str, Subscription] = {}
    with transaction.atomic():
        stored = {
            row.kind: row
            for row in Subscription.objects.select_for_update().filter(
                member=member, entity_id__isnull=True, kind__in=list(last_change_per_kind)
            )
        }
        for kind, change in last_change_per_kind.items():
            default = is_on_by_default(kind)
            if (
                kind not in stored
                and change.should_notify == default
                and change.should_notify_by_email == default
                and change.should_notify_by_chat in (None, default)
            ):
                continue
            values = {
                "should_notify": change.should_notify,
                "should_notify_by_email": change.should_notify_by_email,
            }
            if change.should_notify_by_chat is not None:
                values["should_notify_by_chat"] = change.should_notify_by_chat
            touched[kind] = _upsert(member=member, kind=kind, entity_id=None, values=values)
    return [general_subscription_state(row) for row in touched.values()]


def general_subscriptions_set_all(
    *, member: Member, should_notify: bool | None = None, should_notify_by_email: bool | None = None
) -> list[GeneralSubscriptionState]:
    """Set the given switch(es) on every general kind at once; return the full list, in enum order.

    A switch left out keeps each kind's current value. Entity watches and mutes are untouched.
    Two queries whatever the number of kinds: rows missing for kinds whose new state differs
    from their default are created (a row created concurrently is kept), then every stored
    general row gets the given switch(es).
    """
    given = {
        name: value
        for name, value in (
            ("should_notify", should_notify),
            ("should_notify_by_email", should_notify_by_email),
        )
        if value is not None
    }
    if not given:
        raise invalid_input("Pass shouldNotifyInApp, shouldNotifyByEmail or both")
    kinds = list(GeneralKind.values)
    with transaction.atomic():
        missing = []
        for kind in kinds:
            default = is_on_by_default(kind)
            values = {"should_notify": default, "should_notify_by_email": default, **given}
            # Like the per-kind mutation: a kind whose new state is its default stores nothing.
            if set(values.values()) != {default}:
                missing.append(Subscription(member=member, kind=kind, entity_id=None, **values))
        Subscription.objects.bulk_create(missing, ignore_conflicts=True)
        Subscription.objects.filter(member=member, entity_id__isnull=True, kind__in=kinds).update(
            **given, updated_at=timezone.now()
        )
    return general_subscriptions_for_member(member=member)


def entity_subscription_set(
    *, member: Member, kind: str, entity_id: str, status: str
) -> EntitySubscriptionState:
    """WATCH or MUTE stores the choice; DEFAULT deletes it (the result's id is the deleted row's, or None)."""
    if not is_entity(kind):
        raise invalid_input(f"{kind} is not an entity subscription kind")
    if status not in {"WATCH", "MUTE", "DEFAULT"}:
        raise invalid_input("status must be WATCH, MUTE or DEFAULT")
    entity_id = entity_id_clean(entity_id)
    with transaction.atomic():
        if status == "DEFAULT":
            existing = (
                Subscription.objects.select_for_update()
                .filter(member=member, kind=kind, entity_id=entity_id)
                .first()
            )
            deleted_id = None
            if existing is not None:
                deleted_id = existing.id
                existing.delete()
            return EntitySubscriptionState(id=deleted_id, kind=kind, entity_id=entity_id, status="DEFAULT")
        watch = status == "WATCH"
        row = _upsert(
            member=member,
            kind=kind,
            entity_id=entity_id,
            values={"should_notify": watch, "should_notify_by_email": watch},
        )
    return entity_subscription_state(row)
