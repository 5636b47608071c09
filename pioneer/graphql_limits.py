"""What one GraphQL document may cost, checked before the schema's own validation runs.

graphql-core's validation is not linear: OverlappingFieldsCanBeMerged compares every pair of
fields that share a response name, and every pair of fragments spread side by side, so 100,000
repeated `memberExist` (1.8 MB) took 17 s of CPU to refuse. These rules look only at the
document's shape, in one pass, and refuse it before that work starts; with them the standard
rules see at most a few hundred fields. The numbers are settings (README "Guarantees"), except
two shapes no real client sends, which are fixed here.
"""

from __future__ import annotations

from django.conf import settings
from graphql import GraphQLError, ValidationRule
from graphql.language import ast

# A field written more than this many times in one selection set (inline fragments merged
# in): the pairwise comparison of same-named fields is what grows with the square.
MAX_REPEATS_OF_ONE_FIELD = 5
# Fragment definitions in one document: spreads side by side are compared in pairs too.
MAX_FRAGMENTS = 25


def _fragments(document: ast.DocumentNode) -> dict[str, ast.FragmentDefinitionNode]:
    return {
        definition.name.value: definition
        for definition in document.definitions
        if isinstance(definition, ast.FragmentDefinitionNode)
    }


def _walk(selection_set, fragments: dict, memo: dict, visiting: frozenset) -> tuple[int, int]:
    """(aliased fields executed, depth) of a selection set, fragment spreads expanded."""
    aliases, depth = 0, 0
    for selection in selection_set.selections if selection_set else ():
        if isinstance(selection, ast.FieldNode):
            inner_aliases, inner_depth = _walk(selection.selection_set, fragments, memo, visiting)
            aliases += (selection.alias is not None) + inner_aliases
            depth = max(depth, 1 + inner_depth)
        elif isinstance(selection, ast.InlineFragmentNode):
            inner_aliases, inner_depth = _walk(selection.selection_set, fragments, memo, visiting)
            aliases += inner_aliases
            depth = max(depth, inner_depth)
        elif isinstance(selection, ast.FragmentSpreadNode):
            name = selection.name.value
            fragment = fragments.get(name)
            if fragment is None or name in visiting:  # unknown or cyclic: other rules report it
                continue
            if name not in memo:
                memo[name] = _walk(fragment.selection_set, fragments, memo, visiting | {name})
            aliases += memo[name][0]
            depth = max(depth, memo[name][1])
    return aliases, depth


def _repeats(selection_set, counts: dict[str, int]) -> int:
    """The most times one response name is written in this selection set (inline fragments merged)."""
    for selection in selection_set.selections if selection_set else ():
        if isinstance(selection, ast.FieldNode):
            name = (selection.alias or selection.name).value
            counts[name] = counts.get(name, 0) + 1
        elif isinstance(selection, ast.InlineFragmentNode):
            _repeats(selection.selection_set, counts)
    return max(counts.values(), default=0)


class DocumentCostRule(ValidationRule):
    """Refuse a document deeper than GRAPHQL_MAX_DEPTH, running more than GRAPHQL_MAX_ALIASES
    aliased fields (counted as often as fragments repeat them), repeating one field more than
    MAX_REPEATS_OF_ONE_FIELD times side by side, or defining more than MAX_FRAGMENTS fragments."""

    def enter_document(self, node: ast.DocumentNode, *_args):
        fragments = _fragments(node)
        if len(fragments) > MAX_FRAGMENTS:
            self.report_error(GraphQLError(f"At most {MAX_FRAGMENTS} fragments per document"))
        memo: dict = {}
        for definition in node.definitions:
            if not isinstance(definition, ast.OperationDefinitionNode):
                continue
            aliases, depth = _walk(definition.selection_set, fragments, memo, frozenset())
            if aliases > settings.GRAPHQL_MAX_ALIASES:
                self.report_error(
                    GraphQLError(
                        f"At most {settings.GRAPHQL_MAX_ALIASES} aliased fields per operation", definition
                    )
                )
            if depth > settings.GRAPHQL_MAX_DEPTH:
                message = f"Fields may be nested at most {settings.GRAPHQL_MAX_DEPTH} deep"
                self.report_error(GraphQLError(message, definition))

    def enter_selection_set(self, node: ast.SelectionSetNode, *_args):
        if _repeats(node, {}) > MAX_REPEATS_OF_ONE_FIELD:
            message = f"A field may be repeated at most {MAX_REPEATS_OF_ONE_FIELD} times in one selection"
            self.report_error(GraphQLError(message))
            return self.SKIP
        return None
