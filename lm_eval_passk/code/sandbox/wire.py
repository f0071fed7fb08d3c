"""Frames from the sandboxed child, decoded without trusting them.

A frame is ``kind(1 byte) | length(4 bytes, little endian) | pickle``. The pickle
is read by an unpickler that builds plain data only: it refuses every class
except a few value types, so a program cannot make the parent run code or build
objects whose ``__eq__`` lies.
"""

from __future__ import annotations

import io
import pickle
import struct
from collections.abc import Iterator

HEADER = struct.Struct("<I")
MAX_FRAME_BYTES = 64 << 20

# Classes a pickle of plain data may name; each builds a value from values.
_VALUE_CLASSES = {
    ("builtins", "complex"),
    ("builtins", "set"),
    ("builtins", "frozenset"),
    ("fractions", "Fraction"),
    ("decimal", "Decimal"),
    ("collections", "OrderedDict"),
}


class ProtocolError(Exception):
    """The child sent something that is not a well-formed frame of plain data."""


class _DataUnpickler(pickle.Unpickler):
    def find_class(self, module: str, name: str):
        if (module, name) not in _VALUE_CLASSES:
            raise pickle.UnpicklingError(f"refused to build {module}.{name}")
        return super().find_class(module, name)


def loads_data(data: bytes):
    """Unpickle plain data (numbers, strings, containers); refuse anything else."""
    return _DataUnpickler(io.BytesIO(data)).load()


class FrameReader:
    """Accumulates bytes from the child and yields complete ``(kind, payload bytes)``."""

    def __init__(self) -> None:
        self._buffer = bytearray()

    def feed(self, chunk: bytes) -> Iterator[tuple[bytes, bytes]]:
        self._buffer += chunk
        while len(self._buffer) >= 1 + HEADER.size:
            (length,) = HEADER.unpack_from(self._buffer, 1)
            if length > MAX_FRAME_BYTES:
                raise ProtocolError(f"frame of {length} bytes is over the {MAX_FRAME_BYTES}-byte limit")
            end = 1 + HEADER.size + length
            if len(self._buffer) < end:
                return
            kind, payload = bytes(self._buffer[:1]), bytes(self._buffer[1 + HEADER.size:end])
            del self._buffer[:end]
            yield kind, payload
