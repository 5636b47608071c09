"""What every app's GraphQL code shares: the error vocabulary, the auth decorator,
the BigInt scalar and the view that keeps tracebacks away from clients."""

from __future__ import annotations

import functools
import logging
from typing import Any

import graphene
from django.http import HttpResponseBadRequest
from django.views.decorators.csrf import csrf_exempt
from graphene_django.views import GraphQLView, HttpError
from graphql import GraphQLError, ValidationRule, specified_rules
from graphql.language import ast

logger = logging.getLogger("pioneer.graphql")


class ErrorCode:
    UNAUTHORIZED = "UNAUTHORIZED"
    INVALID_SIGNATURE = "INVALID_SIGNATURE"
    INVALID_EMAIL = "INVALID_EMAIL"
    MEMBER_EXISTS = "MEMBER_EXISTS"
    INVALID_TOKEN = "INVALID_TOKEN"
    INVALID_INPUT = "BAD_USER_INPUT"
    QUERY_NODE_UNAVAILABLE = "QUERY_NODE_UNAVAILABLE"
    INTERNAL = "INTERNAL_SERVER_ERROR"


def api_error(message: str, code: str) -> GraphQLError:
    """A client-facing error: a stable message plus a machine-readable extensions.code."""
    return GraphQLError(message, extensions={"code": code})


def unauthorized() -> GraphQLError:
    return api_error("Unauthorized", ErrorCode.UNAUTHORIZED)


def invalid_input(message: str) -> GraphQLError:
    return api_error(message, ErrorCode.INVALID_INPUT)


def authenticated_member(info):
    """The member of the request's bearer token, or None (never an error)."""
    from members.tokens import member_from_request

    request = info.context
    if not hasattr(request, "_pioneer_member"):
        request._pioneer_member = member_from_request(request)
    return request._pioneer_member


def member_required(resolver):
    """Protect a resolver or mutation: it receives the member as `member=` keyword."""

    @functools.wraps(resolver)
    def wrapper(root, info, *args, **kwargs):
        member = authenticated_member(info)
        if member is None:
            raise unauthorized()
        return resolver(root, info, *args, member=member, **kwargs)

    return wrapper


class BigInt(graphene.Scalar):
    """An integer of any size. Input: an Int or a decimal String ("1700000000000"); output: a number."""

    @staticmethod
    def serialize(value: Any) -> int:
        return int(value)

    @staticmethod
    def parse_value(value: Any) -> int:
        return _parse_big_int(value)

    @staticmethod
    def parse_literal(node, _variables=None) -> int:
        if isinstance(node, ast.IntValueNode | ast.StringValueNode):
            return _parse_big_int(node.value)
        raise GraphQLError("BigInt must be an integer or a string of decimal digits")


def _parse_big_int(value: Any) -> int:
    if isinstance(value, bool):
        raise GraphQLError("BigInt must be an integer or a string of decimal digits")
    if isinstance(value, int):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, str):
        text = value.strip()
        digits = text[1:] if text[:1] == "-" else text
        if digits.isascii() and digits.isdigit() and len(digits) <= 40:
            return int(text)
    raise GraphQLError("BigInt must be an integer or a string of decimal digits")


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

    Errors raised on purpose (GraphQLError with a message we wrote) reach the client
    as they are. Anything else is logged and replaced by a generic message, so no
    traceback, SQL or internal detail ever leaves the server.
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
            if original is not None and not isinstance(original, GraphQLError):
                logger.error("Unhandled error in GraphQL resolver", exc_info=original)
                sanitized = GraphQLError(
                    "Internal server error",
                    nodes=error.nodes,
                    path=error.path,
                    extensions={"code": ErrorCode.INTERNAL},
                )
                return sanitized.formatted
            formatted = error.formatted
            if "extensions" not in formatted and (original is None or error.path is None):
                # Parse, validation and variable-coercion errors from graphql-core (the last wrap
                # the scalar's or enum's own GraphQLError, and have no path): the client's input was wrong.
                formatted["extensions"] = {"code": "GRAPHQL_VALIDATION_FAILED"}
            return formatted
        if isinstance(error, HttpError):
            # Refusals of the HTTP layer (a mutation over GET, a malformed body): the
            # message is graphene-django's own and safe to show.
            return {"message": error.message, "extensions": {"code": ErrorCode.INVALID_INPUT}}
        logger.error("Unexpected GraphQL error object: %r", error)
        return {"message": "Internal server error", "extensions": {"code": ErrorCode.INTERNAL}}


graphql_view = csrf_exempt(PioneerGraphQLView.as_view(graphiql=True))
