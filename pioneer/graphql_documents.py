"""Parsed and validated GraphQL documents, remembered by their text.

graphql-core's parser and validation are pure Python and dominate a small request (a
1,000-token document takes some 13 ms to parse on an idle core), yet clients send the same few
documents again and again, and a hostile client the same refused one. So the outcome of
parsing, the cost rules (pioneer.graphql_limits) and the schema's validation is kept per
document text, refusals included: a repeated document is answered from here in microseconds.

The cache is bounded in entries and in the characters of the documents it holds (a parsed
document takes up to some 300 bytes per character, its tokens included), per process; the
least recently used entries go first. A document longer than a quarter of the character bound
is prepared every time and not kept.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from dataclasses import dataclass

from django.conf import settings
from graphene_django.settings import graphene_settings
from graphql import DocumentNode, GraphQLError, GraphQLSchema, parse, specified_rules, validate
from graphql.validation import NoSchemaIntrospectionCustomRule

from pioneer.graphql_limits import DocumentCostRule

# Comments are skipped by the parser but still read: a bound like the tokens'.
MAX_COMMENTS = 100
MAX_ENTRIES = 256
MAX_CHARACTERS = 100_000


@dataclass(frozen=True)
class PreparedDocument:
    """What one document text comes to. `refusal`: the parse or cost errors, found before the
    operation is known (the document is None after a parse error); `validation_errors`: the
    schema's, reported after the view checked the operation against the HTTP method."""

    document: DocumentNode | None
    refusal: tuple[GraphQLError, ...] = ()
    validation_errors: tuple[GraphQLError, ...] = ()


def _prepare(schema: GraphQLSchema, query: str) -> PreparedDocument:
    try:
        document = parse(
            query,
            max_lexical_tokens=settings.GRAPHQL_MAX_TOKENS,
            max_comments=MAX_COMMENTS,
            max_source_length=settings.GRAPHQL_MAX_BODY_BYTES,
        )
    except GraphQLError as error:
        return PreparedDocument(None, refusal=(error,))
    cost_errors = validate(schema, document, [DocumentCostRule], max_errors=10)
    if cost_errors:
        return PreparedDocument(document, refusal=tuple(cost_errors))
    explorer = settings.GRAPHQL_EXPLORER
    rules = specified_rules if explorer else (*specified_rules, NoSchemaIntrospectionCustomRule)
    errors = validate(
        schema,
        document,
        rules,
        max_errors=graphene_settings.MAX_VALIDATION_ERRORS,
        hide_suggestions=not explorer,
    )
    return PreparedDocument(document, validation_errors=tuple(errors))


class DocumentCache:
    """A thread-safe LRU of PreparedDocument, bounded by entries and by total characters."""

    def __init__(self, max_entries: int = MAX_ENTRIES, max_characters: int = MAX_CHARACTERS):
        self.max_entries = max_entries
        self.max_characters = max_characters
        self._entries: OrderedDict[tuple, PreparedDocument] = OrderedDict()
        self._characters = 0
        self._lock = threading.Lock()

    def __len__(self) -> int:
        return len(self._entries)

    @property
    def characters(self) -> int:
        return self._characters

    def prepare(self, schema: GraphQLSchema, query: str) -> PreparedDocument:
        # Everything the outcome depends on besides the text: settings change it (and tests do).
        key = (
            query,
            schema,
            settings.GRAPHQL_EXPLORER,
            settings.GRAPHQL_MAX_TOKENS,
            settings.GRAPHQL_MAX_DEPTH,
            settings.GRAPHQL_MAX_ALIASES,
            settings.GRAPHQL_MAX_BODY_BYTES,
        )
        with self._lock:
            prepared = self._entries.get(key)
            if prepared is not None:
                self._entries.move_to_end(key)
                return prepared
        prepared = _prepare(schema, query)  # outside the lock: other requests go on meanwhile
        if len(query) * 4 > self.max_characters:
            return prepared
        with self._lock:
            if key not in self._entries:
                self._entries[key] = prepared
                self._characters += len(query)
            while len(self._entries) > self.max_entries or self._characters > self.max_characters:
                (old_query, *_), _ = self._entries.popitem(last=False)
                self._characters -= len(old_query)
        return prepared


documents = DocumentCache()
