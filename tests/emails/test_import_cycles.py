"""Tasks call services, never the other way round: no first-party module imports itself back.

Read from the source (ast), counting imports inside functions too: a deferred import hides
a cycle from the interpreter, not from the design.
"""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _module_name(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _first_party_modules() -> dict[str, Path]:
    packages = [p.parent for p in ROOT.glob("*/__init__.py") if p.parent.name not in {"tests", ".venv"}]
    return {_module_name(path): path for package in packages for path in package.rglob("*.py")}


def _imported_names(tree: ast.AST) -> set[str]:
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            # `from a import b` imports a, and a.b when b is a submodule
            names.add(node.module)
            names.update(f"{node.module}.{alias.name}" for alias in node.names)
    return names


def import_graph() -> dict[str, set[str]]:
    modules = _first_party_modules()
    return {
        name: {imported for imported in _imported_names(ast.parse(path.read_text())) if imported in modules}
        - {name}
        for name, path in modules.items()
    }


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected components with more than one module (Tarjan's algorithm)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    found: list[list[str]] = []

    def visit(module: str) -> None:
        index[module] = low[module] = len(index)
        stack.append(module)
        for imported in sorted(graph[module]):
            if imported not in index:
                visit(imported)
                low[module] = min(low[module], low[imported])
            elif imported in stack:
                low[module] = min(low[module], index[imported])
        if low[module] == index[module]:
            component = []
            while True:
                member = stack.pop()
                component.append(member)
                if member == module:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for module in sorted(graph):
        if module not in index:
            visit(module)
    return found


def test_the_cycle_finder_sees_a_cycle_through_a_deferred_import():
    deferred = ast.parse("def later():\n    from app.tasks import deliver\n")
    graph = {"app.services": _imported_names(deferred) & {"app.tasks"}, "app.tasks": {"app.services"}}
    assert cycles(graph) == [["app.services", "app.tasks"]]


def test_services_and_tasks_do_not_import_each_other():
    graph = import_graph()
    assert "notifications.services" in graph["notifications.tasks"]  # the direction that is allowed
    assert "notifications.tasks" not in graph["notifications.services"]


def test_no_first_party_import_cycle():
    assert cycles(import_graph()) == []
