"""Watched and muted entities show their titles from the query node, cached; with the query
node down the page still renders, with ids, without waiting on it again."""

import time

import pytest

from preferences.entity_titles import ENTITY_SOURCES, entity_link, entity_titles
from subscriptions.kinds import Entity
from tests.factories import SubscriptionFactory
from tests.preferences.conftest import PIONEER_URL, page_path

pytestmark = pytest.mark.django_db
TITLE_OPERATIONS = {"ForumThreadTitles", "ForumCategoryTitles", "ProposalTitles", "WorkingGroupTitles"}


@pytest.fixture
def watched(ada, fake_query_node):
    data = fake_query_node.data
    author = data.member(1, handle="bob")
    category = data.category("Governance", id="5")
    data.thread(author=author, category=category, title="Budget for Q3 <draft>", id="41")
    data.proposal(creator=author, title="Fund the Pioneer 2.1 release", id="9")
    SubscriptionFactory(member=ada, kind="FORUM_THREAD_ENTITY_POST", entity_id="41")
    SubscriptionFactory(member=ada, kind="FORUM_CATEGORY_ENTITY_THREAD", entity_id="5", should_notify=False)
    SubscriptionFactory(member=ada, kind="PROPOSAL_ENTITY_DISCUSSION", entity_id="9")
    SubscriptionFactory(member=ada, kind="PROPOSAL_ENTITY_DISCUSSION", entity_id="404")  # unknown to the node
    SubscriptionFactory(member=ada, kind="WG_ENTITY_ALL", entity_id="operationsWorkingGroupBeta")
    SubscriptionFactory(
        member=ada, kind="WG_ENTITY_ALL", entity_id="storageWorkingGroup", should_notify=False
    )
    return ada


def title_requests(node) -> list[str]:
    return [name for name in node.operations() if name in TITLE_OPERATIONS]


def test_titles_and_links_come_from_the_query_node(client, watched, fake_query_node):
    html = client.get(page_path(watched)).content.decode()
    assert f'<a href="{PIONEER_URL}/#/forum/thread/41" rel="noopener">Budget for Q3 &lt;draft&gt;</a>' in html
    assert f'<a href="{PIONEER_URL}/#/forum/category/5" rel="noopener">Governance</a>' in html
    assert (
        f'<a href="{PIONEER_URL}/#/proposals/preview/9" rel="noopener">Fund the Pioneer 2.1 release</a>'
        in html
    )
    assert f'<a href="{PIONEER_URL}/#/proposals/preview/404" rel="noopener">#404</a>' in html
    # a working group as Pioneer names it and routes to it
    assert f'<a href="{PIONEER_URL}/#/working-groups/hr" rel="noopener">HR</a>' in html
    assert f'<a href="{PIONEER_URL}/#/working-groups/storage" rel="noopener">Storage</a>' in html
    assert sorted(title_requests(fake_query_node)) == sorted(TITLE_OPERATIONS)  # one request per kind


def test_titles_are_cached_unknown_ids_too(client, watched, fake_query_node):
    client.get(page_path(watched))
    asked = len(fake_query_node.requests)
    html = client.get(page_path(watched)).content.decode()
    assert "Fund the Pioneer 2.1 release" in html and "#404" in html
    assert len(fake_query_node.requests) == asked


def test_the_page_renders_with_ids_when_the_query_node_is_down(client, watched, fake_query_node):
    fake_query_node.fail_always("500")
    started = time.monotonic()
    response = client.get(page_path(watched))
    assert response.status_code == 200
    html = response.content.decode()
    assert f'<a href="{PIONEER_URL}/#/forum/thread/41" rel="noopener">#41</a>' in html
    assert f'<a href="{PIONEER_URL}/#/proposals/preview/9" rel="noopener">#9</a>' in html
    assert (
        f'<a href="{PIONEER_URL}/#/working-groups/hr" rel="noopener">#operationsWorkingGroupBeta</a>' in html
    )
    # one failed request marks the node down: the other kinds are not asked, nor the next page
    assert len(title_requests(fake_query_node)) == 1
    client.get(page_path(watched))
    assert len(title_requests(fake_query_node)) == 1
    assert time.monotonic() - started < 5


def test_a_hanging_query_node_costs_the_page_at_most_the_short_timeout(watched, fake_query_node):
    fake_query_node.timeout_delay = 10
    fake_query_node.fail_always("timeout")
    started = time.monotonic()
    assert entity_titles({("thread", "41"), ("proposal", "9")}) == {}
    assert time.monotonic() - started < 5


def test_every_entity_of_the_kinds_table_has_a_source():
    assert set(ENTITY_SOURCES) == set(Entity)


def test_an_entity_without_a_source_shows_its_id_and_links_home(watched):
    assert entity_titles({("opening", "forumWorkingGroup-1")}) == {}
    assert entity_link("opening", "forumWorkingGroup-1") == f"{PIONEER_URL}/"


@pytest.mark.parametrize(
    ("entity", "entity_id", "path"),
    [
        ("working_group", "forumWorkingGroup", "/#/working-groups/forum"),
        ("working_group", "contentWorkingGroup", "/#/working-groups/content"),
        ("working_group", "operationsWorkingGroupAlpha", "/#/working-groups/builders"),
        ("working_group", "appWorkingGroup", "/#/working-groups/apps"),
        ("thread", "41/../x", "/#/forum/thread/41%2F..%2Fx"),  # ids are quoted, never routes
    ],
)
def test_links(entity, entity_id, path):
    assert entity_link(entity, entity_id) == PIONEER_URL + path
