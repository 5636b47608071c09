import re

import pytest
from django.core.cache import cache
from django.test import Client

from preferences.tokens import preferences_token_issue
from tests.factories import MemberFactory

PUBLIC_URL = "https://notify.example.org"
PIONEER_URL = "https://pioneer.example.org"
CSRF_INPUT = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


@pytest.fixture(autouse=True)
def preferences_settings(settings):
    """Fixed public URLs so links can be asserted exactly; an empty cache (titles, rate limits)."""
    settings.PUBLIC_URL = PUBLIC_URL
    settings.PIONEER_URL = PIONEER_URL
    settings.PREFERENCES_LINK_DAYS = 30
    cache.clear()
    yield settings
    cache.clear()


@pytest.fixture
def ada(db):
    return MemberFactory(id=7, name="ada", email="ada@example.org")


def page_path(member) -> str:
    return f"/preferences/{preferences_token_issue(member_id=member.id, email=member.email)}"


class Browserless:
    """A client that keeps the CSRF cookie like a browser and posts what the page's form holds."""

    def __init__(self):
        self.client = Client(enforce_csrf_checks=True)

    def get(self, path: str):
        return self.client.get(path)

    def post(self, path: str, fields: dict | list):
        """GET the page for its CSRF token, then POST `fields` (a dict, or pairs to repeat a name)."""
        page = self.client.get(path)
        token = CSRF_INPUT.search(page.content.decode()).group(1)
        pairs = list(fields.items()) if isinstance(fields, dict) else list(fields)
        body = {}
        for name, value in [("csrfmiddlewaretoken", token), *pairs]:
            body.setdefault(name, []).append(value)
        return self.client.post(path, body)


@pytest.fixture
def browserless():
    return Browserless()
