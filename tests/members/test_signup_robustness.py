"""Sign-up under failure and concurrency: the member is never lost, nothing answers with a 500."""

import socket
import threading

import pytest
from django.db import connection

from members.models import Member
from tests.conftest import GraphQLClient, error_messages
from tests.members.conftest import signed_variables
from tests.services import require_postgres

SIGNUP = """
mutation ($memberId: Int!, $name: String!, $email: String, $signature: String!, $timestamp: BigInt!) {
  signup(memberId: $memberId, name: $name, email: $email, signature: $signature, timestamp: $timestamp)
}
"""


def closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.mark.django_db(transaction=True)
def test_signup_succeeds_when_the_email_cannot_be_sent(api_client, query_node, tasks_inline, settings):
    # given: SMTP configured, but nothing listens there
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", closed_port(), 2

    token = api_client.execute(SIGNUP, {**signed_variables(1), "name": "Alice", "email": "a@example.org"})[
        "signup"
    ]

    # then: the member is stored and signed in; the address waits for a new link (updateMember)
    assert token
    assert Member.objects.get(pk=1).unverified_email == "a@example.org"


@pytest.mark.django_db(transaction=True)
def test_two_simultaneous_signups_of_one_membership_store_one_member(query_node, tasks_inline):
    require_postgres()
    query_node.latency = 0.2  # both requests are in flight before either one writes
    barrier = threading.Barrier(2)
    results: list[dict] = []

    def sign_up(name: str) -> None:
        try:
            barrier.wait(timeout=5)
            results.append(GraphQLClient().post(SIGNUP, {**signed_variables(1), "name": name, "email": None}))
        finally:
            connection.close()

    threads = [threading.Thread(target=sign_up, args=(name,)) for name in ("first", "second")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    assert len(results) == 2
    tokens = [result["data"]["signup"] for result in results if "errors" not in result]
    refusals = [error_messages(result) for result in results if "errors" in result]
    assert len(tokens) == 1
    assert refusals == [["Member already exists"]]
    assert Member.objects.filter(pk=1).count() == 1
