"""Issue 14, findings 4 and 5: JSON the decoder or the database cannot take is the client's
mistake, a clear 400 with BAD_USER_INPUT, never a 500 or a traceback."""

import json
import logging

import pytest
from django.test import Client

from members.tokens import auth_token_issue

SURROGATE_MESSAGE = "Text must be valid Unicode (a lone surrogate such as \\ud800 is not)"


def post_raw(body: str, **headers):
    # raise_request_exception=False: see the response a real client would get.
    client = Client(raise_request_exception=False)
    return client.post("/graphql", data=body, content_type="application/json", **headers)


@pytest.mark.django_db
def test_deeply_nested_json_is_a_clear_400(caplog):
    # 40,000 levels fit the body limit; 100,000 answered HTTP 500 (a debug page in development).
    body = '{"query": "{ memberExist(id: 1) }", "variables": {"a": ' + "[" * 40_000 + "]" * 40_000 + "}}"

    with caplog.at_level(logging.ERROR):
        response = post_raw(body)

    assert response.status_code == 400
    assert response.json() == {
        "errors": [{"message": "POST body nests too deeply", "extensions": {"code": "BAD_USER_INPUT"}}]
    }
    assert not [record for record in caplog.records if record.levelno >= logging.ERROR]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("query", "variables"),
    [
        ("mutation ($t: String!) { verifyEmail(token: $t) { id } }", '{"t": "\\ud800"}'),
        ("query ($e: String) { notifications(eventId: $e) { id } }", '{"e": "1-\\udfff"}'),
        ("{ __typename }", '{"unused": {"\\ud800": 1}}'),
    ],
    ids=["verifyEmail", "notifications", "a-key"],
)
def test_a_lone_surrogate_in_any_string_is_a_clear_400(member, caplog, query, variables):
    # Written by hand: json.dumps would refuse to encode the lone surrogate.
    body = '{"query": ' + json.dumps(query) + ', "variables": ' + variables + "}"
    token = auth_token_issue(member_id=member.id)

    with caplog.at_level(logging.ERROR):
        response = post_raw(body, HTTP_AUTHORIZATION=f"Bearer {token}")

    assert response.status_code == 400
    assert response.json() == {
        "errors": [{"message": SURROGATE_MESSAGE, "extensions": {"code": "BAD_USER_INPUT"}}]
    }
    assert not [record for record in caplog.records if record.levelno >= logging.ERROR]


@pytest.mark.django_db
def test_a_lone_surrogate_escape_in_the_document_is_a_syntax_error(api_client):
    result = api_client.post('mutation { verifyEmail(token: "\\uD800") { id } }')

    assert result["errors"][0]["extensions"]["code"] == "GRAPHQL_VALIDATION_FAILED"
    assert "Invalid Unicode escape sequence" in result["errors"][0]["message"]
