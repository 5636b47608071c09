"""Daily and weekly digests: what they hold, when, and that each goes out once."""

from __future__ import annotations

import dataclasses
import threading
from datetime import UTC, datetime, timedelta

import pytest
from anymail.exceptions import AnymailRecipientsRefused
from django.core import mail
from django.core.management import CommandError, call_command
from django.db import connection
from django.utils import timezone
from django_celery_beat.models import PeriodicTask

from members.models import EmailFrequency
from notifications.digest_schedule import DAILY_DIGEST_TASK_NAME, DIGEST_TASK, WEEKLY_DIGEST_TASK_NAME
from notifications.digests import digest_period_start, digests_send
from notifications.models import Digest, EmailStatus, Notification
from notifications.samples import sample_data
from notifications.services import notifications_sweep_pending
from subscriptions import kinds
from tests.emails.conftest import PIONEER_URL, PUBLIC_URL
from tests.emails.providers import esp_api_error
from tests.factories import MemberFactory, NotificationFactory, SubscriptionFactory
from tests.services import require_postgres

pytestmark = pytest.mark.django_db

DAY_1 = datetime(2025, 3, 4, 8, 0, tzinfo=UTC)  # a Tuesday
DAY_2 = datetime(2025, 3, 5, 8, 0, tzinfo=UTC)


def pending(member, kind="FORUM_POST_MENTION", **fields) -> Notification:
    return NotificationFactory(member=member, kind=kind, data=sample_data(kind), **fields)


def status(notification) -> str:
    notification.refresh_from_db()
    return notification.email_status


def to(address: str):
    return [message for message in mail.outbox if message.to == [address]]


def html(message) -> str:
    [(body, mimetype)] = message.alternatives
    assert mimetype == "text/html"
    return body


def mark_immediate(monkeypatch, name: str) -> None:
    """Make one kind of the table immediate for this test, as a row with `immediate=True` would."""
    rows = tuple(dataclasses.replace(row, immediate=True) if row.name == name else row for row in kinds.KINDS)
    monkeypatch.setattr(kinds, "KINDS", rows)
    assert name in kinds.immediate_kinds()


@pytest.fixture
def daily():
    return MemberFactory(id=1, name="alice", email="alice@example.org", email_frequency=EmailFrequency.DAILY)


def test_two_days_of_notifications_give_one_daily_email_each_day_with_that_days_items(daily):
    mention = pending(daily, "FORUM_POST_MENTION")
    election = pending(daily, "ELECTION_VOTING_STARTED")

    first = digests_send(frequency="DAILY", scheduled=True, now=DAY_1)
    again = digests_send(frequency="DAILY", scheduled=True, now=DAY_1)
    reply = pending(daily, "PROPOSAL_DISCUSSION_REPLY")
    second = digests_send(frequency="DAILY", scheduled=True, now=DAY_2)

    assert (first.sent, first.notifications, again.sent, second.sent, second.notifications) == (1, 2, 0, 1, 1)
    day_1, day_2 = to("alice@example.org")
    assert day_1.subject == "Your daily Pioneer digest: 2 new notifications"
    assert day_2.subject == "Your daily Pioneer digest: 1 new notification"
    # grouped by family, in the table's order, each item linking to its place in Pioneer
    body = html(day_1)[html(day_1).index("<h1") :]  # past the preheader
    forum, election_heading = body.index("Forum posts"), body.index("Council election")
    assert forum < body.index("bedeho mentioned you in Storage provider rewards for Q3") < election_heading
    assert f'href="{PIONEER_URL}/#/forum/thread/412?post=5120"' in body
    assert f'href="{PIONEER_URL}/#/election"' in body
    assert "Proposal discussions" not in body
    assert "replied to your post on Fund the Pioneer 2.1 release" in html(day_2)
    assert f"{PIONEER_URL}/#/proposals/preview/285?post=" in day_2.body  # the plain-text part too
    assert {status(n) for n in (mention, election, reply)} == {EmailStatus.SENT}
    assert list(
        Digest.objects.values_list("period_start", "notification_count").order_by("period_start")
    ) == [
        (DAY_1.date(), 2),
        (DAY_2.date(), 1),
    ]


def test_held_notifications_are_not_emailed_one_by_one(daily, fake_query_node):
    held = pending(daily)

    call_command("notify")
    assert notifications_sweep_pending() == 0

    assert (status(held), mail.outbox) == (EmailStatus.PENDING, [])


def test_immediate_kinds_go_out_at_once_and_never_wait_for_a_digest(daily, fake_query_node, monkeypatch):
    mark_immediate(monkeypatch, "ELECTION_REVEALING_STARTED")
    reveal = pending(daily, "ELECTION_REVEALING_STARTED")
    held = pending(daily, "FORUM_POST_MENTION")

    call_command("notify")
    summary = digests_send(frequency="DAILY", now=DAY_1)

    [single, digest] = to("alice@example.org")
    assert single.subject == "Council election: the revealing period has started"
    assert "revealing" not in html(digest) and summary.notifications == 1
    assert (status(reveal), status(held)) == (EmailStatus.SENT, EmailStatus.SENT)


def test_the_digest_never_holds_an_immediate_kind_even_when_it_is_pending(daily, monkeypatch):
    mark_immediate(monkeypatch, "FORUM_POST_REPLY")
    reply = pending(daily, "FORUM_POST_REPLY")

    summary = digests_send(frequency="DAILY", now=DAY_1)

    assert (summary.members, summary.sent, mail.outbox) == (0, 0, [])
    assert status(reply) == EmailStatus.PENDING  # one-by-one delivery's to send


UPDATE_FREQUENCY = """
mutation ($frequency: EmailFrequency) { updateMember(emailFrequency: $frequency) { emailFrequency } }
"""
ME = "{ me { id emailFrequency receiveEmails } }"


def test_email_frequency_over_the_api(member_api_client, member):
    assert member_api_client.execute(ME)["me"] == {
        "id": 1,
        "emailFrequency": "IMMEDIATE",
        "receiveEmails": True,
    }

    for frequency in ("DAILY", "WEEKLY", "NEVER", "IMMEDIATE"):
        changed = member_api_client.execute(UPDATE_FREQUENCY, {"frequency": frequency})
        assert changed == {"updateMember": {"emailFrequency": frequency}}
        assert member_api_client.execute(ME)["me"]["emailFrequency"] == frequency

    refused = member_api_client.post(UPDATE_FREQUENCY, {"frequency": "HOURLY"})
    assert refused["errors"][0]["extensions"]["code"] == "GRAPHQL_VALIDATION_FAILED"


def test_switching_frequency_mid_period_loses_nothing(member_api_client, member, fake_query_node):
    # given two notifications waiting for alice's daily digest
    member_api_client.execute(UPDATE_FREQUENCY, {"frequency": "DAILY"})
    first, second = pending(member), pending(member, "FORUM_THREAD_CREATOR")

    # when she moves to weekly: the daily digest skips her, the weekly one holds both and a newer one
    member_api_client.execute(UPDATE_FREQUENCY, {"frequency": "WEEKLY"})
    daily_run = digests_send(frequency="DAILY", now=DAY_1)
    third = pending(member, "FORUM_POST_REPLY")
    weekly_run = digests_send(frequency="WEEKLY", scheduled=True, now=DAY_2)

    assert (daily_run.sent, weekly_run.sent, weekly_run.notifications) == (0, 1, 3)
    [weekly] = mail.outbox
    assert weekly.subject == "Your weekly Pioneer digest: 3 new notifications"
    assert Digest.objects.get().period_start == datetime(2025, 3, 3).date()  # that week's Monday

    # and back to immediate: what waited goes out one by one at the next delivery pass
    member_api_client.execute(UPDATE_FREQUENCY, {"frequency": "DAILY"})
    fourth = pending(member, "FORUM_POST_MENTION")
    member_api_client.execute(UPDATE_FREQUENCY, {"frequency": "IMMEDIATE"})
    call_command("notify")
    assert {status(n) for n in (first, second, third, fourth)} == {EmailStatus.SENT}
    assert len(mail.outbox) == 2


def test_never_sends_nothing(member_api_client, member, fake_query_node):
    waiting = pending(member)
    member_api_client.execute(UPDATE_FREQUENCY, {"frequency": "NEVER"})
    # a post mentioning her after the switch: in her feed, never emailed
    data = fake_query_node.data
    carol = data.member(3, handle="carol")
    thread = data.thread(author=carol, category=data.category("Lobby"), title="Plans", event=False)
    data.post(thread=thread, author=carol, text="[@alice](#mention?member-id=1) hi", block=10)

    call_command("notify")
    digests = [digests_send(frequency=frequency, now=DAY_1).sent for frequency in ("DAILY", "WEEKLY")]

    assert (mail.outbox, digests) == ([], [0, 0])
    assert status(waiting) == EmailStatus.IGNORED
    mentioned = Notification.objects.exclude(id=waiting.id).get()
    assert (mentioned.in_app, mentioned.email_status) == (True, EmailStatus.IGNORED)


def test_a_scheduled_digest_is_sent_once_per_period_by_two_beat_instances_in_turn(daily):
    pending(daily)
    first = digests_send(frequency="DAILY", scheduled=True, now=DAY_1)
    late = pending(daily)  # arrives before the second beat instance fires
    second = digests_send(frequency="DAILY", scheduled=True, now=DAY_1.replace(hour=8, minute=1))

    assert (first.sent, second.sent, second.skipped, len(mail.outbox)) == (1, 0, 1, 1)
    assert status(late) == EmailStatus.PENDING  # tomorrow's digest


@pytest.mark.django_db(transaction=True)
def test_two_beat_instances_at_the_same_time_send_one_digest(settings):
    require_postgres()
    # given: the first instance is inside the provider call, its digest not committed yet
    settings.EMAIL_BACKEND = "tests.emails.providers.PausingBackend"
    from tests.emails.providers import PausingBackend

    member = MemberFactory(id=1, email="alice@example.org", email_frequency=EmailFrequency.DAILY)
    covered = pending(member)
    summaries = []

    def beat_fires():
        try:
            summaries.append(digests_send(frequency="DAILY", scheduled=True, now=DAY_1))
        finally:
            connection.close()

    first = threading.Thread(target=beat_fires)
    first.start()
    assert PausingBackend.entered.wait(timeout=20)
    late = pending(member)

    # when: the second instance runs meanwhile (it waits on the period's row), then the first finishes
    second = threading.Thread(target=beat_fires)
    second.start()
    PausingBackend.release.set()
    first.join(timeout=20)
    second.join(timeout=20)

    # then: one digest, with what was pending when it started
    assert sorted((s.sent, s.skipped) for s in summaries) == [(0, 1), (1, 0)]
    assert len(mail.outbox) == 1
    assert (status(covered), status(late)) == (EmailStatus.SENT, EmailStatus.PENDING)
    assert Digest.objects.count() == 1


def test_a_transient_failure_keeps_everything_for_the_next_digest(daily, provider_script):
    waiting = pending(daily)
    provider_script.append(esp_api_error(503))

    failed = digests_send(frequency="DAILY", scheduled=True, now=DAY_1)
    retried = digests_send(frequency="DAILY", scheduled=True, now=DAY_1)

    assert (failed.failed, retried.sent) == (1, 1)
    assert status(waiting) == EmailStatus.SENT
    assert Digest.objects.count() == 1


def test_a_permanent_failure_marks_the_digests_notifications_failed(daily, provider_script):
    refused = pending(daily)
    provider_script.append(AnymailRecipientsRefused("recipient refused"))

    summary = digests_send(frequency="DAILY", scheduled=True, now=DAY_1)

    assert summary.failed == 1
    refused.refresh_from_db()
    assert (refused.email_status, "AnymailRecipientsRefused" in refused.last_error) == (
        EmailStatus.FAILED,
        True,
    )
    assert not Digest.objects.exists()


def test_kinds_turned_off_since_and_members_without_a_usable_address_are_ignored(daily):
    turned_off = pending(daily, "FORUM_POST_REPLY")
    SubscriptionFactory(member=daily, kind="FORUM_POST_REPLY", should_notify_by_email=False)
    kept = pending(daily, "FORUM_POST_MENTION")
    no_address = MemberFactory(id=2, email=None, email_frequency=EmailFrequency.DAILY)
    orphan = pending(no_address)
    suppressed = MemberFactory(id=3, email_frequency=EmailFrequency.DAILY, email_suppressed_reason="BOUNCED")
    bounced = pending(suppressed)

    summary = digests_send(frequency="DAILY", now=DAY_1)

    assert (summary.sent, summary.notifications, summary.ignored) == (1, 1, 3)
    assert (status(turned_off), status(kept), status(orphan), status(bounced)) == (
        EmailStatus.IGNORED,
        EmailStatus.SENT,
        EmailStatus.IGNORED,
        EmailStatus.IGNORED,
    )
    assert [message.to for message in mail.outbox] == [["alice@example.org"]]


def test_the_digest_has_one_click_unsubscribe_that_stops_digests(daily, client):
    pending(daily)
    digests_send(frequency="DAILY", now=DAY_1)
    [message] = mail.outbox
    link = message.extra_headers["List-Unsubscribe"].strip("<>")
    assert link.startswith(f"{PUBLIC_URL}/unsubscribe/")
    assert link in html(message) and link in message.body

    page = client.get(link.removeprefix(PUBLIC_URL))
    done = client.post(link.removeprefix(PUBLIC_URL), {"List-Unsubscribe": "One-Click"})

    assert "Stop emails about your daily digest" in page.content.decode()
    assert done.status_code == 200
    daily.refresh_from_db()
    assert (daily.email_frequency, daily.receive_emails) == (EmailFrequency.NEVER, True)


def test_senddigests_sends_now_whatever_the_day(daily, capsys):
    weekly = MemberFactory(id=2, email="bob@example.org", email_frequency=EmailFrequency.WEEKLY)
    pending(daily), pending(weekly), pending(weekly)

    call_command("senddigests", "--frequency", "weekly")

    assert [message.to for message in mail.outbox] == [["bob@example.org"]]
    assert "Weekly digests: 1 sent covering 2 notifications" in capsys.readouterr().out
    with pytest.raises(CommandError, match="invalid choice"):
        call_command("senddigests", "--frequency", "hourly")


def test_periods_start_on_the_day_and_on_monday():
    sunday = datetime(2025, 3, 9, 23, 0, tzinfo=UTC)
    assert digest_period_start(frequency="DAILY", now=sunday).isoformat() == "2025-03-09"
    assert digest_period_start(frequency="WEEKLY", now=sunday).isoformat() == "2025-03-03"


def test_beat_has_the_digest_schedules_after_migrate(settings):
    daily_task = PeriodicTask.objects.get(name=DAILY_DIGEST_TASK_NAME)
    weekly_task = PeriodicTask.objects.get(name=WEEKLY_DIGEST_TASK_NAME)

    assert (daily_task.task, weekly_task.task) == (DIGEST_TASK, DIGEST_TASK)
    assert (daily_task.kwargs, weekly_task.kwargs) == ('{"frequency": "DAILY"}', '{"frequency": "WEEKLY"}')
    hour = str(settings.DIGEST_HOUR_UTC)
    crontab = daily_task.crontab
    assert (crontab.minute, crontab.hour, crontab.day_of_week, str(crontab.timezone)) == (
        "0",
        hour,
        "*",
        "UTC",
    )
    assert (weekly_task.crontab.hour, weekly_task.crontab.day_of_week) == (hour, "1")


def test_the_admin_lists_sent_digests_read_only(daily, admin_client):
    pending(daily)
    digests_send(frequency="DAILY", scheduled=True, now=DAY_1)
    digest = Digest.objects.get()

    listing = admin_client.get("/admin/notifications/digest/").content.decode()
    detail = admin_client.get(f"/admin/notifications/digest/{digest.id}/change/")

    assert "#1 alice" in listing and "March 4, 2025" in listing
    assert detail.status_code == 200 and 'name="notification_count"' not in detail.content.decode()


def test_a_digest_leaves_alone_an_email_a_one_by_one_delivery_holds_a_lease_on(daily):
    # given: one email claimed by a delivery (say, just before alice chose a daily digest)
    claimed, free = pending(daily), pending(daily, "ELECTION_VOTING_STARTED")
    Notification.objects.filter(id=claimed.id).update(claimed_until=timezone.now() + timedelta(minutes=5))

    summary = digests_send(frequency="DAILY", now=DAY_1)

    # then: the digest has only the other one; the claimed one is its delivery's to record
    assert (summary.sent, summary.notifications) == (1, 1)
    assert (status(claimed), status(free)) == (EmailStatus.PENDING, EmailStatus.SENT)
