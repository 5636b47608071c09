"""Two lock files: requirements.lock holds what the service runs on, requirements-dev.lock the
dev tools on top; the Docker image gets the first only, and none of tests/.

The dependency trees are read from the installed packages' metadata (`make setup` installed
both locks), starting from pyproject.toml.
"""

from __future__ import annotations

import re
import tomllib
from importlib.metadata import distribution
from pathlib import Path

from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

ROOT = Path(__file__).resolve().parents[2]
PROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
PIN = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]*==\S+$")


def dependency_tree(requirements: list[str]) -> set[str]:
    """Every distribution the requirements pull in, extras and environment markers applied."""
    extras_seen: dict[str, set[str]] = {}
    pending = [Requirement(text) for text in requirements]
    while pending:
        requirement = pending.pop()
        name = canonicalize_name(requirement.name)
        known = extras_seen.get(name)
        if known is not None and set(requirement.extras) <= known:
            continue
        extras = extras_seen[name] = (known or set()) | set(requirement.extras)
        for text in distribution(name).requires or []:
            child = Requirement(text)
            environments = [{"extra": extra} for extra in extras or {""}]
            if child.marker is None or any(child.marker.evaluate(env) for env in environments):
                pending.append(child)
    return set(extras_seen)


def lock_lines(name: str) -> list[str]:
    lines = (ROOT / name).read_text().splitlines()
    return [line for line in lines if line.strip() and not line.startswith("#")]


def pinned_names(lines: list[str]) -> set[str]:
    return {canonicalize_name(line.split("==")[0]) for line in lines if "==" in line}


RUNTIME = dependency_tree(PROJECT["dependencies"])
DEV = dependency_tree(PROJECT["dependencies"] + PROJECT["optional-dependencies"]["dev"]) - RUNTIME


def test_the_runtime_lock_pins_exactly_the_project_dependencies():
    lines = lock_lines("requirements.lock")
    assert all(PIN.match(line) for line in lines), [line for line in lines if not PIN.match(line)]
    locked = pinned_names(lines)
    assert not RUNTIME - locked, f"missing from requirements.lock: {sorted(RUNTIME - locked)}"
    assert not locked - RUNTIME, f"not runtime dependencies: {sorted(locked - RUNTIME)}"
    assert "pytest" not in locked and "ruff" not in locked


def test_the_dev_lock_adds_the_dev_tools_on_top_of_the_runtime_lock():
    lines = lock_lines("requirements-dev.lock")
    assert lines[0] == "-r requirements.lock", "the dev lock installs the runtime lock first"
    assert all(PIN.match(line) for line in lines[1:]), [line for line in lines[1:] if not PIN.match(line)]
    locked = pinned_names(lines[1:])
    assert locked == DEV, f"missing: {sorted(DEV - locked)}, extra: {sorted(locked - DEV)}"
    # (PyYAML, also a dev tool, is pinned in the runtime lock: Apprise needs it.)
    assert {"pytest", "ruff", "factory-boy", "aiosmtpd", "pytest-xdist"} <= locked


def test_the_image_installs_the_runtime_lock_only():
    instructions = [line for line in (ROOT / "Dockerfile").read_text().splitlines() if line[:1].isupper()]
    installs = [line for line in instructions if "pip install" in line]
    assert installs == ["RUN pip install -r requirements.lock"]
    copies = [line for line in instructions if line.startswith("COPY ")]
    assert "COPY requirements.lock ./" in copies
    assert not any("dev" in line or "tests" in line for line in copies)


def test_the_image_leaves_out_the_tests_and_the_dev_lock():
    ignored = {line.strip().rstrip("/") for line in (ROOT / ".dockerignore").read_text().splitlines()}
    # `COPY . .` sends everything else, so these must be excluded here.
    assert {"tests", "requirements-dev.lock"} <= ignored
    assert not ignored & {"pioneer", "members", "notifications", "qn_ingest", "subscriptions", "templates"}
