"""Keep link tokens out of the logs: /preferences/<token> and /unsubscribe/<token> are credentials.

`RedactTokens` is a logging filter on the console handler (Django's request, CSRF and server
logs name the path); `RedactingGunicornLogger` does the same for gunicorn's access log, set as
`logger_class` in pioneer/gunicorn.conf.py.
"""

from __future__ import annotations

import logging
import re

from gunicorn.glogging import Logger as GunicornLogger

_TOKEN_PATH = re.compile(r"/(preferences|unsubscribe)/[^/\s?#\"']+")
REDACTED = "[redacted]"


def redact_tokens(text: str) -> str:
    return _TOKEN_PATH.sub(lambda match: f"/{match.group(1)}/{REDACTED}", text)


class RedactTokens(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        redacted = redact_tokens(message)
        if redacted != message:
            record.msg, record.args = redacted, ()
        return True


class RedactingGunicornLogger(GunicornLogger):
    def atoms(self, resp, req, environ, request_time):
        # Every text atom: the request line and path, the Referer, and the raw headers and
        # environ a custom access_log_format may name.
        atoms = super().atoms(resp, req, environ, request_time)
        return {
            key: redact_tokens(value) if isinstance(value, str) else value for key, value in atoms.items()
        }
