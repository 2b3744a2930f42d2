"""Virus scanning through clamd, against a small clamd of our own on a temporary UNIX socket: a real
server thread speaking the INSTREAM protocol, since the machines that run the tests have no virus
definitions for a real clamd (they come from the internet)."""

import logging
import shutil
import socket
import struct
import tempfile
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import Client
from django.urls import reverse
from pytest_django.fixtures import Settings

from graduated.documents.models import Document
from graduated.documents.safety import VIRUS_UNAVAILABLE
from graduated.documents.tests.files import PDF_BYTES, upload
from graduated.lib import clamd
from graduated.lib.testing import World


@dataclass
class FakeClamd:
    """Answers each INSTREAM with ``reply`` (or nothing, when ``reply`` is None), and keeps what it got."""

    path: str
    reply: bytes | None = b"stream: OK"
    received: list[bytes] = field(default_factory=list)
    chunk_sizes: list[int] = field(default_factory=list)
    stopped: threading.Event = field(default_factory=threading.Event)

    def serve(self, listener: socket.socket) -> None:
        while True:
            try:
                connection, _ = listener.accept()
            except OSError:  # the listener was closed: the test is over
                return
            with connection:
                self._answer(connection)

    def _answer(self, connection: socket.socket) -> None:
        reader = connection.makefile("rb")
        if reader.read(len(b"zINSTREAM\0")) != b"zINSTREAM\0":
            connection.sendall(b"UNKNOWN COMMAND\0")
            return
        data = bytearray()
        while (size := struct.unpack(">I", reader.read(4))[0]) != 0:
            self.chunk_sizes.append(size)
            data += reader.read(size)
        self.received.append(bytes(data))
        if self.reply is None:
            self.stopped.wait(10)  # hung: says nothing until the client gives up and the test ends
            return
        connection.sendall(self.reply + b"\0")


@pytest.fixture
def fake_clamd() -> Iterator[FakeClamd]:
    # Not pytest's tmp_path: a UNIX socket's path must fit in 108 bytes.
    directory = tempfile.mkdtemp(prefix="clamd-")
    server = FakeClamd(path=str(Path(directory) / "clamd.sock"))
    listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    listener.bind(server.path)
    listener.listen()
    thread = threading.Thread(target=server.serve, args=(listener,), daemon=True)
    thread.start()
    yield server
    server.stopped.set()
    listener.shutdown(socket.SHUT_RDWR)
    listener.close()
    thread.join(timeout=10)
    shutil.rmtree(directory)


def test_the_client_sends_the_file_in_chunks_and_reads_ok(fake_clamd: FakeClamd) -> None:
    content = bytes(range(256)) * 1000  # 256,000 bytes: four chunks
    verdict = clamd.scan([content[:100], content[100:]], socket_path=fake_clamd.path, timeout=5)
    assert verdict == clamd.Verdict(infected=False)
    assert fake_clamd.received == [content]
    assert max(fake_clamd.chunk_sizes) <= clamd.CHUNK_BYTES


def test_the_client_reports_what_clamd_found(fake_clamd: FakeClamd) -> None:
    fake_clamd.reply = b"stream: Win.Test.EICAR_HDB-1 FOUND"
    assert clamd.scan([b"x"], socket_path=fake_clamd.path, timeout=5) == clamd.Verdict(True, "Win.Test.EICAR_HDB-1")


@pytest.mark.parametrize("reply", [b"INSTREAM size limit exceeded. ERROR", b"", b"stream: something odd"])
def test_an_answer_that_is_no_verdict_is_unavailable(fake_clamd: FakeClamd, reply: bytes) -> None:
    fake_clamd.reply = reply
    with pytest.raises(clamd.ScannerUnavailableError):
        clamd.scan([b"x"], socket_path=fake_clamd.path, timeout=5)


def test_a_clamd_that_does_not_answer_in_time_is_unavailable(fake_clamd: FakeClamd) -> None:
    fake_clamd.reply = None
    with pytest.raises(clamd.ScannerUnavailableError, match="timed out"):
        clamd.scan([b"x"], socket_path=fake_clamd.path, timeout=0.5)


# Through the upload page, as a SENCO meets it.


@pytest.fixture
def senco(world: World, client_for: Callable[..., Client]) -> Client:
    return client_for(world.senco_a)


def _post(client: Client, world: World) -> tuple[int, str]:
    response = client.post(
        reverse("documents:list", args=[world.p1.pk]),
        {"file": upload("report.pdf", PDF_BYTES), "title": "Report", "kind": "report", "dated_0": "2",
         "dated_1": "10", "dated_2": "2026"},
    )  # fmt: skip
    return response.status_code, response.content.decode().replace("&#x27;", "'")


def test_with_clamd_configured_every_upload_is_scanned(
    senco: Client, world: World, fake_clamd: FakeClamd, settings: Settings
) -> None:
    settings.CLAMD_SOCKET = fake_clamd.path
    assert _post(senco, world)[0] == 302
    assert fake_clamd.received == [PDF_BYTES]
    assert Document.objects.get().file.read() == PDF_BYTES


def test_a_virus_clamd_finds_is_refused(senco: Client, world: World, fake_clamd: FakeClamd, settings: Settings) -> None:
    settings.CLAMD_SOCKET = fake_clamd.path
    fake_clamd.reply = b"stream: Pdf.Exploit.Fake-1 FOUND"
    status, body = _post(senco, world)
    assert status == 400
    assert "A virus was found in the file (Pdf.Exploit.Fake-1). Nothing has been uploaded." in body
    assert not Document.objects.exists()


def test_uploads_are_refused_while_clamd_is_unreachable(
    senco: Client, world: World, settings: Settings, caplog: pytest.LogCaptureFixture
) -> None:
    directory = tempfile.mkdtemp(prefix="clamd-")
    settings.CLAMD_SOCKET = str(Path(directory) / "nobody-listens.sock")
    with caplog.at_level(logging.ERROR, logger="graduated.documents.safety"):
        status, body = _post(senco, world)
    shutil.rmtree(directory)
    assert status == 400
    assert VIRUS_UNAVAILABLE in body
    assert not Document.objects.exists()
    assert any("Virus check unavailable" in record.getMessage() for record in caplog.records)


def test_without_clamd_configured_nothing_is_asked(senco: Client, world: World, fake_clamd: FakeClamd) -> None:
    assert _post(senco, world)[0] == 302
    assert fake_clamd.received == []


def _check_install() -> str:
    out = StringIO()
    call_command("check_install", stdout=out)
    return out.getvalue()


def test_graduated_check_asks_clamd(db: None, fake_clamd: FakeClamd, settings: Settings) -> None:
    settings.DEBUG = True  # the deployment checks, which the suite's settings fail, stay out
    settings.CLAMD_SOCKET = fake_clamd.path
    assert f"Virus scanning: ok (clamd at {fake_clamd.path})" in _check_install()
    assert fake_clamd.received == [b""]
    settings.CLAMD_SOCKET = fake_clamd.path + ".missing"
    with pytest.raises(CommandError, match="Virus scanning: clamd does not answer"):
        _check_install()
