"""GraphiQL works with no internet: every file its page loads is served by the app itself."""

import base64
import hashlib
import re
from html.parser import HTMLParser
from urllib.parse import urlsplit

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db
CONTENT_TYPES = {"script": "text/javascript", "link": "text/css"}


class _Assets(HTMLParser):
    """The external files a page makes the browser fetch: (tag, url, integrity)."""

    def __init__(self, markup: str):
        super().__init__()
        self.assets: list[tuple[str, str, str | None]] = []
        self.feed(markup)
        self.close()

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        url = attrs.get("src") if tag == "script" else attrs.get("href") if tag == "link" else None
        if url is not None:
            self.assets.append((tag, url, attrs.get("integrity")))


def _graphiql_assets(path: str) -> list[tuple[str, str, str | None]]:
    response = Client().get(path, HTTP_ACCEPT="text/html")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/html")
    return _Assets(response.content.decode()).assets


def _served(url: str):
    response = Client().get(url)
    body = b"".join(response.streaming_content) if response.streaming else response.content
    return response, body


@pytest.mark.parametrize("path", ["/graphql", "/"])
def test_every_file_of_the_graphiql_page_comes_from_the_app(path):
    assets = _graphiql_assets(path)
    # graphene-django's page: its four libraries, GraphiQL and its explorer plugin, and the glue
    assert len(assets) == 9
    for _tag, url, _integrity in assets:
        parts = urlsplit(url)
        assert (parts.scheme, parts.netloc) == ("", ""), f"{url} is fetched from another host"
        assert parts.path.startswith("/static/"), url


def test_every_file_is_served_with_its_type_and_the_exact_bytes_graphene_django_pins():
    for tag, url, integrity in _graphiql_assets("/graphql"):
        response, body = _served(url)
        assert response.status_code == 200, url
        assert response["Content-Type"].split(";")[0] == CONTENT_TYPES[tag], url
        assert len(body) > 0, url
        if url.endswith("/graphene_django/graphiql.js"):
            continue  # graphene-django's own glue script, served from its package, has no hash
        # The hashes in the page are graphene-django's: the browser refuses any other bytes.
        algorithm, _, expected = (integrity or "").partition("-")
        assert algorithm == "sha256", url
        assert base64.b64encode(hashlib.sha256(body).digest()).decode() == expected, url


def test_the_stylesheets_reach_for_nothing_outside_the_app():
    for tag, url, _integrity in _graphiql_assets("/graphql"):
        if tag == "link":
            _response, body = _served(url)
            assert not re.search(rb"@import|url\(\s*['\"]?(https?:)?//", body), url


def test_graphiql_still_queries_the_page_it_is_served_from():
    page = Client().get("/graphql", HTTP_ACCEPT="text/html").content.decode()
    # graphene-django's glue script reads these settings and posts to the page's own URL.
    assert "window.GRAPHENE_SETTINGS" in page
    assert "graphiqlHeaderEditorEnabled: true" in page
    assert 'id="editor"' in page
