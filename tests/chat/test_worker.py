"""With a broker: chat messages are queued as Celery tasks when the ingest commits, and a real
worker on the real Redis delivers them, retrying a failure later as its own task."""

import pytest
from django.db import transaction

from chat.fanout import chat_deliveries_create, chat_sweep_pending
from chat.models import ChatDelivery, DeliveryStatus
from notifications.samples import sample_data
from tests.chat.helpers import active_channel
from tests.emails.conftest import worker  # noqa: F401 - pytest fixture
from tests.factories import MemberFactory, NotificationFactory
from tests.polling import wait_until


@pytest.mark.django_db(transaction=True)
def test_a_worker_delivers_the_queued_message_and_its_retry(worker, sink):  # noqa: F811
    member = MemberFactory(id=1)
    active_channel(member, sink)
    notification = NotificationFactory(member=member, data=sample_data("FORUM_POST_MENTION"))
    sink.answers.extend([503])

    with transaction.atomic():  # as in the ingest's page transaction: queued once it commits
        assert chat_deliveries_create(notification_ids=[notification.id]) == 1
        assert sink.posts == []

    delivery = wait_until(
        lambda: ChatDelivery.objects.filter(status=DeliveryStatus.SENT).first(),
        timeout=30,
        what="the worker delivers the message after one retry",
    )
    assert [post.status for post in sink.posts] == [503, 200]
    assert delivery.retry_count == 1


@pytest.mark.django_db(transaction=True)
def test_the_sweeper_requeues_a_lost_message(worker, sink, settings):  # noqa: F811
    settings.EMAIL_SWEEP_GRACE_SECONDS = 0
    member = MemberFactory(id=1)
    channel = active_channel(member, sink)
    notification = NotificationFactory(member=member, data=sample_data("FORUM_POST_MENTION"))
    ChatDelivery.objects.create(notification=notification, channel=channel)  # its task was never sent

    assert chat_sweep_pending() == 1

    wait_until(lambda: len(sink.accepted) == 1, timeout=30, what="the swept message is delivered")
