"""Retry bookkeeping through `manage.py notify` runs (CONTRACT.md section 5), with the
ingest finding nothing new on a (fake) query node and the ESP answering as scripted."""

import pytest
from anymail.exceptions import AnymailRecipientsRefused
from django.core import mail
from django.core.management import call_command

from notifications.models import EmailStatus, Notification
from notifications.samples import sample_data
from tests.emails.providers import ScriptedBackend, esp_api_error
from tests.factories import MemberFactory, NotificationFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def notify(fake_query_node, capsys):
    """Run one `notify` cycle; returns its output."""

    def run() -> str:
        call_command("notify")
        return capsys.readouterr().out

    return run


def state(notification) -> tuple[str, int]:
    notification.refresh_from_db()
    return notification.email_status, notification.retry_count


def test_failing_provider_gives_pending_1_2_3_then_failed(notify, provider_script):
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


def test_success_after_failures_is_sent_and_keeps_the_count(notify, provider_script):
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
