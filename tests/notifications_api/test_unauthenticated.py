"""Every protected operation of the subscriptions and feed API refuses a request without a valid token."""

import time

import jwt
import pytest
from django.conf import settings

from members.tokens import auth_token_issue
from notifications.models import Notification
from subscriptions.models import Subscription
from tests.conftest import GraphQLClient
from tests.factories import MemberFactory, NotificationFactory

PROTECTED_OPERATIONS = {
    "generalSubscriptions query": "{ generalSubscriptions { id kind } }",
    "entitySubscriptions": "{ entitySubscriptions { id } }",
    "notifications": "{ notifications { id } }",
    "notificationsCount": "{ notificationsCount }",
    "generalSubscriptions mutation": (
        "mutation { generalSubscriptions(data: [{kind: FORUM_POST_ALL}]) { id } }"
    ),
    "entitySubscription": (
        'mutation { entitySubscription(kind: FORUM_THREAD_ENTITY_POST, entityId: "1", status: WATCH) { id } }'
    ),
    "subscribeToEntity": (
        'mutation { subscribeToEntity(kind: FORUM_THREAD_ENTITY_POST, entityId: "1", status: MUTE) { id } }'
    ),
    "markNotificationsAsRead": "mutation { markNotificationsAsRead(all: true) }",
    "markNotificationsAsUnread": "mutation { markNotificationsAsUnread(ids: [1]) }",
}


def forged_token() -> str:
    return jwt.encode(
        {"memberId": 1, "type": 0, "exp": int(time.time()) + 3600},
        "not-the-signing-key-of-this-server-at-all",
        algorithm="HS256",
    )


def expired_token() -> str:
    return jwt.encode(
        {"memberId": 1, "type": 0, "exp": int(time.time()) - 10}, settings.APP_SECRET_KEY, "HS256"
    )


@pytest.mark.django_db
@pytest.mark.parametrize("operation", list(PROTECTED_OPERATIONS))
@pytest.mark.parametrize(
    "header", [None, "", "Bearer", "Bearer garbage", "forged", "expired", "unregistered"]
)
def test_protected_operation_is_unauthorized(operation, header):
    member = MemberFactory(id=1)
    NotificationFactory(id=1, member=member)
    tokens = {"forged": forged_token, "expired": expired_token}
    if header in tokens:
        header = f"Bearer {tokens[header]()}"
    elif header == "unregistered":
        header = f"Bearer {auth_token_issue(member_id=999)}"
    extra = {} if header is None else {"HTTP_AUTHORIZATION": header}

    result = GraphQLClient().post(PROTECTED_OPERATIONS[operation], **extra)

    [error] = result["errors"]
    assert "Unauthorized" in error["message"]
    assert error["extensions"]["code"] == "UNAUTHORIZED"
    assert not Subscription.objects.exists()
    assert Notification.objects.get(id=1).is_read is False


@pytest.mark.django_db
@pytest.mark.parametrize(
    "operation",
    ["{ notifications(limit: -1) { id } }", '{ notifications(id: "x") { id } }', "{ notificationsCount }"],
)
def test_a_token_that_outlived_its_member_is_refused_before_the_arguments(operation):
    """The feed confirms the member in its own query: a refused argument must still not tell
    the holder of a deleted member's token more than Unauthorized."""
    member = MemberFactory(id=5)
    NotificationFactory(member=member)
    token = auth_token_issue(member_id=5)
    member.delete()

    result = GraphQLClient(token=token).post(operation)

    [error] = result["errors"]
    assert error["extensions"]["code"] == "UNAUTHORIZED"


@pytest.mark.django_db
def test_a_registered_members_bad_argument_is_refused_as_such():
    MemberFactory(id=5)

    result = GraphQLClient(token=auth_token_issue(member_id=5)).post("{ notifications(limit: -1) { id } }")

    [error] = result["errors"]
    assert error["extensions"]["code"] == "BAD_USER_INPUT"
