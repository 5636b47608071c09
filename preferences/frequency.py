"""The email frequency select of the page, shown only when members have that setting.

Member.email_frequency (daily and weekly digests) comes with member settings; until it exists
the page has no select and the form accepts no `email_frequency` field. Everything that
depends on it is here, so wiring it is this one module.
"""

from __future__ import annotations

from django.core.exceptions import FieldDoesNotExist

from members.models import Member

FIELD_NAME = "email_frequency"


def email_frequency_choices() -> list[tuple[str, str]] | None:
    """(value, label) of each frequency, or None when members have no such setting."""
    try:
        field = Member._meta.get_field(FIELD_NAME)
    except FieldDoesNotExist:
        return None
    return [(str(value), str(label)) for value, label in field.choices]


def email_frequency_of(member: Member) -> str | None:
    return getattr(member, FIELD_NAME, None) if email_frequency_choices() is not None else None


def email_frequency_update(email_frequency: str | None) -> dict:
    """The keyword to pass members.services.member_update (the same argument updateMember uses)."""
    return {FIELD_NAME: email_frequency} if email_frequency is not None else {}
