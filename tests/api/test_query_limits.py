"""One request must not be able to multiply the server's work: aliases are capped.

Without aliases, a field repeated in a selection merges into one execution; aliases are
what turns a small anonymous request into thousands of resolver calls (each `signin` a
query-node lookup, each `__schema` a full introspection).
"""

import time

from django.conf import settings
from graphql import get_introspection_query

from tests.conftest import error_messages

MAX_ALIASES_PER_OPERATION = settings.GRAPHQL_MAX_ALIASES


def _aliased_typenames(count: int) -> str:
    return "{" + " ".join(f"a{i}: __typename" for i in range(count)) + "}"


def _aliased_signins(count: int) -> str:
    # A fresh timestamp: each of these signins would look the membership up on the query node.
    timestamp = int(time.time() * 1000)
    fields = " ".join(
        f'a{i}: signin(memberId: 1, signature: "0x00", timestamp: "{timestamp}")' for i in range(count)
    )
    return "mutation {" + fields + "}"


# 4 aliased __schema fields, each spreading a fragment with 10 aliases: 44 executed aliases
# although only 14 are written. The cap counts what runs.
ALIASES_MULTIPLIED_BY_FRAGMENTS = (
    "fragment Names on __Schema {"
    + " ".join(f"q{i}: queryType {{ name }}" for i in range(10))
    + "} {"
    + " ".join(f"s{i}: __schema {{ ...Names }}" for i in range(4))
    + "}"
)


def test_aliases_up_to_the_cap_run(api_client):
    data = api_client.execute(_aliased_typenames(MAX_ALIASES_PER_OPERATION))

    assert len(data) == MAX_ALIASES_PER_OPERATION


def test_one_alias_too_many_is_refused_before_anything_runs(api_client, fake_query_node):
    result = api_client.post(_aliased_signins(MAX_ALIASES_PER_OPERATION + 1))

    assert error_messages(result) == [f"At most {MAX_ALIASES_PER_OPERATION} aliased fields per operation"]
    assert result["errors"][0]["extensions"]["code"] == "GRAPHQL_VALIDATION_FAILED"
    assert "data" not in result
    # No signin ran, so the query node was never asked.
    assert fake_query_node.operations() == []


def test_aliases_repeated_through_fragments_count_as_often_as_they_run(api_client):
    assert MAX_ALIASES_PER_OPERATION < 44

    result = api_client.post(ALIASES_MULTIPLIED_BY_FRAGMENTS)

    assert error_messages(result) == [f"At most {MAX_ALIASES_PER_OPERATION} aliased fields per operation"]


def test_graphiql_introspection_is_not_affected(api_client):
    data = api_client.execute(get_introspection_query(descriptions=True))

    assert data["__schema"]["queryType"]["name"] == "Query"
