"""The query-node client against the fake query node: retries, timeouts and typed errors."""

from __future__ import annotations

import socket

import pytest

from qn_ingest.client import (
    QueryNodeClient,
    QueryNodeResponseError,
    QueryNodeUnavailable,
    membership_controller_account,
)
from qn_ingest.queries import MEMBERSHIP_CONTROLLER_ACCOUNT


def test_controller_account_of_a_membership(fake_query_node):
    fake_query_node.data.member(7, handle="alice", controller_account="5GrwvaEF")
    assert membership_controller_account(7) == "5GrwvaEF"


def test_controller_account_of_a_missing_membership_is_none(fake_query_node):
    assert membership_controller_account(404) is None


@pytest.mark.parametrize("fault", ["500", "429", "timeout"])
def test_a_transient_failure_is_retried(fake_query_node, settings, fault):
    settings.QUERY_NODE_TIMEOUT_SECONDS = 0.3
    fake_query_node.timeout_delay = 1.0
    fake_query_node.data.member(7, controller_account="5Grw")
    fake_query_node.fail_next(fault, times=2)
    data = QueryNodeClient(backoff_seconds=0.01).execute(MEMBERSHIP_CONTROLLER_ACCOUNT, {"id": "7"})
    assert data["membershipByUniqueInput"]["controllerAccount"] == "5Grw"
    assert fake_query_node.operations() == ["MembershipControllerAccount"] * 3


@pytest.mark.parametrize("fault", ["500", "timeout"])
def test_a_lasting_failure_raises_unavailable_after_the_bounded_retries(fake_query_node, settings, fault):
    settings.QUERY_NODE_TIMEOUT_SECONDS = 0.3
    settings.QUERY_NODE_MAX_ATTEMPTS = 3
    fake_query_node.timeout_delay = 1.0
    fake_query_node.fail_always(fault)
    with pytest.raises(QueryNodeUnavailable, match="after 3 attempts"):
        QueryNodeClient(backoff_seconds=0.01).execute(MEMBERSHIP_CONTROLLER_ACCOUNT, {"id": "7"})
    assert len(fake_query_node.operations()) == 3


def test_sign_in_lookups_give_up_fast_while_a_person_waits(fake_query_node, settings):
    settings.QUERY_NODE_MAX_ATTEMPTS = 5  # the ingest's patience; sign-in must not inherit it
    fake_query_node.fail_always("500")
    with pytest.raises(QueryNodeUnavailable, match="after 2 attempts"):
        membership_controller_account(7)
    assert len(fake_query_node.operations()) == 2


def test_a_refused_connection_raises_unavailable(settings):
    with socket.socket() as sock:  # a port that was free a moment ago: nothing listens there
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    settings.QUERY_NODE_ENDPOINT = f"http://127.0.0.1:{port}/graphql"
    with pytest.raises(QueryNodeUnavailable, match="could not be read after 2 attempts"):
        membership_controller_account(7)


@pytest.mark.parametrize(
    ("fault", "message"),
    [("malformed", "malformed answer"), ("graphql_error", "Injected query-node failure")],
)
def test_an_unusable_answer_is_not_retried(fake_query_node, fault, message):
    fake_query_node.fail_always(fault)
    with pytest.raises(QueryNodeResponseError, match=message):
        membership_controller_account(7)
    assert len(fake_query_node.operations()) == 1


def test_an_invalid_query_is_a_response_error(fake_query_node):
    with pytest.raises(QueryNodeResponseError, match="GraphQL errors"):
        QueryNodeClient().execute("query Broken { membershipByUniqueInput(where: {id: 1}) { nope } }")


def test_error_messages_are_one_line(fake_query_node):
    fake_query_node.fail_always("malformed")
    with pytest.raises(QueryNodeResponseError) as raised:
        membership_controller_account(7)
    assert "\n" not in str(raised.value)


def test_backoff_grows_exponentially_with_jitter(fake_query_node):
    delays: list[float] = []
    client = QueryNodeClient(max_attempts=4, backoff_seconds=1.0, sleep=delays.append)
    fake_query_node.fail_always("500")
    with pytest.raises(QueryNodeUnavailable):
        client.execute(MEMBERSHIP_CONTROLLER_ACCOUNT, {"id": "1"})
    assert len(delays) == 3
    for attempt, delay in enumerate(delays, start=1):
        ceiling = 2 ** (attempt - 1)
        assert ceiling / 2 <= delay <= ceiling
