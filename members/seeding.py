"""Reading a list of initial memberships from a file of any size, one entry at a time.

`seedmembers --file` and INITIAL_MEMBERSHIPS_FILE take a JSON array (`[{"id": 1, ...}, ...]`)
or JSON Lines (one object per line). Neither is read whole: an environment variable cannot hold
a large list (Linux limits one to 128 KiB), and a file should not have to fit in memory.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import TextIO

from members.services import InitialMembership, initial_membership_parse

_READ_SIZE = 64 * 1024
# No membership entry is this long: beyond it, text that does not decode is an error.
_ENTRY_MAX_CHARS = 1024 * 1024
_DECODER = json.JSONDecoder()


class _Buffer:
    """Text read so far and not yet decoded; reads more on demand."""

    def __init__(self, stream: TextIO):
        self.stream = stream
        self.text = ""
        self.position = 0
        self.eof = False

    def more(self) -> bool:
        if self.eof:
            return False
        chunk = self.stream.read(_READ_SIZE)
        self.eof = not chunk
        self.text = self.text[self.position :] + chunk
        self.position = 0
        return bool(chunk)

    def next_char(self) -> str:
        """The next character that is not whitespace ("" at the end), not consumed."""
        while True:
            while self.position < len(self.text) and self.text[self.position].isspace():
                self.position += 1
            if self.position < len(self.text):
                return self.text[self.position]
            if not self.more():
                return ""

    def value(self) -> object:
        """The next JSON value; reads until it is complete."""
        self.next_char()  # raw_decode does not skip leading whitespace
        while True:
            try:
                value, end = _DECODER.raw_decode(self.text, self.position)
            except json.JSONDecodeError as exc:
                # Incomplete, or wrong: reading on tells them apart, up to one entry's bound.
                if len(self.text) - self.position < _ENTRY_MAX_CHARS and self.more():
                    continue
                raise ValueError(f"not valid JSON ({exc.msg})") from None
            if end == len(self.text) and not self.eof and isinstance(value, int | float):
                # A number at the end of the buffer may go on in the next read.
                if self.more():
                    continue
            self.position = end
            return value


def _array_items(buffer: _Buffer) -> Iterator[object]:
    buffer.position += 1  # the "["
    if buffer.next_char() == "]":
        buffer.position += 1
    else:
        while True:
            yield buffer.value()
            separator = buffer.next_char()
            buffer.position += 1
            if separator == "]":
                break
            if separator != ",":
                raise ValueError("not valid JSON (expected , or ] between the entries)")
    if buffer.next_char():
        raise ValueError("not valid JSON (text after the closing ])")


def _lines_items(buffer: _Buffer) -> Iterator[object]:
    while buffer.next_char():
        yield buffer.value()


def memberships_read(stream: TextIO, *, source: str) -> Iterator[InitialMembership]:
    """Each entry of a JSON array or JSON Lines stream, validated; a ValueError names `source`
    and the entry's index."""
    buffer = _Buffer(stream)
    items = _array_items(buffer) if buffer.next_char() == "[" else _lines_items(buffer)
    index = 0
    try:
        for index, entry in enumerate(items):
            yield initial_membership_parse(entry, f"{source}[{index}]")
    except ValueError as exc:
        if str(exc).startswith("not valid JSON"):
            raise ValueError(f"{source} is {exc} near entry {index}") from None
        raise
