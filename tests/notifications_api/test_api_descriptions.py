"""Every field, argument and enum value of the subscriptions and feed API is described in GraphiQL."""

import pytest

from tests.conftest import GraphQLClient

TYPE_DESCRIPTIONS = """
query ($name: String!) {
  __type(name: $name) {
    description
    fields { name description args { name description } }
    inputFields { name description }
    enumValues { name description }
  }
}
"""

ROOT_FIELDS = {
    "Query": {"generalSubscriptions", "entitySubscriptions", "notifications", "notificationsCount"},
    "Mutation": {
        "generalSubscriptions",
        "entitySubscription",
        "subscribeToEntity",
        "markNotificationsAsRead",
        "markNotificationsAsUnread",
    },
}

TYPES = [
    "GeneralSubscription",
    "EntitySubscription",
    "Notification",
    "GeneralSubscriptionInput",
    "GeneralSubscriptionKind",
    "EntitySubscriptionKind",
    "NotificationKind",
    "EntitySubscriptionStatus",
    "NotificationEmailStatus",
]


def describe(name: str) -> dict:
    return GraphQLClient().execute(TYPE_DESCRIPTIONS, {"name": name})["__type"]


@pytest.mark.django_db
@pytest.mark.parametrize("root", list(ROOT_FIELDS))
def test_root_fields_and_arguments_are_described(root):
    fields = {field["name"]: field for field in describe(root)["fields"]}

    for name in ROOT_FIELDS[root]:
        assert fields[name]["description"], name
        for arg in fields[name]["args"]:
            assert arg["description"], f"{root}.{name}({arg['name']})"


@pytest.mark.django_db
@pytest.mark.parametrize("name", TYPES)
def test_types_fields_and_values_are_described(name):
    graphql_type = describe(name)

    assert graphql_type["description"], name
    members = (
        (graphql_type["fields"] or [])
        + (graphql_type["inputFields"] or [])
        + (graphql_type["enumValues"] or [])
    )
    assert members, name
    for member in members:
        assert member["description"], f"{name}.{member['name']}"
