"""Signing in waits on the query node; it must not hold a database transaction meanwhile.

On SQLite (the default deployment) every transaction begins IMMEDIATE, i.e. with the
write lock: a sign-in waiting seconds on a slow query node would stall every other write
(the ingest, other members' mutations) and fail them with "database is locked".
"""

import json
import threading
import time

import pytest
from django.db import connection
from django.test import Client

from members.models import Member
from tests.members.conftest import signed_variables

SIGNIN = """
mutation BackendSignin($memberId: Int!, $signature: String!, $timestamp: BigInt!) {
  signin(memberId: $memberId, signature: $signature, timestamp: $timestamp)
}
"""
QUERY_NODE_LATENCY_SECONDS = 1.5


@pytest.mark.django_db(transaction=True)
def test_a_write_is_not_held_up_by_a_signin_waiting_on_the_query_node(query_node):
    query_node.latency = QUERY_NODE_LATENCY_SECONDS
    variables = signed_variables(1)
    answers = []

    def sign_in():
        try:
            response = Client().post(
                "/graphql",
                data=json.dumps({"query": SIGNIN, "variables": variables}),
                content_type="application/json",
            )
            answers.append(response.json())
        finally:
            connection.close()

    signin_thread = threading.Thread(target=sign_in)
    signin_thread.start()
    # Wait until the sign-in is inside its query-node request.
    deadline = time.monotonic() + QUERY_NODE_LATENCY_SECONDS
    while not query_node.operations() and time.monotonic() < deadline:
        time.sleep(0.01)
    assert query_node.operations(), "the sign-in never reached the query node"

    started = time.monotonic()
    Member.objects.create(id=50, name="writer")
    write_seconds = time.monotonic() - started
    signin_thread.join(timeout=30)

    assert write_seconds < QUERY_NODE_LATENCY_SECONDS / 3
    assert answers and isinstance(answers[0]["data"]["signin"], str), answers
