"""compose.yaml, its Dockerfile and .env.example, checked against the code.

test_compose_config.py has a real Compose implementation validate the file; this one checks
what `docker-compose config` cannot: every command a service runs exists in the project and
parses, every variable the files set is one the service reads, and the operational basics
(healthchecks, restart policies, one-shot migrations, the PostgreSQL volume) are in place.
"""

from __future__ import annotations

import importlib
import re
import runpy
import shlex
from pathlib import Path

import click
import pytest
import yaml
from celery.bin.base import CLIContext
from celery.bin.celery import celery as celery_cli
from django.core.management import get_commands
from django.urls import resolve
from gunicorn.config import Config as GunicornConfig

from pioneer.celery import app as celery_app

ROOT = Path(__file__).resolve().parents[2]
COMPOSE = yaml.safe_load((ROOT / "compose.yaml").read_text())
SERVICES = COMPOSE["services"]
APP_SERVICES = {name: service for name, service in SERVICES.items() if "build" in service}
LONG_RUNNING_APP_SERVICES = ("api", "worker", "beat")
# Files whose environment reads define "a variable the service reads".
READERS = ("pioneer/settings.py", "pioneer/email_config.py", "pioneer/gunicorn.conf.py")
READ_PATTERNS = (
    re.compile(r"""env\.(?:str|int|float|bool|list|json|db_url)\(\s*["']([A-Z][A-Z0-9_]*)["']"""),
    re.compile(r"""os\.environ\.get\(\s*["']([A-Z][A-Z0-9_]*)["']"""),
)
# Read by prefix in pioneer/email_config.py (any Anymail ESP setting).
READ_PREFIXES = ("ANYMAIL_",)
# Only compose.yaml itself interpolates these (PostgreSQL credentials, host port).
COMPOSE_ONLY_VARIABLES = {"POSTGRES_USER", "POSTGRES_PASSWORD", "POSTGRES_DB"}


def variables_read_by_the_service() -> set[str]:
    names = set()
    for relative in READERS:
        text = (ROOT / relative).read_text()
        for pattern in READ_PATTERNS:
            names.update(pattern.findall(text))
    return names


def is_read(name: str) -> bool:
    return name in variables_read_by_the_service() or name.startswith(READ_PREFIXES)


def command_of(service: dict) -> list[str]:
    command = service.get("command")
    if command is None:
        return []
    return shlex.split(command) if isinstance(command, str) else [str(part) for part in command]


def shell_commands(argv: list[str]) -> list[list[str]]:
    """`sh -c "a && b"` is two commands; anything else is itself."""
    if argv[:2] == ["sh", "-c"]:
        return [shlex.split(part) for part in re.split(r"&&|;", argv[2]) if part.strip()]
    return [argv]


def assert_runs_in_project(argv: list[str]) -> None:
    """Fail unless the command is one this project can run with these exact arguments."""
    program = Path(argv[0]).name
    if program == "python" and argv[1] == "manage.py":
        assert argv[2] in get_commands(), f"manage.py has no command {argv[2]!r}"
    elif program == "gunicorn":
        config = GunicornConfig()
        parsed = config.parser().parse_args(argv[1:])
        config_file = ROOT / parsed.config
        assert config_file.is_file(), f"gunicorn config {parsed.config} does not exist"
        for name, value in runpy.run_path(str(config_file)).items():
            if name in config.settings:
                config.set(name, value)  # runs gunicorn's own validator of each setting
        module_name, _, attribute = parsed.args[0].partition(":")
        assert callable(getattr(importlib.import_module(module_name), attribute or "application"))
    elif program == "celery":
        assert argv[1:3] == ["-A", "pioneer"], "Celery must load the project's app: celery -A pioneer"
        context = click.Context(celery_cli, info_name="celery")
        context.obj = CLIContext(app=celery_app, no_color=True, workdir=None, quiet=True)
        subcommand = celery_cli.get_command(context, argv[3])
        assert subcommand is not None, f"celery has no command {argv[3]!r}"
        parsed = subcommand.make_context(argv[3], argv[4:], parent=context)  # UsageError if wrong
        scheduler = parsed.params.get("scheduler")
        if scheduler:
            module_name, _, class_name = scheduler.partition(":")
            getattr(importlib.import_module(module_name), class_name)
    else:
        pytest.fail(f"unknown program in compose.yaml: {argv}")


def test_compose_has_the_services_on_the_right_images():
    assert SERVICES["postgres"]["image"].startswith("postgres:16")
    assert SERVICES["redis"]["image"].startswith("redis:7")
    assert {"migrate", "api", "worker", "beat"} <= set(APP_SERVICES)
    assert SERVICES["mailpit"]["profiles"] == ["mail"], "the mail catcher is for development only"


@pytest.mark.parametrize("name", sorted(APP_SERVICES))
def test_every_app_service_command_exists_in_the_project(name):
    argv = command_of(APP_SERVICES[name])
    assert argv, f"{name} has no command"
    for command in shell_commands(argv):
        assert_runs_in_project(command)


def test_the_image_default_command_exists_in_the_project():
    lines = (ROOT / "Dockerfile").read_text().splitlines()
    cmd_line = next(line for line in lines if line.startswith("CMD "))
    assert_runs_in_project(yaml.safe_load(cmd_line.removeprefix("CMD ")))


@pytest.mark.parametrize("name", sorted(APP_SERVICES))
def test_app_services_set_only_variables_the_service_reads(name):
    service = APP_SERVICES[name]
    assert service["env_file"] == ".env"
    unknown = sorted(variable for variable in service.get("environment", {}) if not is_read(variable))
    assert not unknown, f"{name} sets variables nothing reads: {unknown}"


def test_migrations_run_once_before_the_app_starts():
    migrate = SERVICES["migrate"]
    assert "migrate" in " ".join(command_of(migrate))
    assert migrate["restart"] == "no"
    for name in LONG_RUNNING_APP_SERVICES:
        assert SERVICES[name]["depends_on"]["migrate"]["condition"] == "service_completed_successfully"
        assert SERVICES[name]["depends_on"]["postgres"]["condition"] == "service_healthy"
        assert SERVICES[name]["depends_on"]["redis"]["condition"] == "service_healthy"


@pytest.mark.parametrize("name", ["postgres", "redis", "api", "worker", "beat", "mailpit"])
def test_long_running_services_have_a_healthcheck_and_a_restart_policy(name):
    service = SERVICES[name]
    assert service["restart"] in {"always", "unless-stopped", "on-failure"}
    test = service["healthcheck"]["test"]
    assert test[0] in {"CMD", "CMD-SHELL"} and len(test) > 1


def test_healthchecks_call_what_exists():
    api_check = " ".join(SERVICES["api"]["healthcheck"]["test"])
    path = re.search(r"http://127\.0\.0\.1:3000(/\S*?)'", api_check).group(1)
    assert resolve(path).url_name == "healthz"
    for name in ("worker", "beat"):
        check = shlex.split(SERVICES[name]["healthcheck"]["test"][1].replace("$$HOSTNAME", "host"))
        assert_runs_in_project(check)
    # Beat answers `inspect ping` only with remote control switched on.
    assert "--enable-remote-control" in command_of(SERVICES["beat"])


def test_postgres_keeps_its_data_in_a_named_volume():
    mounts = SERVICES["postgres"]["volumes"]
    volume = next(m.split(":")[0] for m in mounts if m.endswith(":/var/lib/postgresql/data"))
    assert volume in COMPOSE["volumes"]


def test_env_example_documents_exactly_the_variables_read():
    text = (ROOT / ".env.example").read_text()
    documented = set(re.findall(r"^#?([A-Z][A-Z0-9_]*)=", text, flags=re.MULTILINE))
    unknown = sorted(name for name in documented if not is_read(name) and name not in COMPOSE_ONLY_VARIABLES)
    assert not unknown, f".env.example documents variables nothing reads: {unknown}"
    undocumented = sorted(variables_read_by_the_service() - documented)
    assert not undocumented, f"add these variables to .env.example: {undocumented}"


def test_compose_interpolates_only_documented_variables():
    documented = set(re.findall(r"^#?([A-Z][A-Z0-9_]*)=", (ROOT / ".env.example").read_text(), re.MULTILINE))
    interpolated = set(re.findall(r"(?<!\$)\$\{([A-Z][A-Z0-9_]*)", (ROOT / "compose.yaml").read_text()))
    assert interpolated, "compose.yaml builds its URLs from .env variables"
    assert interpolated <= documented, f"undocumented: {sorted(interpolated - documented)}"
