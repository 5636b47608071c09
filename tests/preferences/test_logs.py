"""Link tokens are credentials: neither Django's logs nor gunicorn's access log show them."""

import io
import logging
import runpy
from datetime import timedelta
from pathlib import Path
from types import SimpleNamespace

import pytest
from django.test import Client
from django.utils.module_loading import import_string
from gunicorn.config import Config

from pioneer.log_redaction import REDACTED, RedactTokens, redact_tokens
from tests.preferences.conftest import page_path

ROOT = Path(__file__).resolve().parents[2]


def test_redact_tokens_keeps_the_rest_of_the_line():
    line = 'GET /preferences/eyJtIjo3fQ:1v:abc?saved=1 HTTP/1.1 "https://x/unsubscribe/tok" /graphql'
    assert (
        redact_tokens(line)
        == f'GET /preferences/{REDACTED}?saved=1 HTTP/1.1 "https://x/unsubscribe/{REDACTED}" /graphql'
    )
    assert redact_tokens("/preferences/") == "/preferences/"


@pytest.mark.django_db
def test_a_refused_request_is_logged_without_its_token(ada):
    # the settings' console handler (pytest adds capture handlers of its own beside it)
    [console] = [
        h for h in logging.getLogger().handlers if any(isinstance(f, RedactTokens) for f in h.filters)
    ]
    stream = io.StringIO()
    previous = console.setStream(stream)
    try:
        path = page_path(ada)
        token = path.rsplit("/", 1)[1]
        Client().post(path, {"nickname": "x"})  # no CSRF token: 403, logged by django.security.csrf
        Client().get(path + "tampered")  # 400, logged by django.request
    finally:
        console.setStream(previous)
    logged = stream.getvalue()
    assert "/preferences/[redacted]" in logged and logged.count("\n") >= 2
    assert token not in logged and token[:20] not in logged


def test_gunicorn_access_log_has_no_token(tmp_path):
    logger_class = import_string(runpy.run_path(str(ROOT / "pioneer" / "gunicorn.conf.py"))["logger_class"])
    config = Config()
    config.set("accesslog", str(tmp_path / "access.log"))
    logger = logger_class(config)
    environ = {
        "REQUEST_METHOD": "GET",
        "RAW_URI": "/preferences/eyJtIjo3fQ:1v:secret",
        "PATH_INFO": "/preferences/eyJtIjo3fQ:1v:secret",
        "QUERY_STRING": "",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "HTTP_REFERER": "https://notify.example.org/unsubscribe/also-secret",
        "REMOTE_ADDR": "127.0.0.1",
    }
    response = SimpleNamespace(status="200 OK", sent=42, headers=[])
    logger.access(
        response, SimpleNamespace(headers=[("Referer", environ["HTTP_REFERER"])]), environ, timedelta(0)
    )
    for handler in logger.access_log.handlers:
        handler.flush()
    line = (tmp_path / "access.log").read_text()
    assert (
        '"GET /preferences/[redacted] HTTP/1.1" 200 42 "https://notify.example.org/unsubscribe/[redacted]"'
        in line
    )
    assert "secret" not in line


@pytest.mark.parametrize("name", ["django.request", "django.security.csrf", "django.server", "preferences"])
def test_every_handler_that_prints_a_request_log_redacts(name):
    # Django's own default console handler (DEBUG) must not be reachable: it printed raw paths.
    logger, handlers = logging.getLogger(name), []
    while logger:
        handlers += logger.handlers
        logger = logger.parent if logger.propagate else None
    printing = [h for h in handlers if not type(h).__module__.startswith("_pytest")]
    assert printing and all(any(isinstance(f, RedactTokens) for f in h.filters) for h in printing), printing
