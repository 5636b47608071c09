"""Writes and business rules for members."""

from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction

from members.models import Member


@dataclass(frozen=True)
class InitialMembership:
    id: int
    name: str
    email: str | None


def initial_memberships_parse(raw: list) -> list[InitialMembership]:
    """Validate INITIAL_MEMBERSHIPS entries; raise ValueError naming the bad entry."""
    parsed = []
    for index, entry in enumerate(raw):
        if not isinstance(entry, dict):
            raise ValueError(f"INITIAL_MEMBERSHIPS[{index}] must be an object with id, name and email")
        member_id, name, email = entry.get("id"), entry.get("name"), entry.get("email")
        if isinstance(member_id, bool) or not isinstance(member_id, int) or member_id < 0:
            raise ValueError(f"INITIAL_MEMBERSHIPS[{index}].id must be a non-negative integer")
        if not isinstance(name, str) or not name.strip():
            raise ValueError(f"INITIAL_MEMBERSHIPS[{index}].name must be a non-empty string")
        if email is not None:
            try:
                validate_email(email)
            except ValidationError as exc:
                raise ValueError(f"INITIAL_MEMBERSHIPS[{index}].email is not a valid address") from exc
        parsed.append(InitialMembership(id=member_id, name=name.strip(), email=email))
    return parsed


def members_upsert_initial(*, memberships: list[InitialMembership]) -> list[Member]:
    """Create or update the operator's memberships; their emails count as verified."""
    members = []
    with transaction.atomic():
        for membership in memberships:
            member, _ = Member.objects.update_or_create(
                pk=membership.id,
                defaults={"name": membership.name, "email": membership.email, "unverified_email": None},
            )
            members.append(member)
    return members
