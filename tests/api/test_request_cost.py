"""Issue 14, findings 1 and 8: a request's cost is bounded before the work is done.

One 1.8 MB body of 100,000 `memberExist` took 17 s of CPU to refuse ("Validation aborted"):
graphql-core compares same-named fields pairwise. Size, the query's characters, tokens, depth,
repeats and fragments are now refused up front, each with its own message; multipart bodies
no longer bypass the size limit.
"""

import json

import pytest
from django.conf import settings
from django.test import Client

from tests.conftest import error_messages


def post_raw(body: bytes | str, content_type: str = "application/json"):
    return Client().post("/graphql", data=body, content_type=content_type)


def assert_refused_at_http(response, status: int, message: str) -> None:
    assert response.status_code == status
    assert response.json() == {"errors": [{"message": message, "extensions": {"code": "BAD_USER_INPUT"}}]}


@pytest.mark.django_db
def test_the_body_of_the_attack_is_refused_by_its_size():
    body = json.dumps({"query": "{" + "memberExist(id:1) " * 100_000 + "}"})
    assert len(body) > 1_000_000  # 1.8 MB: under Django's 2.5 MB cap, where it used to run

    response = post_raw(body)

    assert_refused_at_http(response, 413, f"The body may be at most {settings.GRAPHQL_MAX_BODY_BYTES} bytes")


@pytest.mark.django_db
def test_a_query_over_the_character_limit_is_refused_before_parsing(monkeypatch):
    from pioneer import graphql_documents

    monkeypatch.setattr(graphql_documents, "parse", None)  # never reached
    query = "{ memberExist(id: 1) }".ljust(settings.GRAPHQL_MAX_QUERY_CHARS + 1)

    response = post_raw(json.dumps({"query": query}))

    message = f"The query may be at most {settings.GRAPHQL_MAX_QUERY_CHARS} characters"
    assert_refused_at_http(response, 400, message)


@pytest.mark.django_db
def test_a_query_at_the_character_limit_runs(api_client, settings):
    settings.GRAPHQL_MAX_QUERY_CHARS = 100
    query = "{ memberExist(id: 1) }".ljust(100)

    assert api_client.execute(query) == {"memberExist": False}
    assert error_messages(api_client.post(query + " ")) == ["The query may be at most 100 characters"]


@pytest.mark.django_db
def test_a_document_over_the_token_limit_is_refused_while_parsing(api_client):
    query = "{" + " __typename" * settings.GRAPHQL_MAX_TOKENS + "}"

    result = api_client.post(query)

    [message] = error_messages(result)
    assert f"more than {settings.GRAPHQL_MAX_TOKENS} tokens" in message
    assert result["errors"][0]["extensions"]["code"] == "GRAPHQL_VALIDATION_FAILED"


@pytest.mark.django_db
def test_a_field_repeated_side_by_side_is_refused_before_the_quadratic_validation(api_client):
    # 600 tokens, well under the token limit: this shape alone took the schema's validation
    # about 100 ms per hundred fields, growing with the square.
    result = api_client.post("{" + "memberExist " * 600 + "}")

    assert error_messages(result) == ["A field may be repeated at most 5 times in one selection"]


@pytest.mark.django_db
def test_repeats_hidden_in_inline_fragments_count_too(api_client):
    result = api_client.post("{" + "... on Query { memberExist } " * 10 + "}")

    assert error_messages(result) == ["A field may be repeated at most 5 times in one selection"]


@pytest.mark.django_db
def test_too_many_fragments_are_refused(api_client):
    fragments = " ".join(f"fragment F{i} on Query {{ __typename }}" for i in range(30))
    spreads = " ".join(f"...F{i}" for i in range(30))

    result = api_client.post(f"{{ {spreads} }} {fragments}")

    assert "At most 25 fragments per document" in error_messages(result)


@pytest.mark.django_db
def test_depth_is_limited_counting_through_fragments(api_client):
    depth = settings.GRAPHQL_MAX_DEPTH + 1
    nested = (
        "{ __schema { types { fields { type " + "{ ofType " * (depth - 5) + "{ name }" + " }" * (depth - 4)
    )
    query = f"fragment Deep on Query {nested} }} }} }} {{ ...Deep }}"

    result = api_client.post(query)

    assert error_messages(result) == [f"Fields may be nested at most {settings.GRAPHQL_MAX_DEPTH} deep"]


@pytest.mark.django_db
def test_a_multipart_body_is_refused_without_running(settings):
    # Multipart uploads were read whatever their size (20 MB accepted, unauthenticated).
    response = Client().post("/graphql", data={"query": "{ memberExist(id: 1) }", "file": ("x" * 3_000_000)})

    assert_refused_at_http(response, 400, "POST bodies must be JSON (Content-Type: application/json)")


@pytest.mark.django_db
@pytest.mark.parametrize(
    "content_type", ["application/graphql", "text/plain", "application/x-www-form-urlencoded"]
)
def test_other_content_types_on_post_are_refused(content_type):
    response = post_raw("{ memberExist(id: 1) }", content_type)

    assert_refused_at_http(response, 400, "POST bodies must be JSON (Content-Type: application/json)")


@pytest.mark.django_db
def test_the_request_time_budget_stops_resolvers(api_client, settings):
    settings.GRAPHQL_REQUEST_TIME_BUDGET_SECONDS = -1  # already spent when the first resolver starts

    result = api_client.post("{ memberExist(id: 1) }")

    assert result["errors"][0]["extensions"]["code"] == "REQUEST_TIMEOUT"
    assert result["data"] == {"memberExist": None}
