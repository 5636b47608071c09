"""The signed link to a member's preferences page (`/preferences/<token>`).

Django's signing with a salt of its own, like the unsubscribe links: the token can never stand
in for an auth or verification token (those are JWTs under another key), nor for an
unsubscribe token (another salt). It carries the member id, a keyed digest of the address the
link was sent to (the address itself would be readable in the URL) and its signing time. It is
accepted for PREFERENCES_LINK_DAYS, and only while that address is still the member's: a
changed address makes every earlier link useless. The address pending verification counts
too, because the verification email carries the link before the address is verified.
"""

from __future__ import annotations

import hmac
from dataclasses import dataclass

from django.conf import settings
from django.core import signing
from django.utils.crypto import salted_hmac

from members.models import Member
from pioneer.signed_links import signed_token, token_link

PREFERENCES_SALT = "pioneer.preferences.link"
_EMAIL_DIGEST_SALT = "pioneer.preferences.link.email"
_EMAIL_DIGEST_LENGTH = 24  # hex characters: 96 bits


class PreferencesTokenError(Exception):
    """The token is malformed, forged, expired or revoked. `member_id` is set when the
    signature was good (expired or revoked): the page can offer that member a fresh link."""

    def __init__(self, reason: str, member_id: int | None = None):
        super().__init__(reason)
        self.reason = reason
        self.member_id = member_id


@dataclass(frozen=True)
class PreferencesClaim:
    member_id: int
    email_digest: str


def _email_digest(email: str) -> str:
    return salted_hmac(_EMAIL_DIGEST_SALT, email.strip().lower()).hexdigest()[:_EMAIL_DIGEST_LENGTH]


def preferences_token_issue(*, member_id: int, email: str) -> str:
    return signed_token({"m": int(member_id), "e": _email_digest(email)}, salt=PREFERENCES_SALT)


def _claim(payload: object) -> PreferencesClaim:
    if not isinstance(payload, dict):
        raise PreferencesTokenError("bad payload")
    member_id, digest = payload.get("m"), payload.get("e")
    if isinstance(member_id, bool) or not isinstance(member_id, int) or not isinstance(digest, str):
        raise PreferencesTokenError("bad payload")
    return PreferencesClaim(member_id=member_id, email_digest=digest)


def preferences_token_read(token: str) -> PreferencesClaim:
    """The claim of a well-signed token younger than PREFERENCES_LINK_DAYS, else PreferencesTokenError."""
    try:
        payload = signing.loads(token, salt=PREFERENCES_SALT, max_age=settings.PREFERENCES_LINK_DAYS * 86400)
    except signing.SignatureExpired as exc:
        raise PreferencesTokenError("expired", member_id=_member_id_of_expired(token)) from exc
    except signing.BadSignature as exc:
        raise PreferencesTokenError("bad signature") from exc
    return _claim(payload)


def _member_id_of_expired(token: str) -> int | None:
    try:
        return _claim(signing.loads(token, salt=PREFERENCES_SALT)).member_id
    except (signing.BadSignature, PreferencesTokenError):
        return None


def preferences_member(token: str) -> Member:
    """The member a token is valid for now; PreferencesTokenError when it is not (any more)."""
    claim = preferences_token_read(token)
    member = Member.objects.filter(pk=claim.member_id).first()
    if member is None:
        raise PreferencesTokenError("no such member")
    addresses = [address for address in (member.email, member.unverified_email) if address]
    if not any(hmac.compare_digest(_email_digest(address), claim.email_digest) for address in addresses):
        raise PreferencesTokenError("revoked: the member's address changed", member_id=member.id)
    return member


def preferences_url(*, member_id: int, email: str) -> str:
    """The absolute link for an email to `email`."""
    return token_link("preferences", preferences_token_issue(member_id=member_id, email=email))
