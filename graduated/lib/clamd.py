"""A client for ClamAV's daemon, clamd, over its UNIX socket: the INSTREAM command.

The protocol is small enough to speak here rather than add a dependency: send ``zINSTREAM\\0``,
then the file in chunks, each after its length as four big-endian bytes, then a zero length; clamd
answers one NUL-terminated line, ``stream: OK``, ``stream: <signature> FOUND`` or ``... ERROR``.
"""

import contextlib
import socket
import struct
from collections.abc import Iterable
from dataclasses import dataclass

CHUNK_BYTES = 64 * 1024
_MAX_REPLY_BYTES = 4096


class ScannerUnavailableError(Exception):
    """clamd could not be asked, or could not answer: the file is unchecked."""


@dataclass(frozen=True)
class Verdict:
    infected: bool
    signature: str = ""


def scan(chunks: Iterable[bytes], *, socket_path: str, timeout: float) -> Verdict:
    """What clamd at ``socket_path`` makes of the bytes in ``chunks``."""
    try:
        with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as connection:
            connection.settimeout(timeout)
            connection.connect(socket_path)
            # clamd hangs up mid-stream when the file passes its StreamMaxLength, having said why:
            # read that below rather than report a broken pipe.
            with contextlib.suppress(BrokenPipeError):
                _send(connection, chunks)
            reply = _receive(connection)
    except OSError as error:  # refused, missing socket, timeout, reset
        raise ScannerUnavailableError(f"clamd at {socket_path}: {error}") from error
    return _verdict(reply)


def _send(connection: socket.socket, chunks: Iterable[bytes]) -> None:
    connection.sendall(b"zINSTREAM\0")
    for chunk in chunks:
        for start in range(0, len(chunk), CHUNK_BYTES):
            piece = chunk[start : start + CHUNK_BYTES]
            connection.sendall(struct.pack(">I", len(piece)) + piece)
    connection.sendall(struct.pack(">I", 0))


def _receive(connection: socket.socket) -> str:
    reply = b""
    while b"\0" not in reply and len(reply) < _MAX_REPLY_BYTES:
        data = connection.recv(_MAX_REPLY_BYTES)
        if not data:
            break
        reply += data
    return reply.split(b"\0", 1)[0].decode("utf-8", "replace").strip()


def _verdict(reply: str) -> Verdict:
    if reply == "stream: OK":
        return Verdict(infected=False)
    if reply.startswith("stream: ") and reply.endswith(" FOUND"):
        return Verdict(infected=True, signature=reply.removeprefix("stream: ").removesuffix(" FOUND"))
    # "INSTREAM size limit exceeded. ERROR", "... ERROR", an empty line: no verdict at all.
    raise ScannerUnavailableError(f"clamd answered {reply!r}")
