"""compose.yaml as a real Compose implementation reads it: `docker-compose config`.

docker-compose (Debian's package; .ci/run installs it) parses, validates and interpolates the
file without a Docker engine, so it catches what a YAML parser cannot: keys the Compose format
does not allow, a wrong type, a bad `depends_on` condition, a variable nobody defines.
Without docker-compose the tests skip, and fail under PIONEER_REQUIRE_SERVICES=1.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import yaml

from tests.services import service_unavailable

ROOT = Path(__file__).resolve().parents[2]
ALL_SERVICES = {"postgres", "redis", "migrate", "api", "worker", "beat", "mailpit"}


def compose_config(project: Path, env_file_text: str) -> dict:
    """`docker-compose config` of compose.yaml in `project`, with `.env` as the README's
    `cp .env.example .env` makes it; the resolved file, parsed."""
    program = shutil.which("docker-compose")
    if program is None:
        service_unavailable("needs docker-compose (apt-get install docker-compose)")
    shutil.copy(ROOT / "compose.yaml", project / "compose.yaml")
    (project / ".env").write_text(env_file_text)
    result = subprocess.run(
        [program, "--project-directory", str(project), "-f", str(project / "compose.yaml")]
        + ["--profile", "mail", "config"],
        # Only .env may feed the interpolation: not the PORT or POSTGRES_* of whoever runs the tests.
        env={"PATH": os.environ.get("PATH", ""), "HOME": str(project)},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, f"docker-compose rejects compose.yaml:\n{result.stderr}"
    # Compose warns, and goes on, about unset variables and ignored keys: both are mistakes here.
    assert "WARNING" not in result.stderr, result.stderr
    return yaml.safe_load(result.stdout)


def test_docker_compose_accepts_the_file_with_the_example_env(tmp_path):
    config = compose_config(tmp_path, (ROOT / ".env.example").read_text())

    services = config["services"]
    assert set(services) == ALL_SERVICES
    for name in ("api", "worker", "beat"):
        # The shared x-app block reached every long-running app service.
        assert services[name]["depends_on"]["migrate"]["condition"] == "service_completed_successfully"
        url = services[name]["environment"]["DATABASE_URL"]
        assert url.startswith("postgres://pioneer:") and url.endswith("@postgres:5432/pioneer"), url
        assert "$" not in url, f"not interpolated: {url}"
    assert services["mailpit"]["profiles"] == ["mail"]
    assert config["volumes"]["pgdata"]["name"] == "pioneer-notify_pgdata"


def test_env_file_values_reach_the_services(tmp_path):
    env_file = "PORT=8080\nPOSTGRES_USER=notify\nPOSTGRES_PASSWORD=s3cret\nPOSTGRES_DB=notifydb\n"

    services = compose_config(tmp_path, env_file)["services"]

    assert services["api"]["environment"]["DATABASE_URL"] == "postgres://notify:s3cret@postgres:5432/notifydb"
    assert services["postgres"]["environment"]["POSTGRES_DB"] == "notifydb"
    assert [(int(p["published"]), int(p["target"])) for p in services["api"]["ports"]] == [(8080, 3000)]
