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


def _bin_dir() -> Path | None:
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


@pytest.fixture(scope="session")
def postgres() -> Iterator[Postgres]:
    external = os.environ.get("QUOTE_WORKER_TEST_POSTGRES", "").strip()
    if external:
        yield Postgres(external)
        return
    pytest.importorskip(
        "psycopg", reason="psycopg 3 is not installed (pip install 'quote-worker[postgresql]')"
    )
    bin_dir = _bin_dir()
    if bin_dir is None:
        pytest.skip("PostgreSQL is not installed (/usr/lib/postgresql/*/bin; apt-get install postgresql)")
    base = Path(tempfile.mkdtemp(prefix="qw-postgres-"))
    as_user: list[str] = []
    if os.geteuid() == 0:  # PostgreSQL will not run as root
        shutil.chown(base, "nobody", "nogroup")
        as_user = ["runuser", "-u", "nobody", "--"]
    data, sockets = base / "data", base / "sockets"
    port = _free_port()

    def run(*cmd: str) -> None:
        subprocess.run([*as_user, *cmd], check=True, capture_output=True, timeout=120, cwd=base)

    try:
        run("mkdir", str(sockets))
        run(
            str(bin_dir / "initdb"),
            "-D",
            str(data),
            "-U",
            "postgres",
            "--auth=trust",
            "-E",
            "UTF8",
            "--locale=C.UTF-8",
        )
        options = f"-p {port} -k {sockets} -c listen_addresses=127.0.0.1 -c fsync=off"
        run(str(bin_dir / "pg_ctl"), "-D", str(data), "-o", options, "-l", str(base / "log"), "-w", "start")
    except subprocess.CalledProcessError as exc:
        shutil.rmtree(base, ignore_errors=True)
        pytest.fail(f"could not start PostgreSQL: {exc.stderr.decode(errors='replace')[-2000:]}")
    try:
        yield Postgres(f"postgresql://postgres@127.0.0.1:{port}/postgres")
    finally:
        with contextlib.suppress(subprocess.SubprocessError):
            run(str(bin_dir / "pg_ctl"), "-D", str(data), "-m", "immediate", "-w", "stop")
        shutil.rmtree(base, ignore_errors=True)


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'quotes.db'}"
    server: Postgres = request.getfixturevalue("postgres")
    return server.new_database()
