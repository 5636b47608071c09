"""Issue 14: a document's parse and validation are remembered by its text (pioneer.graphql_documents).

A repeated document, refused or not, is answered without parsing it again, with the same
answer; what the cache holds is bounded in entries and characters.
"""

import pytest
from graphql import get_introspection_query

from pioneer import graphql_documents
from pioneer.graphql_documents import DocumentCache
from pioneer.schema import schema
from tests.conftest import error_messages

GRAPHQL_SCHEMA = schema.graphql_schema


@pytest.fixture
def parses(monkeypatch):
    """The texts graphql-core is asked to parse, with a cache of the test's own."""
    texts = []
    real_parse = graphql_documents.parse

    def counting_parse(source, **options):
        texts.append(source)
        return real_parse(source, **options)

    monkeypatch.setattr(graphql_documents, "parse", counting_parse)
    monkeypatch.setattr(graphql_documents, "documents", DocumentCache())
    monkeypatch.setattr("pioneer.graphql_view.documents", graphql_documents.documents)
    return texts


@pytest.mark.parametrize(
    "query",
    [
        "{ memberExist(id: 1) }",  # valid
        "{ memberExist(id: 1) ",  # a syntax error
        "{ nosuchField }",  # the schema's validation
        "{" + " memberExist" * 10 + "}",  # the cost rules
    ],
)
def test_a_repeated_document_gets_the_same_answer_without_being_parsed_again(api_client, parses, query):
    first = api_client.post(query)
    second = api_client.post(query)

    assert second == first
    assert parses == [query]


def test_a_refusal_from_the_cache_keeps_its_locations_and_code(api_client, parses):
    query = "{\n  memberExist(id: 1)\n  nosuchField\n}"
    api_client.post(query)

    result = api_client.post(query)

    [error] = result["errors"]
    assert error["locations"] == [{"line": 3, "column": 3}]
    assert error["extensions"] == {"code": "GRAPHQL_VALIDATION_FAILED"}
    assert len(parses) == 1


def test_a_mutation_over_get_is_refused_also_when_its_document_is_cached(api_client, parses, client):
    query = "mutation { unsubscribeAll { ok } }"
    api_client.post(query)

    response = client.get("/graphql", {"query": query})

    assert response.status_code == 405
    assert len(parses) == 1


def test_the_settings_the_outcome_depends_on_are_part_of_the_key(api_client, parses, settings):
    query = get_introspection_query()
    settings.GRAPHQL_EXPLORER = True
    allowed = api_client.post(query)
    settings.GRAPHQL_EXPLORER = False
    refused = api_client.post(query)

    assert "errors" not in allowed
    assert any("introspection" in message for message in error_messages(refused))
    assert len(parses) == 2


def test_the_cache_keeps_at_most_its_number_of_entries_least_recently_used_first(db):
    cache = DocumentCache(max_entries=3, max_characters=10_000)
    queries = [f"{{ memberExist(id: {n}) }}" for n in range(5)]
    prepared = [cache.prepare(GRAPHQL_SCHEMA, query) for query in queries[:3]]
    cache.prepare(GRAPHQL_SCHEMA, queries[0])  # used again: now the most recent

    for query in queries[3:]:
        cache.prepare(GRAPHQL_SCHEMA, query)

    assert len(cache) == 3
    assert cache.prepare(GRAPHQL_SCHEMA, queries[0]) is prepared[0]
    assert cache.prepare(GRAPHQL_SCHEMA, queries[1]) is not prepared[1]


def test_the_cache_keeps_at_most_its_number_of_characters(db):
    cache = DocumentCache(max_entries=100, max_characters=100)
    queries = [f"{{ memberExist(id: {n:03}) }}" for n in range(10)]  # 24 characters each

    for query in queries:
        cache.prepare(GRAPHQL_SCHEMA, query)

    assert cache.characters <= 100
    assert len(cache) == 100 // len(queries[0])


def test_a_document_longer_than_a_quarter_of_the_characters_is_not_kept(db):
    cache = DocumentCache(max_entries=100, max_characters=100)
    long_query = "{ memberExist(id: 1)" + " " * 10 + "}"

    first = cache.prepare(GRAPHQL_SCHEMA, long_query)

    assert first.validation_errors == () and first.document is not None
    assert len(cache) == 0
    assert cache.prepare(GRAPHQL_SCHEMA, long_query) is not first
