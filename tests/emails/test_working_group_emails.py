"""Working-group emails and feed lines: the group named as Pioneer names it, JOY amounts as
Pioneer writes them, the facts of each event, and links to Pioneer's working-group routes."""

from __future__ import annotations

import pytest
from django.core.management import call_command

from notifications.emails import notification_email_render
from notifications.pioneer_format import group_name, group_url_param, joy
from notifications.presentation import notification_link, notification_message, notification_subject
from qn_ingest.planning import event_display_data
from qn_ingest.working_groups import WORKING_GROUP_EVENT_TYPES
from subscriptions.kinds import KINDS, Role
from tests.planning.working_group_builders import BUILDERS_GROUP, person, wg_event

BASE = "https://pioneer.test"
JOY = 10**10
WG_KINDS = [kind.name for kind in KINDS if set(kind.event_types) & set(WORKING_GROUP_EVENT_TYPES)]


@pytest.mark.parametrize(
    ("group_id", "name", "param"),
    [
        ("forumWorkingGroup", "Forum", "forum"),
        ("storageWorkingGroup", "Storage", "storage"),
        ("contentWorkingGroup", "Content", "content"),
        ("membershipWorkingGroup", "Membership", "membership"),
        ("distributionWorkingGroup", "Distribution", "distribution"),
        ("operationsWorkingGroupAlpha", "Builders", "builders"),
        ("operationsWorkingGroupBeta", "HR", "hr"),
        ("operationsWorkingGroupGamma", "Marketing", "marketing"),
        ("appWorkingGroup", "Apps", "apps"),
        ("contentDirectoryWorkingGroup", "Content Directory", "content-directory"),
    ],
)
def test_groups_are_named_and_linked_as_pioneer_does(group_id, name, param):
    assert (group_name(group_id), group_url_param(group_id)) == (name, param)


@pytest.mark.parametrize(
    ("amount", "signed", "text"),
    [
        (0, False, "0 JOY"),
        (1, False, "0.0000000001 JOY"),
        (12_345 * JOY + JOY // 2, False, "12,345.5 JOY"),
        (1_000_000 * JOY, True, "+1,000,000 JOY"),
        (-250 * JOY - 25 * JOY // 100, True, "-250.25 JOY"),
    ],
)
def test_joy_amounts_have_ten_decimals_and_thousands_separators(amount, signed, text):
    assert joy(amount, signed=signed) == text


def _event(event_type: str):
    parts = {
        "AppliedOnOpeningEvent": {"applicant": person(7)},
        "OpeningFilledEvent": {"hired": (person(7), person(9))},
        "LeaderSetEvent": {"lead": person(7)},
        "LeaderUnsetEvent": {"lead": person(7)},
        "WorkerStartedLeavingEvent": {"worker": person(7)},
        "WorkerExitedEvent": {"worker": person(7)},
    }.get(event_type, {})
    return wg_event(event_type, group_id=BUILDERS_GROUP, **parts)


# (event type) → (the _ALL kind's feed line and subject, what the email body shows, the link path)
EXPECTED = {
    "OpeningAddedEvent": (
        "New opening in Builders: Forum moderator",
        ["Opening Forum moderator"],
        "/#/working-groups/openings/forumWorkingGroup-3",
    ),
    "AppliedOnOpeningEvent": (
        "handle7 applied to Forum moderator in Builders",
        ["Applicant handle7"],
        "/#/working-groups/openings/forumWorkingGroup-3",
    ),
    "OpeningFilledEvent": (
        "Builders hired handle7, handle9",
        ["Hired handle7, handle9"],
        "/#/working-groups/builders",
    ),
    "BudgetUpdatedEvent": (
        "The budget of Builders changed by +25,000 JOY",
        ["Budget change +25,000 JOY"],
        "/#/working-groups/builders",
    ),
    "BudgetSetEvent": (
        "The budget of Builders was set to 150,000.5 JOY",
        ["New budget 150,000.5 JOY"],
        "/#/working-groups/builders",
    ),
    "BudgetSpendingEvent": (
        "Builders spent 1,200 JOY",
        ["Amount spent 1,200 JOY", "Paid to 5Grw", "Rationale Bounty paid"],
        "/#/working-groups/builders",
    ),
    "LeaderSetEvent": ("Builders has a new lead: handle7", ["Lead handle7"], "/#/working-groups/builders"),
    "LeaderUnsetEvent": (
        "handle7 is no longer the lead of Builders",
        ["Lead handle7"],
        "/#/working-groups/builders",
    ),
    "WorkerStartedLeavingEvent": (
        "handle7 started leaving Builders",
        ["Worker handle7", "Rationale Moving on"],
        "/#/working-groups/builders",
    ),
    "WorkerExitedEvent": ("handle7 left Builders", ["Worker handle7"], "/#/working-groups/builders"),
}


def _all_kind(event_type: str) -> str:
    return next(k.name for k in KINDS if event_type in k.event_types and k.role == Role.EVERYONE)


@pytest.mark.parametrize("event_type", WORKING_GROUP_EVENT_TYPES)
def test_each_event_s_email_and_feed_line(event_type, settings):
    settings.PIONEER_URL = BASE
    data = event_display_data(_event(event_type))
    kind = _all_kind(event_type)
    line, facts, path = EXPECTED[event_type]

    email = notification_email_render(kind=kind, data=data, member_name="Ada", unsubscribe_url=f"{BASE}/u/x")

    assert notification_message(kind, data) == line == notification_subject(kind, data) == email.subject
    assert notification_link(kind, data) == BASE + path
    for fact in facts:
        assert fact in email.text, (fact, email.text)
    assert f"{BASE}{path}" in email.text and f"{BASE}{path}" in email.html
    assert "Builders" in email.html  # the crumb names the group
    # the watched group says the same thing, from the watcher's side
    watched = notification_message("WG_ENTITY_ALL", data)
    assert "Builders, a group you watch" in watched or "Builders, a working group you watch" in watched


def test_worker_kinds_say_your_group():
    data = event_display_data(_event("BudgetSetEvent"))
    assert notification_message("WG_NEW_BUDGET_WORKER", data) == (
        "The budget of your group Builders was set to 150,000.5 JOY"
    )


def test_a_rationale_is_plain_text_and_escaped_in_html():
    event = wg_event(
        "WorkerStartedLeavingEvent", group_id=BUILDERS_GROUP, rationale="Pay **less** & [go](http://x) if a<b"
    )
    data = event_display_data(event)

    email = notification_email_render(
        kind="WG_WORKER_LEAVING_ALL", data=data, member_name="Ada", unsubscribe_url=f"{BASE}/u/x"
    )

    assert "Rationale Pay less & go if a<b" in email.text
    assert "Pay less &amp; go if a&lt;b" in email.html and "a<b" not in email.html


@pytest.mark.parametrize("kind", WG_KINDS)
def test_mockemail_sends_each_working_group_kind_naming_the_group(smtp_sink, kind):
    call_command("mockemail", "someone@example.org", kind)

    [message] = smtp_sink.wait_for(1)
    text = message.get_body(("plain",)).get_content()
    assert "Storage" in message["Subject"] and "Storage" in text
    assert "https://" in text and "/#/working-groups/" in text
