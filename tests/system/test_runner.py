"""What `make run` / `make demo` give their processes (pioneer/runner.py)."""

from __future__ import annotations

import json
from pathlib import Path

import environ
import pytest

from pioneer.email_config import email_settings_from_env
from pioneer.runner import (
    BASE_DIR,
    DEMO_DIR,
    EMAIL_CHOICE_VARIABLES,
    EMBEDDED_BROKER_URL,
    children_for,
    demo_reset,
    service_environment,
)


def mail_dir_for(env: dict[str, str], project: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The folder the service's settings write emails to, for a project checked out at `project`."""
    for name in EMAIL_CHOICE_VARIABLES:
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("EMAIL_URL", env["EMAIL_URL"])
    email = email_settings_from_env(environ.Env(), is_production=False, var_dir=project / "var")
    return Path(email.django_settings["EMAIL_FILE_PATH"])


def test_nothing_configured_means_embedded_broker_and_emails_in_var_mail():
    env = service_environment({"PATH": "/usr/bin"}, demo=False)
    assert env["CELERY_BROKER_URL"] == EMBEDDED_BROKER_URL
    assert env["EMAIL_URL"] == "filemail://"
    assert "DATABASE_URL" not in env  # settings' SQLite default under var/


def test_the_api_listens_on_this_machine_only_unless_asked():
    assert service_environment({}, demo=False)["GUNICORN_BIND_HOST"] == "127.0.0.1"
    asked = service_environment({"GUNICORN_BIND_HOST": "0.0.0.0"}, demo=False)
    assert asked["GUNICORN_BIND_HOST"] == "0.0.0.0"


def test_what_the_operator_set_is_used_as_is():
    given = {
        "DATABASE_URL": "postgres://db/pioneer",
        "CELERY_BROKER_URL": "redis://redis:6379/0",
        "SENDGRID_API_KEY": "SG.key",
    }
    env = service_environment(given, demo=False)
    assert {name: env[name] for name in given} == given
    assert "EMAIL_URL" not in env, "an ESP is configured: the runner must not add EMAIL_URL"


def test_demo_uses_its_own_fresh_database_and_the_demo_members():
    env = service_environment({"DATABASE_URL": "postgres://db/pioneer"}, demo=True)
    assert env["DATABASE_URL"] == f"sqlite:///{DEMO_DIR / 'pioneer.sqlite3'}"
    assert env["CELERY_BROKER_URL"] == EMBEDDED_BROKER_URL
    assert [member["id"] for member in json.loads(env["INITIAL_MEMBERSHIPS"])] == [1, 2]
    assert int(env["NOTIFY_INTERVAL_SECONDS"]) <= 10


def test_the_runner_supervises_api_worker_beat_and_in_demo_the_query_node():
    env = service_environment({}, demo=False)
    assert [child.name for child in children_for(env, demo_port=None)] == ["api", "worker", "beat"]
    demo = children_for(env, demo_port=8081)
    assert demo[0].name == "qnode"
    assert demo[0].argv[-4:] == ["--port", "8081", "--scenario", "demo"]


def test_run_writes_mail_to_var_mail_and_the_demo_to_its_own_folder(tmp_path, monkeypatch):
    run_mail = mail_dir_for(service_environment({}, demo=False), tmp_path, monkeypatch)
    demo_mail = mail_dir_for(service_environment({}, demo=True), tmp_path, monkeypatch)

    assert run_mail == tmp_path / "var" / "mail"
    # Inside the demo folder, which demo_reset wipes at each `make demo`.
    assert demo_mail == tmp_path / DEMO_DIR.relative_to(BASE_DIR) / "mail"


def test_an_email_provider_chosen_by_the_operator_is_kept_in_the_demo():
    env = service_environment({"EMAIL_URL": "smtp://localhost:1025"}, demo=True)
    assert env["EMAIL_URL"] == "smtp://localhost:1025"


def test_demo_reset_clears_the_demo_database_broker_and_mail_and_nothing_else(tmp_path):
    demo_dir = tmp_path / "var" / "demo"
    for leftover in ("pioneer.sqlite3", "broker/queue/1.msg", "mail/20250101-1.log"):
        (demo_dir / leftover).parent.mkdir(parents=True, exist_ok=True)
        (demo_dir / leftover).write_text("from the last demo")
    run_mail = tmp_path / "var" / "mail" / "20250101-1.log"
    run_mail.parent.mkdir()
    run_mail.write_text("from make run")

    demo_reset(demo_dir)

    assert demo_dir.is_dir() and list(demo_dir.iterdir()) == []
    assert run_mail.read_text() == "from make run"
