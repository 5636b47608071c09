"""The admin carries the product's name, not Django's."""

from html.parser import HTMLParser

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db


class _Branding(HTMLParser):
    """The page's <title>, the header's site name and the first <h1> of the content."""

    def __init__(self, markup: str):
        super().__init__(convert_charrefs=True)
        self.texts = {"title": "", "site-name": "", "h1": ""}
        self._current: str | None = None
        self.feed(markup)
        self.close()

    def handle_starttag(self, tag, attrs):
        if tag == "title":
            self._current = "title"
        elif tag == "div" and dict(attrs).get("id") == "site-name" and not self.texts["site-name"]:
            self._current = "site-name"
        elif tag == "h1" and not self.texts["h1"] and self.texts["site-name"]:
            self._current = "h1"

    def handle_endtag(self, tag):
        if (self._current, tag) in {("title", "title"), ("site-name", "div"), ("h1", "h1")}:
            self._current = None

    def handle_data(self, data):
        if self._current:
            self.texts[self._current] += data

    def text(self, part: str) -> str:
        return " ".join(self.texts[part].split())


def test_the_login_page_is_branded():
    response = Client().get("/admin/login/")
    page = _Branding(response.content.decode())
    assert page.text("title") == "Log in | Pioneer Notify admin"
    assert page.text("site-name") == "Pioneer Notify"
    assert "Django" not in response.content.decode()


@pytest.mark.parametrize(
    ("path", "title", "h1"),
    [
        ("/admin/", "Pioneer Notify administration | Pioneer Notify admin", "Pioneer Notify administration"),
        (
            "/admin/notifications/notification/email-preview/",
            "Email preview | Pioneer Notify admin",
            "Email preview",
        ),
    ],
)
def test_staff_pages_are_branded(admin_client, path, title, h1):
    response = admin_client.get(path)
    assert response.status_code == 200
    page = _Branding(response.content.decode())
    assert (page.text("title"), page.text("site-name"), page.text("h1")) == (title, "Pioneer Notify", h1)
    assert "Django administration" not in response.content.decode()
