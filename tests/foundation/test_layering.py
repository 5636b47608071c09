"""The domain never depends on the API layer (ARCHITECTURE.md: one domain error, translated once).

Read from the source with `ast`, so a lazy import inside a function counts too. A module
belongs to the GraphQL layer by its name: `schema.py`, `urls.py`, or a name starting with
`graphql`/`graphiql` (pioneer/graphql.py, pioneer/graphql_view.py, subscriptions/graphql_enums.py).
Everything else — services, selectors, models, tasks, errors, the ingest, admin, commands —
may not import graphene, graphene-django, a GraphQL-layer module, or raise graphql-core's
GraphQLError. django-graphql-jwt is our token library (members/tokens.py signs and checks
member tokens with its handlers), not our API layer, so it is allowed. The ingest may still use
graphql-core to parse its query documents: that is a client of the query node, not our API.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
FORBIDDEN_PACKAGES = ("graphene", "graphene_django")
FORBIDDEN_NAMES = {("graphql", "GraphQLError"), ("graphql.error", "GraphQLError")}


def is_api_module(path: Path) -> bool:
    return path.name in {"schema.py", "urls.py"} or path.name.startswith(("graphql", "graphiql"))


def production_modules() -> list[Path]:
    """Every .py file of the project's own packages (top-level directories with an __init__.py)."""
    packages = [
        path.parent
        for path in ROOT.glob("*/__init__.py")
        if path.parent.name not in {"tests", ".venv", "var"} and not path.parent.name.startswith(".")
    ]
    return sorted(module for package in packages for module in package.rglob("*.py"))


def module_name(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


API_MODULES = {module_name(path) for path in production_modules() if is_api_module(path)}


def _is_within(name: str, modules) -> bool:
    return any(name == module or name.startswith(module + ".") for module in modules)


def layer_violations(source: str, *, package: str) -> list[str]:
    """The imports of `source` (a module of `package`) that reach into the API layer."""
    violations = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            imported = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:  # relative: resolve against the module's own package
                base = package.split(".")[: len(package.split(".")) - node.level + 1]
                origin = ".".join([*base, node.module] if node.module else base)
            else:
                origin = node.module or ""
            # `from pioneer import graphql` imports the module pioneer.graphql.
            imported = [origin, *(f"{origin}.{alias.name}" for alias in node.names)]
            violations += [
                f"line {node.lineno}: from {origin} import {alias.name}"
                for alias in node.names
                if (origin, alias.name) in FORBIDDEN_NAMES
            ]
        else:
            continue
        reached = [name for name in imported if _is_within(name, (*FORBIDDEN_PACKAGES, *API_MODULES))]
        if reached:
            violations.append(f"line {node.lineno}: imports {reached[0]}")
    return violations


def test_the_layer_rule_sees_the_project():
    names = {module_name(path) for path in production_modules()}
    # The domain modules the rule is about, and the API modules it exempts.
    domain = {"members.services", "subscriptions.services", "notifications.selectors", "pioneer.errors"}
    assert domain <= names
    assert {"pioneer.graphql", "pioneer.graphql_view", "pioneer.schema", "members.schema"} <= API_MODULES
    assert "members.services" not in API_MODULES


@pytest.mark.parametrize(
    "source",
    [
        "import graphene",
        "from graphene_django import DjangoObjectType",
        "from pioneer.graphql import member_required",
        "from pioneer import graphql",
        "def lazy():\n    from members.schema import MemberType",
        "from graphql import GraphQLError",
        "from ..graphql_view import PioneerGraphQLView",
    ],
)
def test_the_layer_rule_catches_an_import_of_the_api_layer(source):
    assert layer_violations(source, package="pioneer.sub") != []


def test_the_layer_rule_lets_the_ingest_parse_its_query_documents():
    assert layer_violations("from graphql import DocumentNode, parse", package="qn_ingest") == []


def test_no_domain_module_imports_the_api_layer():
    found = {}
    for path in production_modules():
        if is_api_module(path):
            continue
        name = module_name(path)
        package = name if path.name == "__init__.py" else name.rpartition(".")[0]
        violations = layer_violations(path.read_text(encoding="utf-8"), package=package)
        if violations:
            found[str(path.relative_to(ROOT))] = violations
    assert found == {}, "the domain must not depend on the GraphQL layer; raise pioneer.errors.DomainError"
