"""The repository needs nothing beside it: no code, test, script or document refers to the
folder of reference material the project was started from, to the variable that located it, or
to the rules and contract files it held (their successors are docs/matching-rules.md and
docs/api-contract.md). A clone in any directory runs the tests (docs/README.md says where the
references live now)."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
# Built from parts so that this file does not match itself.
FORBIDDEN = ("../" + "shared", "PIONEER_" + "SHARED_DIR", "RULES" + ".md", "CONTRACT" + ".md")
# Local state and tools, never part of the repository (used when git is not available).
NOT_OURS = {".git", ".venv", "var", "__pycache__", ".pytest_cache", ".ruff_cache", "node_modules"}


def repository_files() -> list[Path]:
    """Tracked files plus new ones not ignored, so a file not yet added is checked too."""
    try:
        listed = subprocess.run(
            ["git", "ls-files", "--cached", "--others", "--exclude-standard", "-z"],
            cwd=REPO,
            capture_output=True,
            check=True,
        ).stdout.decode()
        paths = [REPO / name for name in listed.split("\0") if name]
    except (OSError, subprocess.CalledProcessError):  # an export without .git, or no git installed
        paths = []
        for folder, subfolders, names in os.walk(REPO):
            subfolders[:] = [name for name in subfolders if name not in NOT_OURS]  # prune, not filter
            # A worktree's or submodule's .git is a file.
            paths += [Path(folder) / name for name in names if name not in NOT_OURS]
    # A file deleted in the work tree but not yet in the index is listed and absent.
    return [path for path in paths if path.is_file()]


def references_outside(paths: list[Path]) -> list[str]:
    found = []
    for path in paths:
        try:
            text = path.read_text(encoding="utf-8")
        except UnicodeDecodeError:  # binary files hold no references
            continue
        for number, line in enumerate(text.splitlines(), start=1):
            if any(needle in line for needle in FORBIDDEN):
                found.append(f"{path.relative_to(REPO)}:{number}: {line.strip()}")
    return found


def test_nothing_refers_to_files_outside_the_repository():
    files = repository_files()
    assert REPO / "qn_ingest" / "queries.py" in files  # the listing itself works
    assert references_outside(files) == []


def test_the_check_finds_a_reference(tmp_path, monkeypatch):
    monkeypatch.setattr(f"{__name__}.REPO", tmp_path)
    script = tmp_path / "run.sh"
    script.write_text(f"#!/bin/sh\ncat {FORBIDDEN[0]}/notes.md\n")
    (tmp_path / "image.bin").write_bytes(b"\xff\xfe" + FORBIDDEN[1].encode())
    assert references_outside([script, tmp_path / "image.bin"]) == [f"run.sh:2: cat {FORBIDDEN[0]}/notes.md"]


def test_without_git_the_tree_is_walked_without_local_state(monkeypatch):
    def no_git(*args, **kwargs):
        raise OSError("git: not found")

    monkeypatch.setattr(subprocess, "run", no_git)
    files = repository_files()
    assert REPO / "qn_ingest" / "queries.py" in files
    assert not [path for path in files if {".venv", ".git", "var"} & set(path.relative_to(REPO).parts)]
