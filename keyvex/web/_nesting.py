"""A linear, chunk-by-chunk scan of a request body for JSON nesting depth, before any parsing.

``json.loads`` recurses once per open array or object, so 15 KB of ``{"a":`` exhausts the
interpreter's stack (a ``RecursionError``, not a ``ValueError``). Counting brackets outside
strings needs no recursion and no copy of the body, so it runs on the raw bytes as they arrive.
"""

from __future__ import annotations

import re

from keyvex.errors import Invalid

MAX_DEPTH = 64

# The rest of a string from just after its opening quote: stops at the closing quote, or at a
# backslash that is the chunk's last byte (its escaped character arrives with the next chunk).
_STRING_REST = re.compile(rb'[^"\\]*(?:\\.[^"\\]*)*', re.DOTALL)
_NOT_BRACKETS = bytes(b for b in range(256) if b not in b"[]{}")
_OPENERS = frozenset(b"[{")
# json.loads(bytes) reads UTF-16 and UTF-32 (a BOM, or a zero byte among the first two); their
# code units can hide a quote or a bracket inside a character, so only UTF-8 is scanned.
_WIDE_STARTS = (b"\x00", b"\xfe\xff", b"\xff\xfe")


class NestingScanner:
    """Feeds a body's chunks in order; ``feed`` raises Invalid as soon as the limit is passed.

    Closing brackets with nothing open (not JSON anyway) earn no credit, so a multipart body
    cannot pay for a deep document in one part with stray closers in another.
    """

    def __init__(self, limit: int = MAX_DEPTH) -> None:
        self.limit = limit
        self.depth = 0
        self.in_string = False
        self.escaped = False
        self.head = b""

    def feed(self, chunk: bytes, *, last: bool = False) -> None:
        """Scan the next chunk; ``last`` says no chunk follows, so no state need be kept."""
        if len(self.head) < 2:
            self.head += chunk[: 2 - len(self.head)]
            if self.head.startswith(_WIDE_STARTS) or self.head[1:] == b"\x00":
                raise Invalid("Send the request body as UTF-8 text.")
        if last and self.depth + chunk.count(b"[") + chunk.count(b"{") <= self.limit:
            return  # even if every bracket opened, the limit holds (most bodies: one chunk)
        at, end = 0, len(chunk)
        while at < end:
            if self.escaped:
                at, self.escaped = at + 1, False
            elif self.in_string:
                at = self._skip_string(chunk, at)
            else:
                quote = chunk.find(b'"', at)
                stop = end if quote < 0 else quote
                self._count(chunk[at:stop])
                at, self.in_string = stop + 1, quote >= 0

    def _skip_string(self, chunk: bytes, at: int) -> int:
        match = _STRING_REST.match(chunk, at)
        assert match is not None  # the pattern matches the empty string
        stop = match.end()
        if stop < len(chunk):
            # A quote ends the string; otherwise a backslash ends the chunk mid-escape.
            self.in_string = chunk[stop] != ord('"')
            self.escaped = self.in_string
        return stop + 1

    def _count(self, segment: bytes) -> None:
        depth = self.depth
        for byte in segment.translate(None, _NOT_BRACKETS):
            if byte in _OPENERS:
                depth += 1
                if depth > self.limit:
                    raise Invalid(
                        f"The JSON in the request nests deeper than {self.limit} levels; "
                        "send a flatter document."
                    )
            elif depth:
                depth -= 1
        self.depth = depth
