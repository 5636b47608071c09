"""The MIME bytes of an event's email built once, filled per member, for the SMTP backend.

Django's SMTP backend turns each EmailMessage into bytes with the email package (headers
folded one by one, the body written line by line, a boundary searched for): about as long
as the SMTP conversation itself. The emails of one event differ only in a few slots (the
member's name, two links, the address, Date, Message-ID and the multipart boundary), so a
delivery batch builds the bytes once with markers in those slots, with Django's own
message(), and fills them per member (notifications.email_render_cache).

Only where the filled bytes are what Django would have made, with a fresh Date, Message-ID
and boundary: every filled value ASCII without line breaks (so a 7bit part stays 7bit and no
header needs encoding), no line longer than RFC 5322 allows (Django would switch that part
to quoted-printable), no part already quoted-printable or base64. Otherwise `fill` returns
None and the email is built the usual way. tests/emails/test_email_render_cache.py compares
both for every kind.

Sending such an email skips one more per-message cost of Django's SMTP backend: parsing the
sender's and the recipient's addresses again for the envelope (sanitize_address, as long as
the rest of the email's CPU together). The sender's is worked out once per address, and the
recipient's is a plain address (the same check `fill` makes) that sanitize_address leaves as
it is; the SMTP conversation is the one the backend would have had.
"""

from __future__ import annotations

import random
import re
import smtplib
from email.utils import formatdate, make_msgid
from functools import lru_cache

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.core.mail.backends.smtp import EmailBackend as SmtpEmailBackend
from django.core.mail.message import RFC5322_EMAIL_LINE_LENGTH_LIMIT, sanitize_address
from django.core.mail.utils import DNS_NAME

CRLF = b"\r\n"
# An address Django's sanitize_address leaves as it is: dot-atoms of ASCII letters, digits and
# the usual symbols on both sides (no display name, no quoting, no IDN to encode, no domain
# label longer than IDNA allows).
_ATOM = r"[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+"
_LABEL = r"[A-Za-z0-9-]{1,63}"
_PLAIN_ADDRESS = re.compile(rf"{_ATOM}(\.{_ATOM})*@{_LABEL}(\.{_LABEL})*")
_BOUNDARY_DIGITS = 19  # as the email package makes them: "=" * 15 + 19 digits + "=="


class PrebuiltEmail(EmailMultiAlternatives):
    """An email whose MIME bytes are already made: message() hands them to the SMTP backend.
    Every other attribute is an ordinary EmailMultiAlternatives' (what Anymail and the tests'
    outbox read)."""

    prebuilt: bytes = b""

    def message(self):
        return _MimeBytes(self.prebuilt)

    def send(self, fail_silently=False):
        """What Django's SMTP backend does with one message (send_messages, then _send), with
        the envelope's addresses worked out ahead (see the module docstring)."""
        backend = self.get_connection(fail_silently)
        if not _plain_smtp_backend(backend) or not self.recipients():
            return super().send(fail_silently=fail_silently)
        encoding = self.encoding or settings.DEFAULT_CHARSET
        sender = _envelope_sender(self.from_email, encoding)
        recipients = [
            address if _PLAIN_ADDRESS.fullmatch(address) else sanitize_address(address, encoding)
            for address in self.recipients()
        ]
        with backend._lock:
            new_connection = backend.open()
            if not backend.connection or new_connection is None:
                return 0  # failed silently on open()
            try:
                backend.connection.sendmail(sender, recipients, self.prebuilt)
            except smtplib.SMTPException:
                if not backend.fail_silently:
                    raise
                return 0
            finally:
                if new_connection:
                    backend.close()
        return 1


def _plain_smtp_backend(backend) -> bool:
    """Django's own SMTP backend, or a subclass that sends as it does."""
    kind = type(backend)
    return (
        isinstance(backend, SmtpEmailBackend)
        and kind.send_messages is SmtpEmailBackend.send_messages
        and kind._send is SmtpEmailBackend._send
    )


@lru_cache(maxsize=16)
def _envelope_sender(from_email: str, encoding: str) -> str:
    return sanitize_address(from_email, encoding)


class _MimeBytes:
    """The one thing Django's SMTP backend asks of message(): its bytes."""

    def __init__(self, data: bytes):
        self._data = data

    def as_bytes(self, unixfrom: bool = False, linesep: str = "\n") -> bytes:
        return self._data if linesep == "\r\n" else self._data.replace(CRLF, linesep.encode())


def _new_boundary() -> str:
    return "=" * 15 + str(random.randrange(10**_BOUNDARY_DIGITS)).zfill(_BOUNDARY_DIGITS) + "=="


class MimeSkeleton:
    """An event's email as bytes with markers; `slots` maps each marker (str) to the slot name
    whose value replaces it (text markers take the raw value, HTML markers the escaped one)."""

    def __init__(self, message: EmailMultiAlternatives, *, to_marker: str, markers: dict[str, str]):
        mime = message.message()
        data = mime.as_bytes(linesep="\r\n")
        self._boundary = mime.get_boundary().encode()
        self._date = str(mime["Date"]).encode()
        self._message_id = str(mime["Message-ID"]).encode()
        self._to_marker = to_marker.encode()
        self._markers = {marker.encode(): key for marker, key in markers.items()}
        head, separator, body = data.partition(CRLF + CRLF)
        self._head, self._body = head + separator, body
        self.usable = (
            b"Content-Transfer-Encoding: quoted-printable" not in data
            and b"Content-Transfer-Encoding: base64" not in data
            and head.count(self._to_marker) == 1
            and CRLF + b"To: " + self._to_marker + CRLF in head + CRLF
            and CRLF + b"Date: " + self._date + CRLF in head + CRLF
            and CRLF + b"Message-ID: " + self._message_id + CRLF in head + CRLF
        )
        # The lines that grow when filled: (their length without markers, their markers).
        self._lines = [
            (
                len(line) - sum(len(m) * line.count(m) for m in found),
                [m for m in found for _ in range(line.count(m))],
            )
            for line in data.split(CRLF)
            if (found := [marker for marker in self._markers if marker in line])
        ]

    def fill(self, *, to: str, values: dict[str, str]) -> bytes | None:
        """The email's bytes for one member (`values`: each marker key's value), or None
        when Django would have made them otherwise (see the module docstring)."""
        if not self.usable or not all(_plain(value) for value in (to, *values.values())):
            return None
        if not _PLAIN_ADDRESS.fullmatch(to):  # anything else is left to Django's sanitize_address
            return None
        filled = {marker: values[key].encode() for marker, key in self._markers.items()}
        for length, markers in self._lines:
            if length + sum(len(filled[m]) for m in markers) > RFC5322_EMAIL_LINE_LENGTH_LIMIT:
                return None
        date = formatdate(localtime=settings.EMAIL_USE_LOCALTIME).encode()
        head = (
            self._head.replace(CRLF + b"Date: " + self._date, CRLF + b"Date: " + date, 1)
            .replace(
                CRLF + b"Message-ID: " + self._message_id,
                CRLF + b"Message-ID: " + make_msgid(domain=DNS_NAME).encode(),
                1,
            )
            .replace(CRLF + b"To: " + self._to_marker, CRLF + b"To: " + to.encode(), 1)
        )
        data = head + self._body
        for marker, value in filled.items():
            data = data.replace(marker, value)
        boundary = _new_boundary().encode()
        if boundary in data:  # as the email package does: a boundary the content never holds
            return None
        return data.replace(self._boundary, boundary)


def _plain(value: str) -> bool:
    return value.isascii() and "\r" not in value and "\n" not in value
