"""A real PostgreSQL for the store's tests, and database URLs for both engines.

``postgres`` (session): Debian's PostgreSQL binaries (``/usr/lib/postgresql/*/bin``) run ``initdb`` and
``pg_ctl start`` in a temporary folder on a free port, listening on 127.0.0.1 only; as root they run as
the unprivileged user ``nobody`` (PostgreSQL refuses root). Stopped (``pg_ctl stop -m immediate``) and
removed at the end. Skipped with the reason when the binaries are absent (``apt-get install
postgresql``), or ``QUOTE_WORKER_TEST_POSTGRES=URL`` names a server to use instead.

``database_url`` (function, parametrised ``sqlite`` / ``postgresql``): a fresh, empty database.
"""

from __future__ import annotations

import contextlib
import glob
import os
import shutil
import socket
import subprocess
import tempfile
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def postgres_binaries() -> Path | None:
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/pg_ctl"))
    return Path(found[-1]).parent if found else None


class Postgres:
    def __init__(self, base_url: str) -> None:
        self.base_url = base_url  # .../postgres

    def new_database(self) -> str:
        import psycopg

        name = f"qw_{uuid.uuid4().hex[:12]}"
        with psycopg.connect(self.base_url, autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{name}"')
        return self.base_url.rsplit("/", 1)[0] + f"/{name}"


class TemporaryPostgres:
    """A PostgreSQL server of Debian's binaries in a temporary folder, 127.0.0.1 only, on a free port;
    as root it runs as ``nobody`` (PostgreSQL refuses root). ``with TemporaryPostgres(bin_dir) as pg:``
    gives a ``Postgres``; the server is stopped (immediate) and its folder removed on exit. Also used by
    bench/store.py."""

    def __init__(self, bin_dir: Path) -> None:
        self.bin_dir = bin_dir
        self.base = Path(tempfile.mkdtemp(prefix="qw-postgres-"))
        self.as_user: list[str] = []
        if os.geteuid() == 0:
            shutil.chown(self.base, "nobody", "nogroup")
            self.as_user = ["runuser", "-u", "nobody", "--"]
        self.data = self.base / "data"
        self.port = _free_port()

    def _run(self, *cmd: str) -> None:
        subprocess.run([*self.as_user, *cmd], check=True, capture_output=True, timeout=120, cwd=self.base)

    def __enter__(self) -> Postgres:
        sockets = self.base / "sockets"
        try:
            self._run("mkdir", str(sockets))
            self._run(
                str(self.bin_dir / "initdb"), "-D", str(self.data), "-U", "postgres", "--auth=trust",
                "-E", "UTF8", "--locale=C.UTF-8",
            )  # fmt: skip
            options = f"-p {self.port} -k {sockets} -c listen_addresses=127.0.0.1 -c fsync=off"
            self._run(
                str(self.bin_dir / "pg_ctl"), "-D", str(self.data), "-o", options, "-l",
                str(self.base / "log"), "-w", "start",
            )  # fmt: skip
        except subprocess.CalledProcessError as exc:
            shutil.rmtree(self.base, ignore_errors=True)
            raise RuntimeError(
                f"could not start PostgreSQL: {exc.stderr.decode(errors='replace')[-2000:]}"
            ) from None
        return Postgres(f"postgresql://postgres@127.0.0.1:{self.port}/postgres")

    def __exit__(self, *exc: object) -> None:
        with contextlib.suppress(subprocess.SubprocessError):
            self._run(str(self.bin_dir / "pg_ctl"), "-D", str(self.data), "-m", "immediate", "-w", "stop")
        shutil.rmtree(self.base, ignore_errors=True)


@pytest.fixture(scope="session")
def postgres() -> Iterator[Postgres]:
    external = os.environ.get("QUOTE_WORKER_TEST_POSTGRES", "").strip()
    if external:
        yield Postgres(external)
        return
    pytest.importorskip(
        "psycopg", reason="psycopg 3 is not installed (pip install 'quote-worker[postgresql]')"
    )
    bin_dir = postgres_binaries()
    if bin_dir is None:
        pytest.skip("PostgreSQL is not installed (/usr/lib/postgresql/*/bin; apt-get install postgresql)")
    try:
        server = TemporaryPostgres(bin_dir)
        with server as running:
            yield running
    except RuntimeError as exc:
        pytest.fail(str(exc))


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'quotes.db'}"
    server: Postgres = request.getfixturevalue("postgres")
    return server.new_database()
