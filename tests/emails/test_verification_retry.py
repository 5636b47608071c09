"""A verification email the API could not send is kept and retried (issue 14): by the delivery
pass of `manage.py notify` without a broker, by the worker and the sweeper with one. Real
requests through the API, a real local SMTP server (down, refusing or accepting), PostgreSQL
for the row locks."""

import threading
from datetime import timedelta
from urllib.parse import parse_qs, urlsplit

import pytest
from django.core.management import call_command
from django.db import connection, transaction
from django.utils import timezone

from members.models import Member, VerificationEmail, VerificationStatus
from members.services import member_verify_email
from members.verification_emails import verification_email_deliver
from notifications.delivery import DeliveryOutcome
from tests.polling import wait_until
from tests.services import require_postgres
from tests.smtp_sink import SmtpSink

UPDATE_EMAIL = "mutation ($email: String) { updateMember(email: $email) { email unverifiedEmail } }"
NEW = "new@example.org"
NEWER = "newer@example.org"

# on_commit hands the email off: the request's transaction must really commit.
pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def smtp_down(settings):
    """SMTP settings pointing at a server that is not started yet: `with smtp_down:` starts it."""
    sink = SmtpSink()
    for name, value in sink.django_settings().items():
        setattr(settings, name, value)
    return sink


def ask_for(client, email: str) -> dict:
    return client.execute(UPDATE_EMAIL, {"email": email})["updateMember"]


def the_row(email: str = NEW) -> VerificationEmail:
    return VerificationEmail.objects.get(email=email)


def link_token(message) -> str:
    body = message.get_body(preferencelist=("plain",)).get_content()
    link = next(word for word in body.split() if "emailVerificationToken=" in word)
    return parse_qs(urlsplit(link).fragment.partition("?")[2])["emailVerificationToken"][0]


def test_smtp_down_during_the_request_then_sent_by_the_next_notify_once_it_is_back(
    member_api_client, member, smtp_down, inline_tasks, no_backoff, notify, capsys
):
    # when: the member asks for a link while nothing listens on the SMTP port
    assert ask_for(member_api_client, NEW) == {"email": "alice@example.org", "unverifiedEmail": NEW}

    # then: the request answered, the email waits with the failure recorded
    row = the_row()
    assert (row.email_status, row.retry_count) == (VerificationStatus.PENDING, 1)
    assert "ConnectionRefusedError" in row.last_error
    call_command("notify", "--dry-run")  # counts it, attempts nothing
    assert "Would email: 1 verification emails" in capsys.readouterr().out
    row.refresh_from_db()
    assert row.retry_count == 1

    # when: SMTP is back and `notify` runs
    with smtp_down as sink:
        output = notify()
        [message] = sink.wait_for(1)

    assert "Verification emails: 1 attempted, 1 sent" in output
    assert message["To"] == NEW
    row.refresh_from_db()
    assert (row.email_status, row.retry_count, row.next_attempt_at) == (VerificationStatus.SENT, 1, None)
    # and the link works
    assert member_verify_email(token=link_token(message)).email == NEW


def test_a_retry_does_not_come_before_next_attempt_at(
    member_api_client, member, smtp_sink, inline_tasks, notify, settings
):
    settings.EMAIL_RETRY_BACKOFF_SECONDS = 600
    smtp_sink.refusals.append("451 4.7.1 Greylisted, try later")
    ask_for(member_api_client, NEW)
    row = the_row()
    assert row.next_attempt_at > timezone.now() + timedelta(seconds=250)  # at least half the backoff

    notify()  # before the due time: spends nothing
    assert len(smtp_sink.rcpt_times) == 1
    row.refresh_from_db()
    assert (row.email_status, row.retry_count) == (VerificationStatus.PENDING, 1)

    VerificationEmail.objects.filter(id=row.id).update(next_attempt_at=timezone.now() - timedelta(seconds=1))
    notify()  # due now
    [message] = smtp_sink.wait_for(1)
    assert message["To"] == NEW
    assert the_row().email_status == VerificationStatus.SENT


def test_a_permanent_failure_is_final(member_api_client, member, smtp_sink, inline_tasks, no_backoff, notify):
    smtp_sink.refuse_recipients = "550 5.1.1 No such user"
    ask_for(member_api_client, NEW)

    notify()
    notify()

    assert len(smtp_sink.rcpt_times) == 1 and smtp_sink.messages == []
    row = the_row()
    assert (row.email_status, row.retry_count, row.next_attempt_at) == (VerificationStatus.FAILED, 0, None)
    assert "550" in row.last_error


def test_a_newer_request_supersedes_the_pending_one(
    member_api_client, member, smtp_down, inline_tasks, no_backoff, notify
):
    ask_for(member_api_client, NEW)
    ask_for(member_api_client, NEWER)

    assert the_row(NEW).email_status == VerificationStatus.SUPERSEDED
    with smtp_down as sink:
        notify()
        [message] = sink.wait_for(1)
        notify()  # nothing left to send

    assert message["To"] == NEWER and len(sink.messages) == 1
    assert the_row(NEWER).email_status == VerificationStatus.SENT
    assert the_row(NEW).email_status == VerificationStatus.SUPERSEDED


def test_going_back_to_the_verified_address_cancels_the_pending_email(
    member_api_client, member, smtp_down, inline_tasks, no_backoff, notify
):
    ask_for(member_api_client, NEW)
    assert ask_for(member_api_client, member.email)["unverifiedEmail"] is None

    with smtp_down as sink:
        notify()

    assert sink.rcpt_times == []
    assert the_row().email_status == VerificationStatus.SUPERSEDED


def test_a_waiting_email_whose_address_is_no_longer_waiting_is_not_sent(smtp_sink, no_backoff, member):
    # A row left PENDING (an older version, or a change made past the lock): checked at send time.
    row = VerificationEmail.objects.create(member=member, email=NEW, link_base="https://pioneer.example.org")

    assert verification_email_deliver(verification_id=row.id) == DeliveryOutcome.IGNORED

    assert smtp_sink.rcpt_times == []
    row.refresh_from_db()
    assert row.email_status == VerificationStatus.SUPERSEDED


def test_retries_do_not_count_against_the_rate_limit_requests_do(
    member_api_client, member, smtp_down, inline_tasks, no_backoff, notify, settings
):
    settings.RATE_LIMIT_VERIFICATION_EMAILS_PER_MEMBER = "2/h"
    ask_for(member_api_client, NEW)
    notify()
    notify()
    assert the_row().retry_count == 3  # the request's attempt and two retries, all failed

    ask_for(member_api_client, NEWER)  # the second request is still allowed
    third = member_api_client.post(UPDATE_EMAIL, {"email": "third@example.org"})

    assert third["errors"][0]["extensions"]["code"] == "RATE_LIMITED", third
    assert Member.objects.get(pk=member.id).unverified_email == NEWER


def test_a_row_being_sent_elsewhere_is_passed_by(smtp_sink, member):
    """The request's attempt, a worker and `notify` claim the row by locking it: one that finds
    it locked passes by at once instead of sending it a second time."""
    require_postgres()
    Member.objects.filter(pk=member.id).update(unverified_email=NEW)
    row = VerificationEmail.objects.create(member=member, email=NEW, link_base="https://pioneer.example.org")
    locked, release = threading.Event(), threading.Event()

    def hold_the_row():
        try:
            with transaction.atomic():
                VerificationEmail.objects.select_for_update().get(id=row.id)
                locked.set()
                release.wait(10)
        finally:
            connection.close()

    holder = threading.Thread(target=hold_the_row)
    holder.start()
    try:
        assert locked.wait(10)
        assert verification_email_deliver(verification_id=row.id) == DeliveryOutcome.SKIPPED
    finally:
        release.set()
        holder.join(10)

    assert smtp_sink.rcpt_times == []
    assert verification_email_deliver(verification_id=row.id) == DeliveryOutcome.SENT


def test_with_a_broker_the_worker_sends_it_and_retries_at_the_rows_time(
    worker, member_api_client, member, smtp_sink, settings
):
    # given: a 1 s backoff (the retry comes 0.5 to 1 s later); the server greylists the first try
    settings.EMAIL_RETRY_BACKOFF_SECONDS = 1
    smtp_sink.refusals.append("451 4.7.1 Greylisted, try later")

    ask_for(member_api_client, NEW)

    wait_until(
        lambda: the_row().email_status == VerificationStatus.SENT, timeout=30, what="verification email sent"
    )
    [message] = smtp_sink.wait_for(1)
    assert message["To"] == NEW
    first, second = smtp_sink.rcpt_times
    assert second - first >= 0.5
    assert the_row().retry_count == 1


def test_with_a_broker_the_sweeper_queues_a_lost_or_long_waiting_retry(worker, member, smtp_sink, settings):
    from notifications.tasks import sweep_pending

    # given: a failed attempt whose retry is due, its task long gone (or never held by a worker)
    Member.objects.filter(pk=member.id).update(unverified_email=NEW)
    long_ago = timezone.now() - timedelta(seconds=settings.EMAIL_SWEEP_GRACE_SECONDS + 60)
    row = VerificationEmail.objects.create(
        member=member,
        email=NEW,
        link_base="https://pioneer.example.org",
        retry_count=1,
        email_queued_at=long_ago,
        next_attempt_at=long_ago,
    )

    assert sweep_pending() == 1

    wait_until(
        lambda: VerificationEmail.objects.get(id=row.id).email_status == VerificationStatus.SENT,
        timeout=30,
        what="verification email sent by the worker",
    )
    [message] = smtp_sink.wait_for(1)
    assert message["To"] == NEW
    assert sweep_pending() == 0  # nothing left to queue


def test_with_a_broker_a_permanent_failure_is_attempted_once(
    worker, member_api_client, member, smtp_sink, settings
):
    settings.EMAIL_RETRY_BACKOFF_SECONDS = 0  # a retry, if any, would come at once
    smtp_sink.refuse_recipients = "550 5.1.1 No such user"

    ask_for(member_api_client, NEW)

    wait_until(
        lambda: the_row().email_status == VerificationStatus.FAILED, timeout=30, what="verification failed"
    )
    assert len(smtp_sink.rcpt_times) == 1 and smtp_sink.messages == []
    assert the_row().retry_count == 0


def test_the_admin_shows_verification_emails_read_only(admin_client, member):
    row = VerificationEmail.objects.create(
        member=member,
        email=NEW,
        link_base="https://pioneer.example.org",
        retry_count=2,
        last_error="SMTPServerDisconnected: Connection unexpectedly closed",
    )
    changelist = "/admin/members/verificationemail/"

    listing = admin_client.get(f"{changelist}?email_status=PENDING").content.decode()
    page = admin_client.get(f"{changelist}{row.id}/change/").content.decode()

    assert NEW in listing
    assert "Connection unexpectedly closed" in page
    assert 'name="email_status"' not in page and 'name="email"' not in page
    assert admin_client.get(f"{changelist}add/").status_code == 403


EARLIER_LINK = "https://pioneer.example.org/#/settings?emailVerificationToken=made-by-the-earlier-release"


def test_a_task_queued_by_an_earlier_release_is_stored_and_sent_by_the_worker(worker, member, smtp_sink):
    """Before verification emails were stored, the task carried the member, the address and the
    link: such a task, still queued at an upgrade, is sent, with a fresh link on the same base."""
    from members.verification_emails import VERIFICATION_EMAIL_TASK

    Member.objects.filter(pk=member.id).update(unverified_email=NEW)

    worker.send_task(
        VERIFICATION_EMAIL_TASK, kwargs={"member_id": member.id, "email": NEW, "link": EARLIER_LINK}
    )

    wait_until(
        lambda: the_row().email_status == VerificationStatus.SENT,
        timeout=30,
        what="the earlier task's email sent",
    )
    [message] = smtp_sink.wait_for(1)
    assert message["To"] == NEW
    token = link_token(message)
    assert token != "made-by-the-earlier-release"
    assert the_row().link_base == "https://pioneer.example.org"


def test_an_earlier_release_s_task_for_a_replaced_address_or_one_already_stored_sends_nothing(
    member, smtp_sink, inline_tasks
):
    from members.tasks import send_verification_email

    Member.objects.filter(pk=member.id).update(unverified_email=NEWER)
    replaced = send_verification_email.apply(
        kwargs={"member_id": member.id, "email": NEW, "link": EARLIER_LINK}
    )

    VerificationEmail.objects.create(member=member, email=NEWER, link_base="https://pioneer.example.org")
    stored = send_verification_email.apply(
        kwargs={"member_id": member.id, "email": NEWER, "link": EARLIER_LINK}
    )

    assert (replaced.get(), stored.get()) == ("SKIPPED", "SKIPPED")
    assert VerificationEmail.objects.count() == 1
    assert smtp_sink.rcpt_times == []
