import re

import pytest
from django.core import mail

from members.models import Member
from members.tokens import TokenType, auth_token_issue, email_verification_token_issue, token_issue
from tests.conftest import GraphQLClient, error_messages
from tests.members.conftest import signed_variables
from tests.smtp_sink import SmtpSink

SIGNUP = """
mutation ($memberId: Int!, $name: String!, $email: String, $signature: String!, $timestamp: BigInt!) {
  signup(memberId: $memberId, name: $name, email: $email, signature: $signature, timestamp: $timestamp)
}
"""
VERIFY_EMAIL = "mutation ($token: String!) { verifyEmail(token: $token) { id email unverifiedEmail } }"
UPDATE_MEMBER = """
mutation ($email: String, $receiveEmails: Boolean) {
  updateMember(email: $email, receiveEmails: $receiveEmails) { id name email unverifiedEmail receiveEmails }
}
"""
TOKEN_IN_LINK = re.compile(r"#/settings\?emailVerificationToken=([A-Za-z0-9_\-.]+)")

pytestmark = pytest.mark.django_db(transaction=True)


def token_of(message) -> str:
    [token] = set(TOKEN_IN_LINK.findall(message.body))
    return token


def sign_up(api_client, member_id: int = 1, email: str = "alice@example.org") -> str:
    """Sign up through the API; return the auth token."""
    variables = {**signed_variables(member_id), "name": "Alice", "email": email}
    return api_client.execute(SIGNUP, variables)["signup"]


def assert_invalid_token(result: dict) -> None:
    assert error_messages(result) == ["Invalid verification token"], result
    assert result["errors"][0]["extensions"]["code"] == "INVALID_TOKEN"


def test_the_link_of_the_signup_email_verifies_the_address(api_client, query_node, tasks_inline):
    sign_up(api_client)
    [message] = mail.outbox

    result = api_client.execute(VERIFY_EMAIL, {"token": token_of(message)})

    assert result["verifyEmail"] == {"id": 1, "email": "alice@example.org", "unverifiedEmail": None}
    member = Member.objects.get(pk=1)
    assert (member.email, member.unverified_email) == ("alice@example.org", None)


def test_verify_email_is_public_and_ignores_a_stale_authorization(api_client, query_node, tasks_inline):
    sign_up(api_client)

    result = api_client.execute(
        VERIFY_EMAIL, {"token": token_of(mail.outbox[0])}, HTTP_AUTHORIZATION="Bearer stale"
    )

    assert result["verifyEmail"]["email"] == "alice@example.org"


def test_a_used_token_cannot_be_used_again(api_client, query_node, tasks_inline):
    sign_up(api_client)
    token = token_of(mail.outbox[0])
    api_client.execute(VERIFY_EMAIL, {"token": token})

    assert_invalid_token(api_client.post(VERIFY_EMAIL, {"token": token}))


def test_an_expired_token_is_refused(api_client, query_node, tasks_inline):
    sign_up(api_client)
    expired = token_issue(
        payload={"memberId": 1, "type": int(TokenType.EMAIL_VERIFICATION), "email": "alice@example.org"},
        ttl_seconds=-1,
    )

    assert_invalid_token(api_client.post(VERIFY_EMAIL, {"token": expired}))
    assert Member.objects.get(pk=1).email is None


def test_the_token_lifetime_is_configurable(api_client, query_node, tasks_inline, settings):
    settings.EMAIL_VERIFICATION_TTL_DAYS = 0  # issued already expired

    sign_up(api_client)

    assert_invalid_token(api_client.post(VERIFY_EMAIL, {"token": token_of(mail.outbox[0])}))


@pytest.mark.parametrize("part", [0, 1, 2], ids=["header", "payload", "signature"])
def test_a_tampered_token_is_refused(api_client, query_node, tasks_inline, part):
    sign_up(api_client)
    pieces = token_of(mail.outbox[0]).split(".")
    pieces[part] = pieces[part][:-2] + ("AA" if pieces[part][-2:] != "AA" else "BB")

    assert_invalid_token(api_client.post(VERIFY_EMAIL, {"token": ".".join(pieces)}))
    assert Member.objects.get(pk=1).email is None


@pytest.mark.parametrize("token", ["", "garbage", "a.b.c"])
def test_a_malformed_token_is_refused(api_client, token):
    assert_invalid_token(api_client.post(VERIFY_EMAIL, {"token": token}))


def test_an_auth_token_is_not_a_verification_token(api_client, query_node, tasks_inline):
    sign_up(api_client)

    assert_invalid_token(api_client.post(VERIFY_EMAIL, {"token": auth_token_issue(member_id=1)}))


def test_a_token_for_another_address_than_the_pending_one_is_refused(api_client, query_node, tasks_inline):
    sign_up(api_client)
    other = email_verification_token_issue(member_id=1, email="someone-else@example.org")

    assert_invalid_token(api_client.post(VERIFY_EMAIL, {"token": other}))


def test_a_token_for_an_unknown_member_is_refused(api_client):
    token = email_verification_token_issue(member_id=404, email="ghost@example.org")

    assert_invalid_token(api_client.post(VERIFY_EMAIL, {"token": token}))


def test_changing_the_email_then_verifying_it(api_client, query_node, tasks_inline, settings):
    settings.CORS_ALLOWED_ORIGINS = ["http://localhost:8080"]  # a local Pioneer the links may point to
    auth = GraphQLClient(token=sign_up(api_client))
    api_client.execute(VERIFY_EMAIL, {"token": token_of(mail.outbox[0])})

    updated = auth.execute(UPDATE_MEMBER, {"email": "new@example.org"}, HTTP_REFERER="http://localhost:8080/")

    assert updated["updateMember"] == {
        "id": 1,
        "name": "Alice",
        "email": "alice@example.org",  # the verified address keeps working until the new one is proven
        "unverifiedEmail": "new@example.org",
        "receiveEmails": True,
    }
    second = mail.outbox[1]
    assert second.to == ["new@example.org"]
    assert "http://localhost:8080/#/settings?emailVerificationToken=" in second.body

    verified = api_client.execute(VERIFY_EMAIL, {"token": token_of(second)})["verifyEmail"]

    assert verified == {"id": 1, "email": "new@example.org", "unverifiedEmail": None}


def test_a_superseded_link_stops_working(api_client, query_node, tasks_inline):
    auth = GraphQLClient(token=sign_up(api_client))
    auth.execute(UPDATE_MEMBER, {"email": "second@example.org"})
    first, second = mail.outbox

    assert_invalid_token(api_client.post(VERIFY_EMAIL, {"token": token_of(first)}))
    assert api_client.execute(VERIFY_EMAIL, {"token": token_of(second)})["verifyEmail"]["email"] == (
        "second@example.org"
    )


@pytest.mark.parametrize("reply", ["550 5.1.1 No such user", "451 4.7.1 Greylisted, try later"])
def test_a_refused_verification_email_is_attempted_once_and_the_signup_stands(
    api_client, query_node, tasks_inline, settings, reply
):
    # given: no broker, and an SMTP server that refuses the address (for good, or for now)
    with SmtpSink() as sink:
        for name, value in sink.django_settings().items():
            setattr(settings, name, value)
        sink.refuse_recipients = reply

        token = sign_up(api_client)

    # then: one attempt, nothing retried inside the request; the member exists and can ask again
    assert token
    assert len(sink.rcpt_times) == 1 and sink.messages == []
    assert Member.objects.get(pk=1).unverified_email == "alice@example.org"
