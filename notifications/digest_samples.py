"""Sample daily and weekly digests, built from the kinds table's samples like the single
emails' (notifications.samples): `mockemail --digest` and the admin preview.

A daily sample lists one kind of each family, a weekly one every kind a digest can hold
(kinds sent immediately never wait for a digest, so they are left out of both).
"""

from __future__ import annotations

from members.models import EmailFrequency
from notifications.digest_email import DigestItem, digest_email_render
from notifications.emails import RenderedEmail
from notifications.samples import SAMPLE_MEMBER_EMAIL, SAMPLE_MEMBER_ID, SAMPLE_MEMBER_NAME, sample_data
from notifications.unsubscribe import digest_unsubscribe_url
from preferences.tokens import preferences_url
from subscriptions.kinds import KINDS

# What operators type (`mockemail --digest daily`, the admin's URL) and the frequency it means.
DIGEST_SAMPLE_FREQUENCIES = {"daily": EmailFrequency.DAILY, "weekly": EmailFrequency.WEEKLY}


def sample_digest_kinds(frequency: str) -> list[str]:
    """The kinds a sample digest of `frequency` lists, in the table's order."""
    held = [kind for kind in KINDS if not kind.immediate]
    if frequency == EmailFrequency.WEEKLY:
        return [kind.name for kind in held]
    first_of_family: dict[str, str] = {}
    for kind in held:
        first_of_family.setdefault(kind.family.name, kind.name)
    return list(first_of_family.values())


def sample_digest_render(frequency: str) -> RenderedEmail:
    items = [DigestItem(kind=kind, data=sample_data(kind)) for kind in sample_digest_kinds(frequency)]
    return digest_email_render(
        items=items,
        total=len(items),
        frequency=frequency,
        member_name=SAMPLE_MEMBER_NAME,
        unsubscribe_url=digest_unsubscribe_url(member_id=SAMPLE_MEMBER_ID, frequency=frequency),
        preferences_url=preferences_url(member_id=SAMPLE_MEMBER_ID, email=SAMPLE_MEMBER_EMAIL),
    )
