"""Retry bookkeeping through `manage.py notify` runs (docs/api-contract.md, "Retry bookkeeping"), with the
ingest finding nothing new on a (fake) query node and the ESP answering as scripted."""

from datetime import timedelta

import pytest
from anymail.exceptions import AnymailRecipientsRefused
from django.core import mail
from django.utils import timezone

from notifications.models import EmailStatus, Notification
from notifications.samples import sample_data
from tests.emails.providers import ScriptedBackend, esp_api_error
from tests.factories import MemberFactory, NotificationFactory

pytestmark = pytest.mark.django_db


def state(notification) -> tuple[str, int]:
    notification.refresh_from_db()
    return notification.email_status, notification.retry_count


def test_failing_provider_gives_pending_1_2_3_then_failed(notify, provider_script, no_backoff):
    notification = NotificationFactory(data=sample_data("FORUM_POST_MENTION"))
    provider_script.extend([esp_api_error(500)] * 5)

    seen = []
    for _ in range(5):
        notify()
        seen.append(state(notification))

    assert seen == [
        (EmailStatus.PENDING, 1),
        (EmailStatus.PENDING, 2),
        (EmailStatus.PENDING, 3),
        (EmailStatus.FAILED, 3),
        (EmailStatus.FAILED, 3),
    ]
    # one attempt per run, none after FAILED
    assert ScriptedBackend.calls == 4
    assert "500" in notification.last_error


def test_success_after_failures_is_sent_and_keeps_the_count(notify, provider_script, no_backoff):
    notification = NotificationFactory(
        kind="ELECTION_VOTING_STARTED", data=sample_data("ELECTION_VOTING_STARTED")
    )
    provider_script.extend([esp_api_error(503), esp_api_error(429), None])
    outputs = [notify() for _ in range(3)]
    assert state(notification) == (EmailStatus.SENT, 2)
    assert len(mail.outbox) == 1
    assert "Delivery done: 1 attempted, 1 sent, 0 to retry, 0 failed" in outputs[-1]
    assert "Delivery done: 1 attempted, 0 sent, 1 to retry, 0 failed" in outputs[0]


def test_permanent_failure_is_failed_after_one_run(notify, provider_script):
    notification = NotificationFactory(data=sample_data("PROPOSAL_DISCUSSION_MENTION"))
    provider_script.append(AnymailRecipientsRefused("All message recipients were rejected or invalid"))
    assert "1 failed" in notify()
    assert state(notification) == (EmailStatus.FAILED, 0)
    assert "AnymailRecipientsRefused" in notification.last_error


def test_one_run_makes_one_attempt_also_with_inline_tasks(
    notify, fake_query_node, provider_script, inline_tasks
):
    # given: no broker, and a new post in Alice's thread waiting on the query node
    data = fake_query_node.data
    alice = MemberFactory(id=1, name="alice", email="alice@example.org")
    author, poster = data.member(1, handle="alice"), data.member(2, handle="bob")
    thread = data.thread(author=author, category=data.category("Lobby"), title="Alice's", event=False)
    data.post(thread=thread, author=poster, text="hello")
    provider_script.extend([esp_api_error(502)] * 2)

    # when: the ingest creates and hands off the notification, then the delivery pass runs
    output = notify()

    # then: exactly one attempt was made in this run
    [notification] = Notification.objects.filter(member=alice)
    assert ScriptedBackend.calls == 1, output
    assert state(notification) == (EmailStatus.PENDING, 1)
    assert "Delivery done: 1 attempted, 0 sent, 1 to retry" in output


def failed_once(notify, provider_script, settings, backoff: int) -> Notification:
    """A notification whose first `notify` attempt failed transiently, with that backoff."""
    settings.EMAIL_RETRY_BACKOFF_SECONDS = backoff
    notification = NotificationFactory(data=sample_data("FORUM_POST_MENTION"))
    provider_script.extend([esp_api_error(503), None])
    notify()
    assert state(notification) == (EmailStatus.PENDING, 1)
    return notification


def test_after_a_transient_failure_the_next_run_waits_out_the_backoff(notify, provider_script, settings):
    before = timezone.now()
    notification = failed_once(notify, provider_script, settings, backoff=60)

    output = notify()

    assert ScriptedBackend.calls == 1, output
    assert "Delivery done: 0 attempted" in output
    # equal jitter: the first retry is due between half the backoff and the whole of it
    notification.refresh_from_db()
    assert before + timedelta(seconds=30) <= notification.next_attempt_at
    assert notification.next_attempt_at <= timezone.now() + timedelta(seconds=60)


def test_with_no_backoff_the_next_run_attempts_again(notify, provider_script, settings):
    notification = failed_once(notify, provider_script, settings, backoff=0)

    notify()

    assert ScriptedBackend.calls == 2
    assert state(notification) == (EmailStatus.SENT, 1)
    notification.refresh_from_db()
    assert notification.next_attempt_at is None


def test_once_the_backoff_has_passed_a_run_attempts_again(notify, provider_script, settings):
    notification = failed_once(notify, provider_script, settings, backoff=60)
    Notification.objects.filter(id=notification.id).update(
        next_attempt_at=timezone.now() - timedelta(seconds=1)
    )

    output = notify()

    assert ScriptedBackend.calls == 2
    assert state(notification) == (EmailStatus.SENT, 1)
    assert "Delivery done: 1 attempted, 1 sent" in output


def test_backoff_doubles_from_one_failure_to_the_next(notify, provider_script, settings):
    settings.EMAIL_RETRY_BACKOFF_SECONDS = 60
    notification = NotificationFactory(data=sample_data("FORUM_POST_MENTION"))
    provider_script.extend([esp_api_error(503)] * 2)
    waits = []
    for _ in range(2):
        Notification.objects.filter(id=notification.id).update(next_attempt_at=timezone.now())
        started = timezone.now()
        notify()
        notification.refresh_from_db()
        waits.append((notification.next_attempt_at - started).total_seconds())

    # retry 1 is due within [30, 60] s, retry 2 within [60, 120] s
    assert 30 <= waits[0] <= 61 and 60 <= waits[1] <= 121, waits
    assert ScriptedBackend.calls == 2
