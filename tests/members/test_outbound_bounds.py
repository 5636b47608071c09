"""Issue 14, finding 3: no outbound I/O holds an API thread beyond a short bound.

Without a broker, `updateMember(email:)` against an SMTP server that accepts and never answers
took 120 s; with the query node hung, an unauthenticated `signin` held a thread 20 s. Now the
API's own email attempt waits at most EMAIL_IN_REQUEST_TIMEOUT_SECONDS, and the query-node
lookup of signin/signup ends within QUERY_NODE_SIGNIN_DEADLINE_SECONDS, all attempts included.
The bounds below are generous multiples of those: the old code took minutes.
"""

import threading
import time

import pytest

from tests.conftest import GraphQLClient
from tests.members.conftest import signed_variables
from tests.polling import wait_until
from tests.silent_server import SilentServer

SIGNIN = "mutation ($memberId: Int!, $signature: String!, $timestamp: BigInt!) { signin(memberId: $memberId, signature: $signature, timestamp: $timestamp) }"  # noqa: E501
UPDATE_EMAIL = "mutation ($email: String) { updateMember(email: $email) { unverifiedEmail } }"


@pytest.mark.django_db(transaction=True)
def test_a_hung_smtp_server_holds_update_member_only_briefly(member, settings, tasks_inline):
    from members.tokens import auth_token_issue

    with SilentServer() as smtp:
        settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
        settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", smtp.port
        settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
        settings.EMAIL_TIMEOUT = 60  # what a worker would wait
        settings.EMAIL_IN_REQUEST_TIMEOUT_SECONDS = 0.5
        client = GraphQLClient(token=auth_token_issue(member_id=member.id))

        started = time.monotonic()
        result = client.execute(UPDATE_EMAIL, {"email": "new@example.org"})
        elapsed = time.monotonic() - started

        assert len(smtp.connections) == 1  # one attempt, no retries inside the request
    assert result == {"updateMember": {"unverifiedEmail": "new@example.org"}}
    assert elapsed < 10


def test_a_hung_query_node_holds_signin_only_until_the_deadline(api_client, settings):
    with SilentServer() as node:
        settings.QUERY_NODE_ENDPOINT = f"http://127.0.0.1:{node.port}/graphql"
        settings.QUERY_NODE_TIMEOUT_SECONDS = 30
        settings.QUERY_NODE_SIGNIN_DEADLINE_SECONDS = 1.0

        started = time.monotonic()
        result = api_client.post(SIGNIN, signed_variables(1))
        elapsed = time.monotonic() - started

    assert result["errors"][0]["extensions"]["code"] == "QUERY_NODE_UNAVAILABLE"
    assert elapsed < 5


def test_after_a_hung_lookup_sign_ins_fail_at_once_for_a_while(api_client, settings):
    with SilentServer() as node:
        settings.QUERY_NODE_ENDPOINT = f"http://127.0.0.1:{node.port}/graphql"
        settings.QUERY_NODE_SIGNIN_DEADLINE_SECONDS = 0.5
        settings.QUERY_NODE_SIGNIN_COOLDOWN_SECONDS = 60

        first = api_client.post(SIGNIN, signed_variables(1))
        asked = len(node.connections)
        # 30 aliased sign-ins used to hold a server thread for 30 lookups.
        aliases = " ".join(
            f'a{i}: signin(memberId: 1, signature: "0x00", timestamp: "{int(time.time() * 1000)}")'
            for i in range(30)
        )
        second = api_client.post(f"mutation {{ {aliases} }}")

        assert len(node.connections) == asked >= 1
    assert first["errors"][0]["extensions"]["code"] == "QUERY_NODE_UNAVAILABLE"
    assert {error["extensions"]["code"] for error in second["errors"]} == {"QUERY_NODE_UNAVAILABLE"}
    assert len(second["errors"]) == 30


def test_lookups_beyond_the_concurrency_cap_fail_without_asking_the_node(settings):
    # 8 sign-ins at once against a hung node used to hold all 8 API threads until the deadline.
    from qn_ingest.client import QueryNodeUnavailable, membership_controller_account

    with SilentServer() as node:
        settings.QUERY_NODE_ENDPOINT = f"http://127.0.0.1:{node.port}/graphql"
        settings.QUERY_NODE_SIGNIN_DEADLINE_SECONDS = 2.0
        settings.QUERY_NODE_SIGNIN_MAX_CONCURRENT = 1
        outcomes = []

        def waiting_lookup():
            try:
                membership_controller_account(1)
            except QueryNodeUnavailable as exc:
                outcomes.append(exc)

        waiting = threading.Thread(target=waiting_lookup)
        waiting.start()
        wait_until(lambda: node.connections, timeout=10, what="the first lookup connected")

        with pytest.raises(QueryNodeUnavailable, match="busy"):
            membership_controller_account(2)
        asked_while_busy = len(node.connections)
        waiting.join(timeout=30)

    assert asked_while_busy == 1
    assert len(outcomes) == 1  # the first one waited for the node and found it unavailable


def test_a_lookup_frees_its_place_whatever_its_outcome(settings, monkeypatch):
    from qn_ingest import client

    settings.QUERY_NODE_SIGNIN_MAX_CONCURRENT = 1
    calls = []

    def answers_oddly(member_id):
        calls.append(member_id)
        raise client.QueryNodeResponseError("the query node answered without data")

    monkeypatch.setattr(client, "_membership_controller_account", answers_oddly)

    for member_id in (1, 2):
        with pytest.raises(client.QueryNodeResponseError):
            client.membership_controller_account(member_id)

    assert calls == [1, 2]
