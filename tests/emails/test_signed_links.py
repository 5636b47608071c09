"""pioneer.signed_links makes the very tokens and links Django's signing.dumps and reverse()
make, with the signer and the reversed path made once."""

from unittest import mock

import pytest
from django.core import signing
from django.urls import reverse, set_script_prefix

from notifications.unsubscribe import UNSUBSCRIBE_SALT, unsubscribe_token_decode, unsubscribe_url
from pioneer.signed_links import signed_token, token_link
from preferences.tokens import PREFERENCES_SALT, preferences_member, preferences_url
from tests.factories import MemberFactory

PAYLOADS = [{"m": 7, "k": "FORUM_POST_REPLY", "e": "12"}, {"m": 1, "d": "DAILY"}, {"m": 3, "e": "ab" * 12}]


@pytest.mark.parametrize("compress", [True, False])
@pytest.mark.parametrize("salt", [UNSUBSCRIBE_SALT, PREFERENCES_SALT])
def test_a_signed_token_is_the_one_signing_dumps_makes(salt, compress, settings):
    for key in ("first-key-" + "x" * 40, "second-key-" + "y" * 40):  # a changed key is used at once
        settings.SECRET_KEY = key
        for payload in PAYLOADS:
            with mock.patch("django.core.signing.time.time", return_value=1_767_000_000.5):
                ours = signed_token(payload, salt=salt, compress=compress)
                django = signing.dumps(payload, salt=salt, compress=compress)
            assert ours == django
            assert signing.loads(ours, salt=salt) == payload


@pytest.mark.parametrize("name", ["unsubscribe", "preferences"])
def test_a_token_link_is_public_url_and_reverse(name, settings):
    settings.PUBLIC_URL = "https://notify.example.org"
    tokens = ["eyJtIjo3fQ:1xZbuA:90o86RIjFNq-_ZfKU", ".eJyrVsrNV:1x:a_b-c", "needs quoting é?#"]
    try:
        for prefix in ("/", "/under/a/prefix/"):
            set_script_prefix(prefix)
            for token in tokens:
                expected = f"https://notify.example.org{reverse(name, kwargs={'token': token})}"
                assert token_link(name, token) == expected
    finally:
        set_script_prefix("/")


def test_the_links_of_an_email_still_open_what_they_name(db, settings):
    settings.PUBLIC_URL = "https://notify.example.org"
    member = MemberFactory()
    unsubscribe = unsubscribe_url(member_id=member.id, kind="FORUM_THREAD_ENTITY_POST", entity_id="42")
    claim = unsubscribe_token_decode(unsubscribe.rsplit("/", 1)[1])
    assert (claim.member_id, claim.kind, claim.entity_id) == (member.id, "FORUM_THREAD_ENTITY_POST", "42")
    preferences = preferences_url(member_id=member.id, email=member.email)
    assert preferences.startswith("https://notify.example.org/preferences/")
    assert preferences_member(preferences.rsplit("/", 1)[1]) == member
