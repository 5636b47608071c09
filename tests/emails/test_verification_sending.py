"""Verification emails fail and retry as notification emails do (notifications.sending):
a permanent refusal is attempted once, a transient failure is retried with backoff.
Against a real local SMTP server, and a real Celery worker on Redis for the retries."""

import pytest
from celery.signals import task_postrun, task_retry

from members.emails import verification_email_send
from members.tasks import send_verification_email
from notifications.sending import EmailSendError
from tests.factories import MemberFactory
from tests.polling import wait_until
from tests.smtp_sink import SmtpSink

LINK = "https://pioneer.example.org/#/settings?emailVerificationToken=t"
ADDRESS = "new@example.org"


def verification_kwargs(member) -> dict:
    return {"member_id": member.id, "email": ADDRESS, "link": LINK}


@pytest.fixture
def waiting_member(db):
    return MemberFactory(id=7, name="ada", email=None, unverified_email=ADDRESS)


@pytest.fixture
def task_events():
    """What the worker did with verification tasks: ("retry", None) or ("done", return value)."""
    events = []

    def retried(sender=None, **kwargs):
        if sender.name == send_verification_email.name:
            events.append(("retry", None))

    def finished(sender=None, retval=None, state=None, **kwargs):
        if sender.name == send_verification_email.name and state != "RETRY":
            events.append(("done", retval))

    task_retry.connect(retried, weak=False)
    task_postrun.connect(finished, weak=False)
    yield events
    task_retry.disconnect(retried)
    task_postrun.disconnect(finished)


def done(events) -> str | None:
    return next((value for kind, value in events if kind == "done"), None)


@pytest.mark.parametrize(
    ("reply", "transient"),
    [("550 5.1.1 No such user", False), ("451 4.7.1 Greylisted, try later", True)],
    ids=["permanent-550", "transient-451"],
)
def test_the_smtp_answer_decides_whether_a_retry_is_worth_it(smtp_sink, db, reply, transient):
    smtp_sink.refuse_recipients = reply
    member = MemberFactory(email=None, unverified_email=ADDRESS)

    with pytest.raises(EmailSendError) as failure:
        verification_email_send(member=member, email=ADDRESS, link=LINK)

    assert failure.value.transient is transient
    assert reply.split()[0] in str(failure.value)
    assert len(smtp_sink.rcpt_times) == 1 and smtp_sink.messages == []


def test_a_refused_connection_is_transient(settings, db):
    for name, value in SmtpSink().django_settings().items():  # not started: nothing listens there
        setattr(settings, name, value)

    with pytest.raises(EmailSendError) as failure:
        verification_email_send(member=MemberFactory(), email=ADDRESS, link=LINK)

    assert failure.value.transient is True
    assert "ConnectionRefusedError" in str(failure.value)


@pytest.mark.parametrize("how", ["inline", "called-by-the-api"])
def test_without_a_worker_a_transient_failure_is_attempted_once(smtp_sink, waiting_member, inline_tasks, how):
    # no broker holds a delayed retry there: retrying would mean trying again at once, in a request
    smtp_sink.refuse_recipients = "451 4.7.1 Greylisted, try later"
    kwargs = verification_kwargs(waiting_member)

    if how == "inline":
        result = send_verification_email.apply(kwargs=kwargs).get()
    else:
        result = send_verification_email.run(**kwargs)

    assert result == "FAILED"
    assert len(smtp_sink.rcpt_times) == 1


def test_worker_attempts_a_permanent_refusal_once(worker, smtp_sink, waiting_member, task_events, settings):
    settings.EMAIL_RETRY_BACKOFF_SECONDS = 0  # a retry, if any, would come at once
    smtp_sink.refuse_recipients = "550 5.1.1 No such user"

    send_verification_email.delay(**verification_kwargs(waiting_member))

    assert wait_until(lambda: done(task_events), timeout=20, what="verification task finished") == "FAILED"
    assert task_events == [("done", "FAILED")]
    assert len(smtp_sink.rcpt_times) == 1 and smtp_sink.messages == []


def test_worker_retries_a_greylisted_email_after_a_backoff(
    worker, smtp_sink, waiting_member, task_events, settings
):
    # given: a 1 s backoff (the retry comes 0.5 to 1 s later); the server greylists the first try
    settings.EMAIL_RETRY_BACKOFF_SECONDS = 1
    smtp_sink.refusals.append("451 4.7.1 Greylisted, try later")

    send_verification_email.delay(**verification_kwargs(waiting_member))

    assert wait_until(lambda: done(task_events), timeout=20, what="verification task finished") == "SENT"
    [message] = smtp_sink.messages
    assert message["To"] == ADDRESS
    first, second = smtp_sink.rcpt_times
    assert second - first >= 0.5
    assert task_events == [("retry", None), ("done", "SENT")]


def test_worker_retries_when_the_smtp_server_is_down(worker, settings, waiting_member, task_events):
    # given: nothing listens on the SMTP port yet; retries 1 to 2 s, then 2 to 4 s apart
    settings.EMAIL_RETRY_BACKOFF_SECONDS = 2
    sink = SmtpSink()  # not started yet
    for name, value in sink.django_settings().items():
        setattr(settings, name, value)

    send_verification_email.delay(**verification_kwargs(waiting_member))
    wait_until(lambda: task_events, timeout=20, what="first attempt refused and a retry scheduled")
    with sink:  # the server comes up while the retry waits
        assert wait_until(lambda: done(task_events), timeout=30, what="verification task finished") == "SENT"
        [message] = sink.messages

    assert message["To"] == ADDRESS
    assert task_events[0] == ("retry", None)
