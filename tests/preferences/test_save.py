"""POST /preferences/<token>: the form contract. The whole form is saved through the services
of the GraphQL mutations, so the API shows the change at once; anything malformed is a 400 with
nothing changed."""

import pytest

from members.models import Member
from members.tokens import auth_token_issue
from subscriptions.kinds import GeneralKind, is_on_by_default
from subscriptions.models import Subscription
from tests.conftest import GraphQLClient
from tests.factories import MemberFactory, SubscriptionFactory
from tests.preferences.conftest import page_path

pytestmark = pytest.mark.django_db

API_STATE = """
{
  me { receiveEmails }
  generalSubscriptions { kind shouldNotify shouldNotifyByEmail shouldNotifyByChat }
  entitySubscriptions { kind entityId status }
}
"""


def api_state(member) -> dict:
    return GraphQLClient(token=auth_token_issue(member_id=member.id)).execute(API_STATE)


def general(state: dict) -> dict[str, tuple[bool, bool, bool]]:
    """kind -> (in-app, email, chat)."""
    return {
        row["kind"]: (row["shouldNotify"], row["shouldNotifyByEmail"], row["shouldNotifyByChat"])
        for row in state["generalSubscriptions"]
    }


def by_default(kind: str) -> tuple[bool, bool, bool]:
    return (is_on_by_default(kind),) * 3


def defaults_form() -> dict:
    """What the page of a member who changed nothing submits."""
    form = {"receive_emails": "on"}
    for kind in GeneralKind.values:
        if is_on_by_default(kind):
            form[f"{kind}.in_app"] = form[f"{kind}.email"] = form[f"{kind}.chat"] = "on"
    return form


def test_saving_sets_every_kind_to_exactly_what_the_form_says(browserless, ada):
    form = defaults_form()
    del form["FORUM_POST_MENTION.email"]  # in-app only
    del form["ELECTION_VOTING_STARTED.in_app"]  # email only
    form["FORUM_POST_ALL.in_app"] = "on"  # off by default: in-app on
    form["FORUM_THREAD_ALL.email"] = "on"
    form["FORUM_THREAD_ALL.in_app"] = "on"
    del form["PROPOSAL_STATUS_CREATOR.chat"]  # in-app and email, not chat
    form["PROPOSAL_DISCUSSION_ALL.chat"] = "on"  # chat only
    path = page_path(ada)

    response = browserless.post(path, form)

    assert response.status_code == 303 and response["Location"] == f"{path}?saved=1"
    state = general(api_state(ada))
    expected = {kind: by_default(kind) for kind in GeneralKind.values}
    expected |= {
        "FORUM_POST_MENTION": (True, False, True),
        "ELECTION_VOTING_STARTED": (False, True, True),
        "FORUM_POST_ALL": (True, False, False),
        "FORUM_THREAD_ALL": (True, True, False),
        "PROPOSAL_STATUS_CREATOR": (True, True, False),
        "PROPOSAL_DISCUSSION_ALL": (False, False, True),
    }
    assert state == expected
    page = browserless.get(response["Location"]).content.decode()
    assert 'role="status">Saved<' in page


def test_an_unchanged_form_stores_nothing(browserless, ada):
    browserless.post(page_path(ada), defaults_form())
    assert not Subscription.objects.filter(member=ada).exists()


def test_an_unchecked_receive_emails_turns_email_off_and_back_on(browserless, ada):
    form = defaults_form()
    del form["receive_emails"]
    browserless.post(page_path(ada), form)
    assert api_state(ada)["me"]["receiveEmails"] is False
    browserless.post(page_path(ada), defaults_form())
    assert api_state(ada)["me"]["receiveEmails"] is True


@pytest.mark.parametrize(
    ("action", "expected"),
    [
        ("all_on", lambda kind: (True, True, True)),
        ("all_off", lambda kind: (False, False, False)),
        ("defaults", by_default),
    ],
)
def test_the_three_buttons_set_every_kind(browserless, ada, action, expected):
    SubscriptionFactory(member=ada, kind="FORUM_POST_ALL", should_notify=True, should_notify_by_email=False)
    SubscriptionFactory(member=ada, kind="FORUM_POST_REPLY", should_notify=False, should_notify_by_email=True)
    SubscriptionFactory(member=ada, kind="FORUM_POST_MENTION", should_notify_by_chat=False)
    form = {
        "receive_emails": "on",
        "FORUM_POST_MENTION.in_app": "on",
        "FORUM_THREAD_ALL.chat": "on",
        "action": action,
    }

    assert browserless.post(page_path(ada), form).status_code == 303

    assert general(api_state(ada)) == {kind: expected(kind) for kind in GeneralKind.values}


def test_remove_entity_forgets_that_watch_only(browserless, ada, settings):
    settings.QUERY_NODE_ENDPOINT = "http://127.0.0.1:9/graphql"
    SubscriptionFactory(member=ada, kind="FORUM_THREAD_ENTITY_POST", entity_id="41")
    SubscriptionFactory(member=ada, kind="FORUM_CATEGORY_ENTITY_POST", entity_id="41", should_notify=False)
    form = defaults_form() | {"remove_entity": "FORUM_THREAD_ENTITY_POST:41"}

    assert browserless.post(page_path(ada), form).status_code == 303

    assert api_state(ada)["entitySubscriptions"] == [
        {"kind": "FORUM_CATEGORY_ENTITY_POST", "entityId": "41", "status": "MUTE"}
    ]


def snapshot(member) -> tuple:
    member = Member.objects.get(pk=member.pk)
    rows = Subscription.objects.filter(member=member).order_by("id")
    return member.receive_emails, [
        (row.kind, row.entity_id, row.should_notify, row.should_notify_by_email, row.should_notify_by_chat)
        for row in rows
    ]


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"FORUM_POST_BOGUS.in_app": "on"}, "Unknown field &#x27;FORUM_POST_BOGUS.in_app&#x27;"),
        ({"FORUM_THREAD_ENTITY_POST.email": "on"}, "Unknown field"),  # an entity kind is no general kind
        ({"nickname": "x"}, "Unknown field &#x27;nickname&#x27;"),
        ({"FORUM_POST_ALL.email": "yes"}, "must be &#x27;on&#x27; when checked"),
        ({"FORUM_POST_ALL.chat": "yes"}, "must be &#x27;on&#x27; when checked"),
        ({"FORUM_THREAD_ENTITY_POST.chat": "on"}, "Unknown field"),
        ({"FORUM_POST_ALL.telegram": "on"}, "Unknown field"),
        ({"receive_emails": ""}, "must be &#x27;on&#x27; when checked"),
        ({"action": "everything"}, "action must be one of"),
        ({"remove_entity": "FORUM_THREAD_ENTITY_POST"}, "remove_entity must be"),
        ({"remove_entity": "FORUM_POST_ALL:41"}, "remove_entity must be"),
        ({"remove_entity": "FORUM_THREAD_ENTITY_POST:"}, "entityId must be a non-empty string"),
        ({"remove_entity": "FORUM_THREAD_ENTITY_POST:99"}, "names no watch or mute of this member"),
        ({"remove_entity": "FORUM_THREAD_ENTITY_POST:77"}, "names no watch or mute of this member"),
        ({"email_frequency": "HOURLY"}, ""),
    ],
    ids=[
        "unknown-kind",
        "entity-kind",
        "unknown-field",
        "bad-value",
        "bad-chat-value",
        "entity-kind-chat",
        "unknown-channel-suffix",
        "empty-value",
        "bad-action",
        "remove-without-id",
        "remove-general-kind",
        "remove-empty-id",
        "remove-unknown",
        "remove-other-members",
        "bad-frequency",
    ],
)
def test_a_malformed_form_is_a_400_and_changes_nothing(browserless, ada, change, message):
    other = MemberFactory(id=8)
    SubscriptionFactory(member=other, kind="FORUM_THREAD_ENTITY_POST", entity_id="77")
    SubscriptionFactory(member=ada, kind="FORUM_THREAD_ENTITY_POST", entity_id="41")
    SubscriptionFactory(
        member=ada,
        kind="FORUM_POST_ALL",
        should_notify=True,
        should_notify_by_email=True,
        should_notify_by_chat=True,
    )
    form = defaults_form()
    del form["receive_emails"]  # would turn email off if anything were saved
    del form["FORUM_POST_MENTION.chat"]  # would turn chat off for it
    form.update(change)
    before, before_other = snapshot(ada), snapshot(other)

    response = browserless.post(page_path(ada), form)

    assert response.status_code == 400
    html = response.content.decode()
    assert "Nothing was saved" in html and message in html
    assert snapshot(ada) == before and snapshot(other) == before_other


def test_a_field_sent_twice_is_refused(browserless, ada):
    pairs = [*defaults_form().items(), ("FORUM_POST_ALL.in_app", "on"), ("FORUM_POST_ALL.in_app", "on")]
    before = snapshot(ada)
    response = browserless.post(page_path(ada), pairs)
    assert response.status_code == 400 and "must be sent once" in response.content.decode()
    assert snapshot(ada) == before


def test_a_post_without_the_csrf_token_is_refused(client, ada):
    from django.test import Client

    csrf_client = Client(enforce_csrf_checks=True)
    csrf_client.get(page_path(ada))
    response = csrf_client.post(page_path(ada), {"FORUM_POST_ALL.in_app": "on"})
    assert response.status_code == 403
    assert not Subscription.objects.filter(member=ada).exists()


def test_a_change_over_the_api_shows_on_the_page(browserless, ada):
    GraphQLClient(token=auth_token_issue(member_id=ada.id)).execute(
        "mutation { generalSubscriptions(data: ["
        "{kind: FORUM_POST_ALL, shouldNotifyByEmail: false, shouldNotifyByChat: true}"
        "]) { id } }"
    )
    html = browserless.get(page_path(ada)).content.decode()
    assert 'name="FORUM_POST_ALL.in_app" value="on" checked' in html
    assert 'name="FORUM_POST_ALL.email" value="on">' in html
    assert 'name="FORUM_POST_ALL.chat" value="on" checked' in html
