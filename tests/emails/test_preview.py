"""The staff-only email preview in the admin.

The page is read the way a browser reads it: parsed as HTML, the iframe's srcdoc attribute
taken as the browser would decode it. Unescaping the whole page would also "find" an email
that the browser cuts off at its first quote.
"""

import re
from html.parser import HTMLParser

import pytest
from django.contrib.auth.models import User
from django.test import Client

from subscriptions.kinds import NotificationKind

pytestmark = pytest.mark.django_db
PREVIEW = "/admin/notifications/notification/email-preview/"


class _Document(HTMLParser):
    """What a browser takes from a page: element attributes (decoded), links and <pre> text."""

    def __init__(self, markup: str):
        super().__init__(convert_charrefs=True)
        self.iframes: list[dict[str, str | None]] = []
        self.links: list[tuple[str | None, str]] = []
        self.pre_text = ""
        self.code_text: list[str] = []
        self._open_link: list[str] | None = None
        self._link_href: str | None = None
        self._in: str | None = None
        self.feed(markup)
        self.close()

    def handle_starttag(self, tag, attrs):
        if tag == "iframe":
            self.iframes.append(dict(attrs))
        elif tag == "a":
            self._link_href, self._open_link = dict(attrs).get("href"), []
        elif tag in ("pre", "code"):
            self._in = tag
            if tag == "code":
                self.code_text.append("")

    def handle_endtag(self, tag):
        if tag == "a" and self._open_link is not None:
            self.links.append((self._link_href, "".join(self._open_link).strip()))
            self._open_link = None
        elif tag == self._in:
            self._in = None

    def handle_data(self, data):
        if self._open_link is not None:
            self._open_link.append(data)
        if self._in == "pre":
            self.pre_text += data
        elif self._in == "code":
            self.code_text[-1] += data


@pytest.fixture
def staff_client():
    client = Client()
    client.force_login(User.objects.create_superuser("admin", "admin@example.org", "pw-admin-123"))
    return client


@pytest.mark.parametrize("kind", NotificationKind.values)
def test_the_html_pane_holds_the_whole_html_email(staff_client, kind):
    response = staff_client.get(f"{PREVIEW}{kind}/")
    assert response.status_code == 200
    page = _Document(response.content.decode())

    (iframe,) = page.iframes
    email_html = iframe["srcdoc"] or ""
    assert email_html.lstrip().lower().startswith("<!doctype html>")
    assert email_html.rstrip().endswith("</html>")
    email = _Document(email_html)
    assert "Hi Alice," in email_html

    # The button carries the same link and label as the call to action of the plain-text part.
    text_body = page.pre_text.split("\n--\n")[0]
    label, url = re.search(r"^(.+): (https?://\S+)$", text_body, re.MULTILINE).groups()
    assert (url, label) in email.links

    # The unsubscribe link is the one the List-Unsubscribe header announces.
    (unsubscribe_header,) = [value for value in page.code_text if "/unsubscribe/" in value]
    assert (unsubscribe_header.strip("<>"), "Unsubscribe") in email.links


def test_the_text_pane_and_headers_are_shown(staff_client):
    page = _Document(staff_client.get(f"{PREVIEW}{NotificationKind.values[0]}/").content.decode())
    assert page.pre_text.startswith("Hi Alice,")
    assert "List-Unsubscribe" in staff_client.get(PREVIEW).content.decode()


def test_preview_is_linked_from_the_notification_list(staff_client):
    assert PREVIEW in staff_client.get("/admin/notifications/notification/").content.decode()
    assert staff_client.get(PREVIEW).status_code == 200
    assert staff_client.get(f"{PREVIEW}NOT_A_KIND/").status_code == 404


def test_preview_is_staff_only():
    anonymous = Client().get(PREVIEW)
    assert anonymous.status_code == 302 and "/admin/login/" in anonymous["Location"]
    client = Client()
    client.force_login(User.objects.create_user("visitor", "v@example.org", "pw-visitor-123"))
    assert client.get(PREVIEW).status_code == 302


@pytest.mark.parametrize("digest", ["daily", "weekly"])
def test_sample_digests_are_previewed_whole_with_every_listed_kind(staff_client, digest):
    from notifications.digest_samples import DIGEST_SAMPLE_FREQUENCIES, sample_digest_kinds
    from notifications.presentation import notification_message
    from notifications.samples import sample_data

    response = staff_client.get(f"{PREVIEW}digest/{digest}/")
    assert response.status_code == 200
    page = _Document(response.content.decode())

    (iframe,) = page.iframes
    email_html = iframe["srcdoc"] or ""
    assert email_html.rstrip().endswith("</html>") and "Hi Alice," in email_html
    kinds = sample_digest_kinds(DIGEST_SAMPLE_FREQUENCIES[digest])
    assert f"Your {digest} Pioneer digest: {len(kinds)} new notifications" in response.content.decode()
    # Every sample item is a line of both parts (the HTML escapes quotes, the text does not).
    for kind in kinds:
        message = notification_message(kind, sample_data(kind))
        assert message in page.pre_text
    (unsubscribe_header,) = [value for value in page.code_text if "/unsubscribe/" in value]
    assert (unsubscribe_header.strip("<>"), "Unsubscribe") in _Document(email_html).links


def test_sample_digests_are_linked_from_the_preview_and_others_are_not_found(staff_client):
    index = staff_client.get(PREVIEW).content.decode()
    assert f"{PREVIEW}digest/daily/" in index and f"{PREVIEW}digest/weekly/" in index
    assert staff_client.get(f"{PREVIEW}digest/monthly/").status_code == 404
