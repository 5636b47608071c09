"""The HTTP surface the Pioneer UI relies on: GraphQL on / and /graphql, GET, GraphiQL, CORS, no CSRF."""

import json

import pytest
from django.test import Client

TYPENAME = "{__typename}"
MEMBER_EXIST = "query ($id: Int) { memberExist(id: $id) }"
SIGNIN_OVER_GET = 'mutation { signin(memberId: 1, signature: "0x", timestamp: 1) }'
PIONEER_ORIGIN = "https://pioneerapp.xyz"


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/", "/graphql"])
def test_the_ui_endpoint_check_over_get(client, path):
    # given: the exact request the UI's endpoint check sends
    response = client.get(f"{path}?query=%7B__typename%7D")

    assert response.status_code == 200
    assert response.json() == {"data": {"__typename": "Query"}}


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/", "/graphql"])
def test_graphql_over_post_on_both_paths(path):
    client = Client(enforce_csrf_checks=True)  # no CSRF token needed: auth is a bearer header

    response = client.post(
        path,
        data=json.dumps({"query": MEMBER_EXIST, "variables": {"id": 1}}),
        content_type="application/json",
    )

    assert response.status_code == 200
    assert response.json() == {"data": {"memberExist": False}}


@pytest.mark.django_db
def test_a_browser_get_without_query_gets_graphiql(client):
    response = client.get("/", HTTP_ACCEPT="text/html")

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/html")
    assert b"graphiql" in response.content.lower()


@pytest.mark.django_db
def test_mutations_are_refused_over_get(client):
    response = client.get("/graphql", {"query": SIGNIN_OVER_GET})

    assert response.status_code == 405
    assert "mutation" in response.json()["errors"][0]["message"].lower()


@pytest.mark.django_db
def test_cors_allows_any_origin_when_unconfigured(client):
    response = client.options(
        "/", HTTP_ORIGIN="http://localhost:8080", HTTP_ACCESS_CONTROL_REQUEST_METHOD="POST"
    )

    assert response.status_code == 200
    assert response["Access-Control-Allow-Origin"] in ("*", "http://localhost:8080")


@pytest.mark.django_db
def test_cors_follows_cors_allowed_origins(client, settings):
    settings.CORS_ALLOWED_ORIGINS = [PIONEER_ORIGIN]
    settings.CORS_ALLOW_ALL_ORIGINS = False

    allowed = client.options(
        "/graphql",
        HTTP_ORIGIN=PIONEER_ORIGIN,
        HTTP_ACCESS_CONTROL_REQUEST_METHOD="POST",
        HTTP_ACCESS_CONTROL_REQUEST_HEADERS="authorization,content-type",
    )
    refused = client.options(
        "/graphql", HTTP_ORIGIN="https://evil.example", HTTP_ACCESS_CONTROL_REQUEST_METHOD="POST"
    )

    assert allowed["Access-Control-Allow-Origin"] == PIONEER_ORIGIN
    assert "authorization" in allowed["Access-Control-Allow-Headers"].lower()
    assert "Access-Control-Allow-Origin" not in refused


@pytest.mark.django_db
def test_a_malformed_body_gets_a_clear_error(client):
    response = client.post("/graphql", data="{not json", content_type="application/json")

    assert response.status_code == 400
    assert response.json()["errors"][0]["message"] == "POST body sent invalid JSON."
