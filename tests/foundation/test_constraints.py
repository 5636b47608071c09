import pytest
from django.db import IntegrityError, transaction

from notifications.models import Notification
from subscriptions.models import Subscription
from tests.factories import MemberFactory, NotificationFactory, SubscriptionFactory

# Partial unique indexes behave the same on PostgreSQL (CI) and SQLite.
pytestmark = pytest.mark.django_db


def test_two_general_subscriptions_of_one_kind_for_one_member_are_rejected():
    member = MemberFactory()
    SubscriptionFactory(member=member, kind="FORUM_POST_ALL", entity_id=None)

    with pytest.raises(IntegrityError), transaction.atomic():
        SubscriptionFactory(member=member, kind="FORUM_POST_ALL", entity_id=None)

    assert Subscription.objects.filter(member=member, kind="FORUM_POST_ALL").count() == 1


def test_two_entity_subscriptions_on_one_entity_are_rejected_but_other_entities_are_fine():
    member = MemberFactory()
    SubscriptionFactory(member=member, kind="FORUM_THREAD_ENTITY_POST", entity_id="7")
    SubscriptionFactory(member=member, kind="FORUM_THREAD_ENTITY_POST", entity_id="8")

    with pytest.raises(IntegrityError), transaction.atomic():
        SubscriptionFactory(member=member, kind="FORUM_THREAD_ENTITY_POST", entity_id="7")

    assert Subscription.objects.filter(member=member).count() == 2


def test_a_general_kind_with_an_entity_id_is_rejected():
    with pytest.raises(IntegrityError), transaction.atomic():
        SubscriptionFactory(kind="FORUM_POST_ALL", entity_id="3")


def test_an_entity_kind_without_an_entity_id_is_rejected():
    with pytest.raises(IntegrityError), transaction.atomic():
        SubscriptionFactory(kind="FORUM_THREAD_ENTITY_POST", entity_id=None)


def test_two_notifications_for_one_member_and_event_are_rejected():
    member = MemberFactory()
    NotificationFactory(member=member, event_id="100-1")

    with pytest.raises(IntegrityError), transaction.atomic():
        NotificationFactory(member=member, event_id="100-1", kind="FORUM_POST_REPLY")

    NotificationFactory(event_id="100-1")  # another member: fine
    assert Notification.objects.filter(event_id="100-1").count() == 2
