"""The GraphQL endpoint and what guards it: no traceback, SQL or internal detail ever
reaches a client; malformed bodies, NUL characters and alias floods are refused up front."""

from __future__ import annotations

import logging
from typing import Any

from django.http import HttpResponseBadRequest
from django.views.decorators.csrf import csrf_exempt
from graphene_django.views import GraphQLView, HttpError
from graphql import GraphQLError, ValidationRule, specified_rules
from graphql.language import ast

from pioneer.errors import DomainError, ErrorCode, invalid_input

logger = logging.getLogger("pioneer.graphql")


def _contains_nul(value: Any) -> bool:
    if isinstance(value, str):
        return "\x00" in value
    if isinstance(value, dict):
        return any(_contains_nul(item) for item in value.values())
    if isinstance(value, list | tuple):
        return any(_contains_nul(item) for item in value)
    return False


class RejectNulCharactersMiddleware:
    """PostgreSQL cannot store NUL in text: refuse such arguments up front, for every
    field at once, instead of failing deep in a query with an internal error."""

    def resolve(self, next_, root, info, **args):
        if args and _contains_nul(args):
            raise invalid_input("Text arguments must not contain NUL characters")
        return next_(root, info, **args)


# No client needs many aliases (the Pioneer UI and GraphiQL's introspection use none), and
# they are what lets one small request run a resolver thousands of times: repeated fields
# without aliases merge into one execution.
MAX_ALIASES_PER_OPERATION = 30


def _aliases_run(selection_set, fragments: dict, memo: dict, visiting: frozenset) -> int:
    """How many aliased fields a selection set executes, fragment spreads expanded."""
    count = 0
    for selection in selection_set.selections if selection_set else ():
        if isinstance(selection, ast.FieldNode):
            count += (selection.alias is not None) + _aliases_run(
                selection.selection_set, fragments, memo, visiting
            )
        elif isinstance(selection, ast.InlineFragmentNode):
            count += _aliases_run(selection.selection_set, fragments, memo, visiting)
        elif isinstance(selection, ast.FragmentSpreadNode):
            name = selection.name.value
            fragment = fragments.get(name)
            if fragment is None or name in visiting:  # unknown or cyclic: other rules report it
                continue
            if name not in memo:
                memo[name] = _aliases_run(fragment.selection_set, fragments, memo, visiting | {name})
            count += memo[name]
    return count


class MaxAliasesRule(ValidationRule):
    """Refuse an operation that would execute more than MAX_ALIASES_PER_OPERATION aliased fields."""

    def enter_operation_definition(self, node, *_args):
        fragments = {
            definition.name.value: definition
            for definition in self.context.document.definitions
            if isinstance(definition, ast.FragmentDefinitionNode)
        }
        if _aliases_run(node.selection_set, fragments, {}, frozenset()) > MAX_ALIASES_PER_OPERATION:
            self.report_error(
                GraphQLError(f"At most {MAX_ALIASES_PER_OPERATION} aliased fields per operation", node)
            )


class PioneerGraphQLView(GraphQLView):
    """GraphQL over HTTP for the Pioneer UI.

    format_error is the one place a failure becomes what the client reads: a DomainError
    (raised on purpose by a service or resolver) reaches the client as its message and
    `extensions.code`; graphql-core's own errors (parse, validation, coercion) as they are.
    Anything else is logged and replaced by a generic message, so no traceback, SQL or
    internal detail ever leaves the server.
    """

    validation_rules = (*specified_rules, MaxAliasesRule)

    @staticmethod
    def get_graphql_params(request, data):
        # graphene-django passes a body's values on as they are; graphql-core then fails with
        # a TypeError (an "Internal server error") on a non-string query or non-object variables.
        query, variables, operation_name, id_ = GraphQLView.get_graphql_params(request, data)
        if query is not None and not isinstance(query, str):
            raise HttpError(HttpResponseBadRequest("query must be a string"))
        if variables is not None and not isinstance(variables, dict):
            raise HttpError(HttpResponseBadRequest("variables must be a JSON object"))
        if operation_name is not None and not isinstance(operation_name, str):
            raise HttpError(HttpResponseBadRequest("operationName must be a string"))
        return query, variables, operation_name, id_

    @staticmethod
    def format_error(error):
        if isinstance(error, GraphQLError):
            original = error.original_error
            if isinstance(original, DomainError):
                refusal = GraphQLError(
                    original.message,
                    nodes=error.nodes,
                    path=error.path,
                    extensions={"code": original.code.value},
                )
                return refusal.formatted
            if original is not None and not isinstance(original, GraphQLError):
                logger.error("Unhandled error in GraphQL resolver", exc_info=original)
                sanitized = GraphQLError(
                    "Internal server error",
                    nodes=error.nodes,
                    path=error.path,
                    extensions={"code": ErrorCode.INTERNAL.value},
                )
                return sanitized.formatted
            formatted = error.formatted
            if "extensions" not in formatted and (original is None or error.path is None):
                # Parse, validation and variable-coercion errors from graphql-core (the last wrap
                # the scalar's or enum's own GraphQLError, and have no path): the client's input was wrong.
                formatted["extensions"] = {"code": ErrorCode.GRAPHQL_VALIDATION_FAILED.value}
            return formatted
        if isinstance(error, HttpError):
            # Refusals of the HTTP layer (a mutation over GET, a malformed body): the
            # message is graphene-django's own and safe to show.
            return {"message": error.message, "extensions": {"code": ErrorCode.INVALID_INPUT.value}}
        logger.error("Unexpected GraphQL error object: %r", error)
        return {"message": "Internal server error", "extensions": {"code": ErrorCode.INTERNAL.value}}


graphql_view = csrf_exempt(PioneerGraphQLView.as_view(graphiql=True))
