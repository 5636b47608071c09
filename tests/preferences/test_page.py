"""GET /preferences/<token>: every general kind of the table with its three channels, the email
settings, the member's watches and mutes, and the security headers."""

import re

import pytest

from members.models import Member
from preferences.tokens import preferences_token_issue
from subscriptions.kinds import FAMILIES, KINDS, GeneralKind
from tests.factories import SubscriptionFactory
from tests.preferences.conftest import PIONEER_URL, page_path

pytestmark = pytest.mark.django_db


def checkbox(html: str, name: str) -> str:
    [tag] = re.findall(rf'<input type="checkbox"[^>]*name="{re.escape(name)}"[^>]*>', html)
    return tag


def is_checked(html: str, name: str) -> bool:
    return " checked" in checkbox(html, name)


def test_every_general_kind_has_an_in_app_an_email_and_a_chat_checkbox(client, ada):
    html = client.get(page_path(ada)).content.decode()
    for kind in GeneralKind.values:
        assert is_checked(html, f"{kind}.in_app") == (kind in {k.name for k in KINDS if k.default_on})
        assert is_checked(html, f"{kind}.email") == is_checked(html, f"{kind}.in_app")
        assert is_checked(html, f"{kind}.chat") == is_checked(html, f"{kind}.email")  # chat follows email
    # nothing else is a kind checkbox: entity kinds are not general settings
    for suffix in ("in_app", "email", "chat"):
        assert set(re.findall(rf'name="([A-Z_]+)\.{suffix}"', html)) == set(GeneralKind.values)


def test_kinds_show_title_description_and_default_grouped_by_family(client, ada):
    html = client.get(page_path(ada)).content.decode()
    for kind in KINDS:
        if kind.is_entity:
            continue
        row = html[html.index(f'id="kind-{kind.name}"') :]
        row = row[: row.index("</div>\n    </div>")]
        assert kind.label in row
        assert kind.summary.replace("'", "&#x27;") in row
        assert f"Default: {'on' if kind.default_on else 'off'}." in row
    general_families = [f for f in FAMILIES if any(k.family == f and not k.is_entity for k in KINDS)]
    legends = re.findall(r"<legend>([^<]+)</legend>", html)
    assert legends == list(dict.fromkeys(family.eyebrow for family in general_families))


def test_every_control_has_a_label(client, ada):
    html = client.get(page_path(ada)).content.decode()
    for tag in re.findall(r"<input[^>]*>", html):
        if 'type="hidden"' in tag:
            continue
        control_id = re.search(r'id="([^"]+)"', tag)
        wrapped = html[: html.index(tag)].rfind("<label") > html[: html.index(tag)].rfind("</label>")
        assert wrapped or (control_id and f'for="{control_id.group(1)}"' in html), tag
    for button in re.findall(r"<button[^>]*>([^<]*)</button>", html):
        assert button.strip()


def test_the_page_shows_the_stored_choices_and_the_masked_address(client, ada):
    SubscriptionFactory(member=ada, kind="FORUM_POST_ALL", should_notify=True, should_notify_by_email=False)
    SubscriptionFactory(member=ada, kind="FORUM_POST_MENTION", should_notify_by_chat=False)
    Member.objects.filter(pk=ada.pk).update(receive_emails=False)
    html = client.get(page_path(ada)).content.decode()
    assert is_checked(html, "FORUM_POST_ALL.in_app") and not is_checked(html, "FORUM_POST_ALL.email")
    assert not is_checked(html, "FORUM_POST_ALL.chat")  # no chat choice stored: the email default (off)
    assert is_checked(html, "FORUM_POST_MENTION.email") and not is_checked(html, "FORUM_POST_MENTION.chat")
    assert not is_checked(html, "receive_emails")
    assert "a***@example.org" in html and "ada@example.org" not in html


def test_the_frequency_select_follows_the_members_setting(client, ada):
    html = client.get(page_path(ada)).content.decode()
    fields = {field.name for field in Member._meta.get_fields()}
    if "email_frequency" not in fields:
        assert 'name="email_frequency"' not in html
    else:  # member settings landed: one option per frequency, the member's selected
        choices = Member._meta.get_field("email_frequency").choices
        assert re.findall(r'<option value="([A-Z]+)"', html) == [value for value, _ in choices]
        assert f'value="{ada.email_frequency}" selected' in html


def test_watches_and_mutes_are_listed_with_a_remove_button_each(client, ada, settings):
    settings.QUERY_NODE_ENDPOINT = "http://127.0.0.1:9/graphql"  # nothing listens: ids are shown
    SubscriptionFactory(member=ada, kind="FORUM_THREAD_ENTITY_POST", entity_id="41")
    SubscriptionFactory(member=ada, kind="PROPOSAL_ENTITY_DISCUSSION", entity_id="9", should_notify=False)
    html = client.get(page_path(ada)).content.decode()
    assert re.findall(r'name="remove_entity" value="([^"]+)"', html) == [
        "FORUM_THREAD_ENTITY_POST:41",
        "PROPOSAL_ENTITY_DISCUSSION:9",
    ]
    assert f'href="{PIONEER_URL}/#/forum/thread/41"' in html
    assert f'href="{PIONEER_URL}/#/proposals/preview/9"' in html
    assert "Watching" in html and "Muted" in html


def test_security_headers(client, ada):
    response = client.get(page_path(ada))
    assert response.status_code == 200
    assert response["X-Frame-Options"] == "DENY"
    csp = response["Content-Security-Policy"]
    assert "frame-ancestors 'none'" in csp and "form-action 'self'" in csp and "default-src 'none'" in csp
    nonce = re.search(r"'nonce-([^']+)'", csp).group(1)
    assert f'<style nonce="{nonce}">' in response.content.decode()
    assert "<script" not in response.content.decode()
    assert response["Referrer-Policy"] == "same-origin"
    assert response["Cache-Control"] == "no-store"


@pytest.mark.parametrize(
    "path",
    [
        "/preferences/garbage",
        "/preferences/" + "A" * 3000,
        "/preferences/%00",
    ],
)
def test_a_bad_token_gets_a_page_that_offers_a_fresh_link(client, db, path):
    response = client.get(path)
    assert response.status_code == 400
    html = response.content.decode()
    assert "This link is not valid" in html
    assert 'action="/preferences/"' in html and 'name="member"' in html
    assert response["X-Frame-Options"] == "DENY"


def test_an_expired_link_says_so_and_offers_the_member_a_fresh_one(client, ada, settings, monkeypatch):
    import time

    token = preferences_token_issue(member_id=ada.id, email=ada.email)
    later = time.time() + 31 * 86400
    monkeypatch.setattr(time, "time", lambda: later)
    for response in (client.get(f"/preferences/{token}"), client.post(f"/preferences/{token}", {})):
        assert response.status_code == 400
        html = response.content.decode()
        assert "This link has expired" in html and 'value="7"' in html


def test_a_link_to_an_old_address_says_it_no_longer_works(client, ada):
    path = page_path(ada)
    Member.objects.filter(pk=ada.pk).update(email="ada@elsewhere.example.org")
    response = client.get(path)
    assert response.status_code == 400
    assert "This link no longer works" in response.content.decode()
