"""`/preferences/` without a token: email a fresh link to a member's verified address.

The answer never says whether the member exists, has an address or was rate-limited: the
view shows the same page whatever happens here. Links go only to the member's verified
address, at most PER_MEMBER_PER_HOUR an hour, counted with the other rate limits; over the limit
nothing is sent (the verification email's own limit is per target address because it goes to
any address a member types; this one never does).
"""

from __future__ import annotations

import logging

from members.models import Member
from pioneer.errors import DomainError, invalid_input
from pioneer.rate_limits import Spend, rate_limits_spend
from preferences.tasks import send_preferences_link
from subscriptions.services import has_control_characters

logger = logging.getLogger(__name__)

PER_MEMBER_PER_HOUR = 5
IDENTIFIER_MAX_LENGTH = Member._meta.get_field("name").max_length


def identifier_clean(identifier: object) -> str:
    text = identifier.strip() if isinstance(identifier, str) else ""
    if not text:
        raise invalid_input("Enter your member handle or membership id")
    if len(text) > IDENTIFIER_MAX_LENGTH or has_control_characters(text):
        raise invalid_input(f"A handle is 1 to {IDENTIFIER_MAX_LENGTH} printable characters")
    return text


def member_find(identifier: str) -> Member | None:
    """By membership id (digits, optionally after '#') or by the exact name the member registered."""
    digits = identifier.removeprefix("#")
    if digits.isascii() and digits.isdigit() and len(digits) <= 18:
        member = Member.objects.filter(pk=int(digits)).first()
        if member is not None:
            return member
    matches = list(Member.objects.filter(name=identifier)[:2])
    return matches[0] if len(matches) == 1 else None


def _allow(member: Member) -> bool:
    """Count one more link request for the member; False once PER_MEMBER_PER_HOUR are used."""
    try:
        rate_limits_spend(
            Spend(group="preferences-link-member", rate=f"{PER_MEMBER_PER_HOUR}/h", key=str(member.id))
        )
    except DomainError:
        return False
    return True


def preferences_link_request(*, identifier: str) -> None:
    """Queue the link email if the member has a deliverable verified address and is within the limits."""
    member = member_find(identifier_clean(identifier))
    if member is None or not member.email or not member.email_deliverable:
        return
    if not _allow(member):
        logger.info("Preferences link for member %s not sent: rate limit reached", member.id)
        return
    try:
        send_preferences_link.delay(member_id=member.id, email=member.email)
    except Exception as exc:  # kombu raises OperationalError and friends when the broker is down
        logger.warning("Broker unavailable (%s): sending the preferences link from the API", exc)
        send_preferences_link.run(member_id=member.id, email=member.email)
