"""A throwaway PostgreSQL primary and its streaming replica, for tests of the replica router.

``streaming_pair()`` makes both in a temporary directory of their own on free ports of 127.0.0.1
(so workers running in parallel do not meet), and stops and removes them afterwards whatever
happens. PostgreSQL refuses to run as root, so as root the binaries run as the ``postgres`` user.
``unavailable()`` says why the pair cannot be made here, or None when it can.
"""

import contextlib
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

PROGRAMS = ("initdb", "pg_ctl", "pg_basebackup", "postgres", "psql")
OS_USER = "postgres"
DATABASE = "graduated"


def _bin_dir() -> Path | None:
    """The newest PostgreSQL's binaries (Debian keeps them in /usr/lib/postgresql/<version>/bin)."""
    candidates = sorted(Path("/usr/lib/postgresql").glob("*/bin"), key=lambda p: int(p.parent.name), reverse=True)
    for directory in candidates:
        if all((directory / program).exists() for program in PROGRAMS):
            return directory
    initdb = shutil.which("initdb")
    if initdb and all(shutil.which(program) for program in PROGRAMS):
        return Path(initdb).parent
    return None


def _as_root() -> bool:
    return os.geteuid() == 0


def unavailable() -> str | None:
    if _bin_dir() is None:
        return f"PostgreSQL's server binaries ({', '.join(PROGRAMS)}) are not installed"
    if _as_root():
        try:
            pwd.getpwnam(OS_USER)
        except KeyError:
            return f"running as root, and there is no {OS_USER!r} user to run PostgreSQL as"
        if shutil.which("runuser") is None:
            return "running as root, and there is no runuser to run PostgreSQL as another user"
    return None


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclass
class Server:
    data: Path
    port: int

    def url(self) -> str:
        return f"postgres://{OS_USER}@127.0.0.1:{self.port}/{DATABASE}"


class StreamingPair:
    def __init__(self, root: Path) -> None:
        bin_dir = _bin_dir()
        assert bin_dir is not None, unavailable()
        self.bin = bin_dir
        self.root = root
        self.started: list[Server] = []
        self.primary = Server(root / "primary", 0)
        self.replica = Server(root / "replica", 0)

    def run(self, program: str, *args: str, timeout: float = 30) -> str:
        command = [str(self.bin / program), *args]
        if _as_root():
            command = ["runuser", "-u", OS_USER, "--", *command]
        done = subprocess.run(command, cwd=self.root, capture_output=True, text=True, timeout=timeout, check=False)
        if done.returncode != 0:
            raise RuntimeError(f"{program} {' '.join(args)} failed ({done.returncode}):\n{done.stdout}{done.stderr}")
        return done.stdout

    def sql(self, server: Server, query: str, database: str = DATABASE) -> str:
        return self.run(
            "psql", "-X", "-qAt", "-h", "127.0.0.1", "-p", str(server.port), "-U", OS_USER, "-d", database, "-c", query
        ).strip()

    def _start(self, server: Server) -> None:
        """Start on a free port; another process may take the port between choosing and binding."""
        self.started.append(server)  # stopped at the end even if pg_ctl gave up waiting for it
        log = self.root / f"{server.data.name}.log"
        for attempt in range(3):
            server.port = _free_port()
            options = f"-p {server.port} -k {self.root} -c listen_addresses=127.0.0.1"
            try:
                self.run("pg_ctl", "start", "-w", "-t", "20", "-D", str(server.data), "-l", str(log), "-o", options)
                return
            except RuntimeError:
                self._stop(server)
                if attempt == 2:
                    raise RuntimeError(f"{server.data.name} would not start:\n{log.read_text()}") from None

    def _wait_until_it_answers(self, server: Server, deadline: float) -> None:
        while True:
            try:
                self.sql(server, "SELECT 1", database="postgres")
                return
            except RuntimeError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.1)

    def create(self) -> None:
        # Fast and disposable: nothing here needs to survive a crash of the machine.
        self.run(
            "initdb",
            "-D",
            str(self.primary.data),
            "-U",
            OS_USER,
            "--auth=trust",
            "--no-sync",
            "-E",
            "UTF8",
            "--locale=C.UTF-8",
        )
        with (self.primary.data / "postgresql.conf").open("a") as conf:
            conf.write("wal_level = replica\nmax_wal_senders = 4\nhot_standby = on\n")
            conf.write("fsync = off\nfull_page_writes = off\n")
        with (self.primary.data / "pg_hba.conf").open("a") as hba:
            hba.write(f"host replication {OS_USER} 127.0.0.1/32 trust\n")
        self._start(self.primary)
        self.sql(self.primary, f"CREATE DATABASE {DATABASE}", database="postgres")
        # -R writes standby.signal and primary_conninfo: the copy starts as a streaming replica.
        self.run(
            "pg_basebackup",
            "-h",
            "127.0.0.1",
            "-p",
            str(self.primary.port),
            "-U",
            OS_USER,
            "-D",
            str(self.replica.data),
            "-R",
            "--checkpoint=fast",
            "--wal-method=stream",
            "--no-sync",
        )
        self._start(self.replica)
        deadline = time.monotonic() + 20
        for server in (self.primary, self.replica):
            self._wait_until_it_answers(server, deadline)
        assert self.sql(self.replica, "SELECT pg_is_in_recovery()") == "t"
        while self.sql(self.primary, "SELECT count(*) FROM pg_stat_replication WHERE state = 'streaming'") != "1":
            if time.monotonic() > deadline:
                raise RuntimeError("the replica did not start streaming from the primary")
            time.sleep(0.1)

    def _stop(self, server: Server) -> None:
        with contextlib.suppress(Exception):
            self.run("pg_ctl", "stop", "-m", "immediate", "-w", "-D", str(server.data))

    def stop(self) -> None:
        for server in reversed(self.started):
            self._stop(server)
        self.started.clear()


@contextlib.contextmanager
def streaming_pair() -> Iterator[StreamingPair]:
    root = Path(tempfile.mkdtemp(prefix="graduated-replica-"))
    try:
        if _as_root():
            entry = pwd.getpwnam(OS_USER)
            os.chown(root, entry.pw_uid, entry.pw_gid)
        pair = StreamingPair(root)
        try:
            pair.create()
            yield pair
        finally:
            pair.stop()
    finally:
        shutil.rmtree(root, ignore_errors=True)
