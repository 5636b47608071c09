"""Production code stands without the test suite and without the dev tools.

Production code is every Python file outside tests/ (what the Docker image ships). It must
not import `tests` (nor start it as `python -m tests.…`), and every third-party module it
imports must come from the runtime lock: the image installs requirements.lock only.
"""

from __future__ import annotations

import ast
import os
import re
import sys
from importlib.metadata import packages_distributions
from pathlib import Path

from packaging.utils import canonicalize_name

ROOT = Path(__file__).resolve().parents[2]
# Never production code: the test suite, local state, and tool directories (.venv, .git, …).
SKIPPED_DIRS = {"tests", "var", "__pycache__", "node_modules", "build"}
# `python -m tests.x`, importlib.import_module("tests.x"): a dependency on tests/ in a string.
TESTS_MODULE_STRING = re.compile(r"^tests(\.\w+)*$")


def production_files() -> list[Path]:
    files = []
    for directory, subdirs, names in os.walk(ROOT):
        subdirs[:] = [d for d in subdirs if d not in SKIPPED_DIRS and not d.startswith(".")]
        files += [Path(directory, name) for name in names if name.endswith(".py")]
    return sorted(files)


def imported_modules(tree: ast.AST) -> list[str]:
    """Absolute module names imported anywhere in the tree (relative imports are first-party)."""
    modules = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            modules += [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            modules.append(node.module)
    return modules


def references_to_tests(source: str) -> list[str]:
    tree = ast.parse(source)
    found = [m for m in imported_modules(tree) if m == "tests" or m.startswith("tests.")]
    found += [
        repr(node.value)
        for node in ast.walk(tree)
        if isinstance(node, ast.Constant) and isinstance(node.value, str)
        if TESTS_MODULE_STRING.match(node.value) and node.value != "tests"
    ]
    return found


def runtime_lock_names() -> set[str]:
    lines = (ROOT / "requirements.lock").read_text().splitlines()
    return {canonicalize_name(line.split("==")[0]) for line in lines if "==" in line}


def test_the_scan_covers_the_production_code_and_only_it():
    files = {path.relative_to(ROOT).as_posix() for path in production_files()}
    assert {"manage.py", "pioneer/runner.py", "qn_ingest/fake_node/server.py"} <= files
    assert not any(name.startswith("tests/") for name in files)


def test_the_check_sees_an_import_and_a_module_string():
    source = "import tests.polling\nfrom tests import factories\nargv = ['-m', 'tests.fake']\nx = 'tests'\n"
    assert references_to_tests(source) == ["tests.polling", "tests", "'tests.fake'"]


def test_no_production_module_depends_on_tests():
    offenders = {
        path.relative_to(ROOT).as_posix(): found
        for path in production_files()
        if (found := references_to_tests(path.read_text()))
    }
    assert not offenders, f"production code must not use tests/: {offenders}"


def test_production_code_imports_only_runtime_dependencies():
    first_party = {path.name.removesuffix(".py") for path in ROOT.iterdir()}
    distributions = packages_distributions()
    runtime = runtime_lock_names()
    missing = {}
    for path in production_files():
        for module in imported_modules(ast.parse(path.read_text())):
            top = module.partition(".")[0]
            if top in sys.stdlib_module_names or top in first_party or top == "__future__":
                continue
            providers = {canonicalize_name(name) for name in distributions.get(top, [])}
            if not providers & runtime:
                missing.setdefault(path.relative_to(ROOT).as_posix(), []).append(module)
    assert not missing, f"imported by production code but not in requirements.lock: {missing}"
