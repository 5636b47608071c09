import json

import pytest
from django.test import Client

from members.tokens import auth_token_issue
from tests.factories import MemberFactory
from tests.fake_node_fixtures import fake_query_node  # noqa: F401 - pytest fixture


class GraphQLClient:
    """Posts real HTTP requests through Django's test client and returns the parsed body."""

    def __init__(self, token: str | None = None):
        self.client = Client()
        self.token = token

    def headers(self) -> dict:
        return {"HTTP_AUTHORIZATION": f"Bearer {self.token}"} if self.token else {}

    def post(self, query: str, variables: dict | None = None, *, path: str = "/graphql", **headers):
        body = {"query": query, "variables": variables or {}}
        response = self.client.post(
            path, data=json.dumps(body), content_type="application/json", **{**self.headers(), **headers}
        )
        assert response["Content-Type"].startswith("application/json"), response.content[:200]
        return response.json()

    def execute(self, query: str, variables: dict | None = None, **headers) -> dict:
        """Run an operation that must succeed; return its data."""
        result = self.post(query, variables, **headers)
        assert "errors" not in result, result
        return result["data"]


@pytest.fixture
def api_client(db):
    return GraphQLClient()


@pytest.fixture
def member(db):
    return MemberFactory(id=1, name="alice", email="alice@example.org")


@pytest.fixture
def member_api_client(member):
    return GraphQLClient(token=auth_token_issue(member_id=member.id))


def error_messages(result: dict) -> list[str]:
    return [error["message"] for error in result.get("errors", [])]


@pytest.fixture(autouse=True)
def fresh_rate_limit_counts(settings, request):
    """Every test starts with no rate limit used and no feed answer cached: both live in caches
    of the test's own (local memory). Tests of the limits on the real backends set CACHES themselves."""
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": request.node.nodeid,
        },
        "feed": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": f"feed {request.node.nodeid}",
        },
    }


@pytest.fixture(autouse=True)
def closed_sign_in_breaker():
    """A query-node failure in one test must not make the next test's sign-ins fail at once."""
    from qn_ingest.client import sign_in_breaker

    sign_in_breaker.reset()
    yield
    sign_in_breaker.reset()
