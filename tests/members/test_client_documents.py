"""The operations the Pioneer UI sends, as the issue lists them: each must validate and behave."""

import re

import pytest
from django.core import mail

from tests.conftest import GraphQLClient, error_messages
from tests.members.conftest import signed_variables

GET_BACKEND_MEMBER_EXISTS = """
  query GetBackendMemberExists($id: Int!) {
    memberExist(id: $id)
  }
"""
GET_BACKEND_MEMBER_EXISTS_NULLABLE = """
  query GetBackendMemberExists($id: Int) {
    memberExist(id: $id)
  }
"""
GET_BACKEND_ME = """
  query GetBackendMe {
    me {
      id
      name
      email
      unverifiedEmail
      receiveEmails
    }
  }
"""
REGISTER_BACKEND_MEMBER = """
  mutation RegisterBackendMember($id: Int!, $name: String!, $email: String!, $signature: String!, $timestamp: BigInt!) {
    signup(memberId: $id, name: $name, email: $email, signature: $signature, timestamp: $timestamp)
  }
"""  # noqa: E501 - the UI's document, kept as it sends it
CONFIRM_BACKEND_EMAIL = """
  mutation ConfirmBackendEmail($token: String!) {
    verifyEmail(token: $token) {
      email
    }
  }
"""
UPDATE_BACKEND_MEMBER = """
  mutation UpdateBackendMember($email: String, $receiveEmails: Boolean) {
    updateMember(email: $email, receiveEmails: $receiveEmails) {
      id
      name
      email
      unverifiedEmail
      receiveEmails
    }
  }
"""
BACKEND_SIGNIN = """
  mutation BackendSignin($memberId: Int!, $signature: String!, $timestamp: BigInt!) {
    signin(memberId: $memberId, signature: $signature, timestamp: $timestamp)
  }
"""
TOKEN_IN_LINK = re.compile(r"emailVerificationToken=([A-Za-z0-9_\-.]+)")


@pytest.mark.django_db(transaction=True)
def test_the_pioneer_ui_flow_end_to_end(query_node, tasks_inline):
    # Logged out, the UI sends an empty Authorization header.
    ui = GraphQLClient()
    logged_out = {"HTTP_AUTHORIZATION": ""}

    assert ui.execute(GET_BACKEND_MEMBER_EXISTS, {"id": 1}, **logged_out) == {"memberExist": False}
    assert ui.execute(GET_BACKEND_MEMBER_EXISTS_NULLABLE, {"id": 1}, **logged_out) == {"memberExist": False}

    signup = signed_variables(1)
    registered = ui.execute(
        REGISTER_BACKEND_MEMBER,
        {
            "id": 1,
            "name": "alice",
            "email": "alice@example.org",
            "signature": signup["signature"],
            "timestamp": signup["timestamp"],
        },
        HTTP_REFERER="https://pioneerapp.xyz/",
        **logged_out,
    )
    assert isinstance(registered["signup"], str)
    assert ui.execute(GET_BACKEND_MEMBER_EXISTS, {"id": 1}, **logged_out) == {"memberExist": True}

    token = TOKEN_IN_LINK.search(mail.outbox[0].body).group(1)
    assert ui.execute(CONFIRM_BACKEND_EMAIL, {"token": token}, **logged_out) == {
        "verifyEmail": {"email": "alice@example.org"}
    }

    # Later, on another device: sign in (a stale token may still be in storage).
    signed_in = ui.execute(BACKEND_SIGNIN, signed_variables(1), HTTP_AUTHORIZATION="Bearer stale.old.token")
    ui.token = signed_in["signin"]

    assert ui.execute(GET_BACKEND_ME) == {
        "me": {
            "id": 1,
            "name": "alice",
            "email": "alice@example.org",
            "unverifiedEmail": None,
            "receiveEmails": True,
        }
    }
    assert ui.execute(UPDATE_BACKEND_MEMBER, {"email": "alice@new.example", "receiveEmails": False}) == {
        "updateMember": {
            "id": 1,
            "name": "alice",
            "email": "alice@example.org",
            "unverifiedEmail": "alice@new.example",
            "receiveEmails": False,
        }
    }


def test_me_logged_out_answers_unauthorized(api_client):
    result = api_client.post(GET_BACKEND_ME, HTTP_AUTHORIZATION="")

    assert error_messages(result) == ["Unauthorized"]


def test_member_exist_with_a_null_id_is_false(api_client):
    assert api_client.execute(GET_BACKEND_MEMBER_EXISTS_NULLABLE, {"id": None}) == {"memberExist": False}
