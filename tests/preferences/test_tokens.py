"""The preferences link token: signed, member-scoped, expiring, revoked by an address change,
and never interchangeable with the other tokens of the service."""

import time

import pytest
from django.core import signing

from members.tokens import auth_token_issue, email_verification_token_issue
from notifications.unsubscribe import (
    InvalidUnsubscribeToken,
    unsubscribe_token_decode,
    unsubscribe_token_issue,
)
from preferences.tokens import (
    PreferencesTokenError,
    preferences_member,
    preferences_token_issue,
    preferences_url,
)
from tests.conftest import GraphQLClient
from tests.preferences.conftest import PUBLIC_URL

pytestmark = pytest.mark.django_db


def test_a_token_opens_its_members_settings(ada):
    token = preferences_token_issue(member_id=ada.id, email="ada@example.org")
    assert preferences_member(token) == ada


def test_the_link_points_at_this_service(ada):
    url = preferences_url(member_id=ada.id, email=ada.email)
    assert url.startswith(f"{PUBLIC_URL}/preferences/")
    assert preferences_member(url.rsplit("/", 1)[1]) == ada


def test_the_address_is_not_readable_in_the_token(ada):
    token = preferences_token_issue(member_id=ada.id, email=ada.email)
    payload = signing.loads(token, salt="pioneer.preferences.link")
    assert "ada@example.org" not in str(payload) and "ada" not in str(payload)


def test_a_token_expires_after_preferences_link_days(ada, settings, monkeypatch):
    settings.PREFERENCES_LINK_DAYS = 2
    token = preferences_token_issue(member_id=ada.id, email=ada.email)
    now = time.time()
    monkeypatch.setattr(time, "time", lambda: now + 2 * 86400 - 60)
    assert preferences_member(token) == ada
    monkeypatch.setattr(time, "time", lambda: now + 2 * 86400 + 60)
    with pytest.raises(PreferencesTokenError) as refused:
        preferences_member(token)
    assert refused.value.reason == "expired" and refused.value.member_id == ada.id


def test_a_changed_address_revokes_earlier_links(ada):
    token = preferences_token_issue(member_id=ada.id, email=ada.email)
    ada.email = "ada@new.example.org"
    ada.save()
    with pytest.raises(PreferencesTokenError) as refused:
        preferences_member(token)
    assert refused.value.reason.startswith("revoked") and refused.value.member_id == ada.id
    assert preferences_member(preferences_token_issue(member_id=ada.id, email="ada@new.example.org")) == ada


def test_the_address_being_verified_counts_until_it_is_replaced(ada):
    # The verification email carries a preferences link before the address is verified.
    ada.email, ada.unverified_email = None, "ada@pending.example.org"
    ada.save()
    token = preferences_token_issue(member_id=ada.id, email="ada@pending.example.org")
    assert preferences_member(token) == ada
    ada.unverified_email = "someone-else@example.org"
    ada.save()
    with pytest.raises(PreferencesTokenError):
        preferences_member(token)


def test_address_comparison_ignores_case(ada):
    assert preferences_member(preferences_token_issue(member_id=ada.id, email="ADA@Example.org")) == ada


@pytest.mark.parametrize(
    "forge",
    [
        lambda token: token[:-2] + ("AA" if not token.endswith("AA") else "BB"),
        lambda token: "",
        lambda token: "not-a-token",
        lambda token: signing.dumps({"m": 7, "e": "x" * 24}, salt="another.salt"),
        lambda token: signing.dumps({"m": "7", "e": "x"}, salt="pioneer.preferences.link"),
        lambda token: signing.dumps([7], salt="pioneer.preferences.link"),
    ],
    ids=["tampered", "empty", "garbage", "other-salt", "bad-member-id", "not-an-object"],
)
def test_forged_or_malformed_tokens_are_refused(ada, forge):
    token = preferences_token_issue(member_id=ada.id, email=ada.email)
    with pytest.raises(PreferencesTokenError) as refused:
        preferences_member(forge(token))
    assert refused.value.member_id is None


def test_a_token_of_an_unknown_member_is_refused(db):
    with pytest.raises(PreferencesTokenError):
        preferences_member(preferences_token_issue(member_id=404, email="x@example.org"))


def test_other_tokens_do_not_open_the_page(ada):
    for token in (
        auth_token_issue(member_id=ada.id),
        email_verification_token_issue(member_id=ada.id, email=ada.email),
        unsubscribe_token_issue(member_id=ada.id, kind="FORUM_POST_MENTION"),
    ):
        with pytest.raises(PreferencesTokenError):
            preferences_member(token)


def test_a_preferences_token_grants_no_api_access(ada):
    token = preferences_token_issue(member_id=ada.id, email=ada.email)
    result = GraphQLClient(token=token).post("{ me { id } }")
    assert result["errors"][0]["extensions"]["code"] == "UNAUTHORIZED"
    with pytest.raises(InvalidUnsubscribeToken):
        unsubscribe_token_decode(token)
