"""Issue 14, finding 9: production hides the schema. GraphiQL, introspection and "Did you mean"
suggestions are for developers: on by default in development, off in production unless
GRAPHQL_EXPLORER=true."""

import pytest
from django.test import Client

from tests.conftest import error_messages


@pytest.fixture
def explorer_off(settings):
    settings.GRAPHQL_EXPLORER = False


def test_introspection_is_refused(api_client, explorer_off):
    result = api_client.post("{ __schema { queryType { name } } }")

    assert result["errors"][0]["extensions"]["code"] == "GRAPHQL_VALIDATION_FAILED"
    assert "introspection" in result["errors"][0]["message"].lower()


def test_validation_errors_suggest_no_names(api_client, explorer_off):
    result = api_client.post("{ memberExists(id: 1) }")

    assert error_messages(result) == ["Cannot query field 'memberExists' on type 'Query'."]


def test_variable_errors_suggest_no_names(member_api_client, explorer_off):
    result = member_api_client.post(
        "query ($kind: NotificationKind) { notifications(kind: $kind) { id } }", {"kind": "FORUM_POST_MENTIO"}
    )

    [message] = error_messages(result)
    assert "FORUM_POST_MENTIO" in message and "Did you mean" not in message


@pytest.mark.django_db
def test_graphiql_is_not_served(explorer_off):
    response = Client().get("/graphql", HTTP_ACCEPT="text/html")

    assert response["Content-Type"].startswith("application/json")
    assert b"graphiql" not in response.content.lower()


def test_in_development_the_explorer_is_on(api_client, settings):
    assert settings.GRAPHQL_EXPLORER is True

    result = api_client.post("{ memberExists(id: 1) }")

    assert "Did you mean 'memberExist'?" in error_messages(result)[0]
    assert (
        api_client.execute("{ __schema { queryType { name } } }")["__schema"]["queryType"]["name"] == "Query"
    )
