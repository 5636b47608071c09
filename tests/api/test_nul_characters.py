"""PostgreSQL refuses NUL in text; every GraphQL text argument is checked before any resolver runs."""

import pytest

from members.models import Member
from tests.conftest import error_messages

UPDATE_MEMBER = """
mutation UpdateBackendMember($email: String, $receiveEmails: Boolean) {
  updateMember(email: $email, receiveEmails: $receiveEmails) { id email unverifiedEmail }
}
"""
SIGNUP = """
mutation RegisterBackendMember(
  $id: Int!, $name: String!, $email: String!, $signature: String!, $timestamp: BigInt!
) {
  signup(memberId: $id, name: $name, email: $email, signature: $signature, timestamp: $timestamp)
}
"""
GENERAL_SUBSCRIPTIONS = """
mutation { generalSubscriptions(data: [{kind: FORUM_POST_ALL}]) { id } }
"""


def test_a_nul_character_in_a_variable_is_a_clear_input_error(member_api_client, member):
    result = member_api_client.post(UPDATE_MEMBER, {"email": "a\x00@example.org"})

    assert error_messages(result) == ["Text arguments must not contain NUL characters"]
    assert result["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT"
    member.refresh_from_db()
    assert member.unverified_email is None


@pytest.mark.parametrize("field", ["name", "signature", "email"])
def test_public_mutations_refuse_nul_characters_too(api_client, field):
    variables = {"id": 9, "name": "eve", "email": "eve@example.org", "signature": "0x00", "timestamp": "1"}
    variables[field] = variables[field] + "\x00"

    result = api_client.post(SIGNUP, variables)

    assert error_messages(result) == ["Text arguments must not contain NUL characters"]
    assert not Member.objects.filter(pk=9).exists()


def test_arguments_without_nul_are_untouched(member_api_client):
    data = member_api_client.execute(GENERAL_SUBSCRIPTIONS)

    assert data["generalSubscriptions"][0]["id"] is not None
