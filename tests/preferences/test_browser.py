"""The preferences page in a real browser: Debian's Chromium driven by Playwright, from the link
in a delivered email to the result read back through the GraphQL API.

Needs /usr/bin/chromium (`apt-get install chromium`; Playwright never downloads a browser here)
and the playwright package; skipped without them unless PIONEER_REQUIRE_SERVICES=1.
PIONEER_SCREENSHOT_DIR=docs writes the README's screenshot (docs/preferences-page.png).
"""

from __future__ import annotations

import os
import re
import shutil
from pathlib import Path

import pytest
import requests

from members.tokens import auth_token_issue
from notifications.delivery import notification_deliver
from notifications.samples import sample_data
from subscriptions.kinds import GeneralKind, is_on_by_default
from tests.factories import MemberFactory, NotificationFactory, SubscriptionFactory
from tests.services import service_unavailable
from tests.smtp_sink import SmtpSink

CHROMIUM = Path("/usr/bin/chromium")
# As root and on a closed network: no sandbox, no GPU, no background connections to Google.
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
LINK = re.compile(r"Manage notification settings: (\S+/preferences/\S+)")
pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def sync_playwright():
    if not CHROMIUM.exists():
        service_unavailable("needs Debian's Chromium at /usr/bin/chromium (apt-get install chromium)")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        service_unavailable("needs the playwright package (make setup)")
    return sync_playwright


@pytest.fixture
def smtp(settings):
    with SmtpSink() as sink:
        for name, value in sink.django_settings().items():
            setattr(settings, name, value)
        yield sink


def api(live_server, member_id: int, query: str) -> dict:
    response = requests.post(
        f"{live_server.url}/graphql",
        json={"query": query},
        headers={"Authorization": f"Bearer {auth_token_issue(member_id=member_id)}"},
        timeout=10,
    )
    body = response.json()
    assert "errors" not in body, body
    return body["data"]


def test_a_member_sets_preferences_from_an_email_link(
    sync_playwright, live_server, smtp, fake_query_node, settings, tmp_path
):
    # given: a member who watches a thread and a proposal and mutes a category, and an email
    settings.PUBLIC_URL = live_server.url
    data = fake_query_node.data
    author = data.member(1, handle="bob")
    governance = data.category("Governance", id="5")
    data.thread(author=author, category=governance, title="Budget for Q3", id="41")
    data.proposal(creator=author, title="Fund the Pioneer 2.1 release", id="9")
    ada = MemberFactory(id=7, name="ada", email="ada@example.org")
    SubscriptionFactory(member=ada, kind="FORUM_THREAD_ENTITY_POST", entity_id="41")
    SubscriptionFactory(member=ada, kind="FORUM_CATEGORY_ENTITY_POST", entity_id="5", should_notify=False)
    SubscriptionFactory(member=ada, kind="PROPOSAL_ENTITY_DISCUSSION", entity_id="9")
    kind = "FORUM_POST_MENTION"
    notification_deliver(
        notification_id=NotificationFactory(member=ada, kind=kind, data=sample_data(kind)).id
    )
    [message] = smtp.wait_for(1)
    link = LINK.search(message.get_body(("plain",)).get_content()).group(1)
    assert link.startswith(f"{live_server.url}/preferences/")

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            page = browser.new_page(viewport={"width": 900, "height": 900})
            page.goto(link)
            assert page.get_by_role("heading", level=1).inner_text() == "Notifications for ada"
            assert (
                page.get_by_role("link", name="Budget for Q3")
                .get_attribute("href")
                .endswith("/#/forum/thread/41")
            )
            box = lambda name: page.locator(f'input[type=checkbox][name="{name}"]')  # noqa: E731

            # when: several kinds change in all three channels, one with the keyboard only
            box("FORUM_POST_ALL.in_app").check()
            box("FORUM_POST_MENTION.email").uncheck()
            box("PROPOSAL_DISCUSSION_MENTION.chat").uncheck()
            box("PROPOSAL_DISCUSSION_ALL.email").check()
            box("ELECTION_VOTING_STARTED.in_app").focus()
            page.keyboard.press("Space")
            # ... the thread watch is removed (its button saves the form too) ...
            page.get_by_role("button", name=re.compile(r"^Remove: Budget for Q3")).click()
            page.wait_for_url(re.compile(r"\?saved=1$"))
            assert page.get_by_role("status").inner_text() == "Saved"
            assert page.get_by_role("link", name="Budget for Q3").count() == 0
            assert page.get_by_role("link", name="Governance").count() == 1
            # ... and one more change is saved with the Save button
            box("FORUM_THREAD_ALL.in_app").check()
            box("FORUM_THREAD_ALL.email").check()
            page.get_by_role("button", name="Save", exact=True).click()
            page.wait_for_load_state()
            assert page.get_by_role("status").inner_text() == "Saved"
            assert box("FORUM_THREAD_ALL.email").is_checked()
            screenshot = tmp_path / "preferences-page.png"
            page.screenshot(path=str(screenshot), full_page=True)
            # on a phone's width nothing runs off the side
            page.set_viewport_size({"width": 360, "height": 740})
            assert page.evaluate("document.documentElement.scrollWidth") <= 360
        finally:
            browser.close()

    # then: the API shows exactly what the browser set
    state = api(
        live_server,
        ada.id,
        "{ generalSubscriptions { kind shouldNotify shouldNotifyByEmail shouldNotifyByChat } "
        "entitySubscriptions { kind entityId status } me { receiveEmails } }",
    )
    # (in-app, email, chat); a kind's chat default is its email default
    expected = {k: (is_on_by_default(k),) * 3 for k in GeneralKind.values}
    expected |= {
        "FORUM_POST_ALL": (True, False, False),
        "FORUM_POST_MENTION": (True, False, True),
        "PROPOSAL_DISCUSSION_MENTION": (True, True, False),
        "PROPOSAL_DISCUSSION_ALL": (False, True, False),
        "ELECTION_VOTING_STARTED": (False, True, True),
        "FORUM_THREAD_ALL": (True, True, False),
    }
    got = {
        row["kind"]: (row["shouldNotify"], row["shouldNotifyByEmail"], row["shouldNotifyByChat"])
        for row in state["generalSubscriptions"]
    }
    assert got == expected
    assert state["entitySubscriptions"] == [
        {"kind": "FORUM_CATEGORY_ENTITY_POST", "entityId": "5", "status": "MUTE"},
        {"kind": "PROPOSAL_ENTITY_DISCUSSION", "entityId": "9", "status": "WATCH"},
    ]
    assert state["me"]["receiveEmails"] is True
    assert screenshot.stat().st_size > 10_000
    if os.environ.get("PIONEER_SCREENSHOT_DIR"):
        shutil.copy(screenshot, Path(os.environ["PIONEER_SCREENSHOT_DIR"]) / screenshot.name)
