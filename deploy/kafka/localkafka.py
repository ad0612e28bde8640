"""A real Apache Kafka broker on this machine, from Maven Central jars: no Docker, no tarball.

``deploy/kafka/kafka-local`` is the command line; the pytest fixtures (tests/kafka_fixtures.py) import
this module too, so both start the broker the same way:

* ``fetch``: ``mvn dependency:copy-dependencies`` (pom.xml beside this file) copies the broker's jars
  into a cache outside the repository, ``~/.cache/quote-worker/kafka-<version>/lib`` (env
  ``KAFKA_LOCAL_CACHE`` moves the ``~/.cache/quote-worker`` part). Done once per version and machine.
* ``up``: fetch if needed, render ``server.properties`` (KRaft, broker and controller in one process, on
  127.0.0.1), format the storage once, start ``java -cp '<lib>/*' kafka.Kafka`` in its own process
  group in the background, and wait until a kafka-python client gets the cluster's metadata.
  A second ``up`` on a running broker only checks that it answers.
* ``down``: SIGTERM to the broker's process group (a clean shutdown), SIGKILL if it is not gone in
  time; returns when no process of it is left.
* ``status``, ``logs``: what it says on the tin.

Only the standard library and kafka-python (imported when needed) are used.
"""

from __future__ import annotations

import argparse
import base64
import contextlib
import fcntl
import hashlib
import json
import os
import shutil
import signal
import socket
import string
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
POM = HERE / "pom.xml"
TEMPLATE = HERE / "server.properties.template"
LOG4J2_CONFIG = HERE / "log4j2.properties"

DEFAULT_VERSION = "4.1.1"
DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 9092
DEFAULT_CONTROLLER_PORT = 9093
DEFAULT_HEAP = "512m"
DEFAULT_START_TIMEOUT = 90.0
# A development broker on a small machine: start fast rather than peak throughput.
# Measured on 2 busy cores: C1 only and the serial GC start ~40% faster than G1 with C2, and the
# class-data archive (below) takes off another ~40%. Override with KAFKA_LOCAL_JVM_OPTS.
DEFAULT_JVM_OPTS = ("-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1")
DEFAULT_STOP_TIMEOUT = 30.0

# Names of the files kept in a broker's data directory.
PROPERTIES_FILE = "server.properties"
SETTINGS_FILE = "kafka-local.json"  # every setting of the last start, so a later `up` keeps them
PID_FILE = "broker.pid"
STDOUT_FILE = "broker.out"
LOGS_DIR = "logs"
STORAGE_DIR = "kraft-logs"
CDS_PENDING_FILE = "cds-pending"


class KafkaLocalError(RuntimeError):
    """Something the user has to act on: a message worth printing, not a traceback."""


class PortInUse(KafkaLocalError):
    """A port the broker needs is taken by another process; ``kafka-local`` exits with EXIT_PORT_IN_USE,
    so that a caller (``make demo``) can say how to choose another."""


EXIT_PORT_IN_USE = 4


def repo_root() -> Path:
    return HERE.parent.parent


def default_data_dir() -> Path:
    return Path(os.environ.get("KAFKA_LOCAL_DIR") or repo_root() / ".kafka-local")


def cache_root() -> Path:
    explicit = os.environ.get("KAFKA_LOCAL_CACHE")
    if explicit:
        return Path(explicit).expanduser()
    xdg = os.environ.get("XDG_CACHE_HOME")
    return (Path(xdg) if xdg else Path.home() / ".cache") / "quote-worker"


def kafka_version() -> str:
    return os.environ.get("KAFKA_LOCAL_VERSION") or DEFAULT_VERSION


def lib_dir(version: str | None = None) -> Path:
    return cache_root() / f"kafka-{version or kafka_version()}" / "lib"


def _env_int(name: str, default: int) -> int:
    value = os.environ.get(name)
    return int(value) if value else default


# --------------------------------------------------------------------------------------------- jars


def _find_tool(name: str, env_home: str | None = None) -> str:
    if env_home:
        home = os.environ.get(env_home)
        if home and (Path(home) / "bin" / name).exists():
            return str(Path(home) / "bin" / name)
    found = shutil.which(name)
    if not found:
        raise KafkaLocalError(f"`{name}` not found on PATH: the local Kafka broker needs Java 17+ and Maven")
    return found


def java_executable() -> str:
    return _find_tool("java", "JAVA_HOME")


def jars_present(version: str | None = None) -> bool:
    lib = lib_dir(version)
    return (lib.parent / ".complete").exists() and any(lib.glob("kafka_2.13-*.jar"))


@contextlib.contextmanager
def _file_lock(path: Path) -> Iterator[None]:
    """An exclusive lock between processes (two test sessions, CI and a developer)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def fetch(version: str | None = None, *, quiet: bool = True, force: bool = False) -> Path:
    """Resolve the broker's jars into the cache (once); return the lib directory."""
    version = version or kafka_version()
    lib = lib_dir(version)
    if jars_present(version) and not force:
        return lib
    with _file_lock(lib.parent / ".lock"):
        if jars_present(version) and not force:  # another process fetched while we waited
            return lib
        mvn = _find_tool("mvn", "MAVEN_HOME")
        partial = lib.parent / "lib.partial"
        shutil.rmtree(partial, ignore_errors=True)
        cmd = [
            mvn,
            "-B",
            "-f",
            str(POM),
            f"-Dkafka.version={version}",
            f"-DoutputDirectory={partial}",
            "dependency:copy-dependencies",
        ]
        if quiet:
            cmd.insert(2, "-q")
        print(f"kafka-local: resolving Apache Kafka {version} jars into {lib} (Maven)", file=sys.stderr)
        started = time.monotonic()
        result = subprocess.run(
            cmd, cwd=HERE, stdin=subprocess.DEVNULL, capture_output=quiet, text=True, check=False
        )
        if result.returncode != 0:
            detail = (result.stdout or "")[-3000:] + (result.stderr or "")[-2000:] if quiet else ""
            raise KafkaLocalError(
                f"Maven could not resolve Kafka {version} (exit {result.returncode})\n{detail}"
            )
        if not any(partial.glob("kafka_2.13-*.jar")):
            raise KafkaLocalError(f"Maven finished but {partial} has no kafka_2.13 jar")
        shutil.rmtree(lib, ignore_errors=True)
        for archive in lib.parent.glob("broker-*.jsa*"):  # class archives of the old jars
            archive.unlink()
        partial.rename(lib)
        (lib.parent / ".complete").write_text(f"{version}\n")
        print(f"kafka-local: jars ready in {time.monotonic() - started:.1f}s", file=sys.stderr)
    return lib


def jvm_options() -> list[str]:
    opts = os.environ.get("KAFKA_LOCAL_JVM_OPTS")
    return opts.split() if opts is not None else list(DEFAULT_JVM_OPTS)


def cds_archive(version: str | None = None) -> Path | None:
    """Where the broker's class-data archive lives for this Kafka version, JVM and options; None
    when disabled (KAFKA_LOCAL_CDS=0)."""
    if os.environ.get("KAFKA_LOCAL_CDS", "1").lower() in ("0", "false", "no", "off"):
        return None
    try:
        java = Path(java_executable()).resolve()
        stamp = f"{java}:{java.stat().st_mtime_ns}:{' '.join(jvm_options())}"
    except (OSError, KafkaLocalError):
        return None
    digest = hashlib.sha256(stamp.encode()).hexdigest()[:12]
    return lib_dir(version).parent / f"broker-{digest}.jsa"


# ----------------------------------------------------------------------------------------- helpers


def free_port(host: str = DEFAULT_HOST) -> int:
    """A TCP port nobody listens on right now (the kernel's pick)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((host, 0))
        return int(sock.getsockname()[1])


def port_open(host: str, port: int, timeout: float = 0.5) -> bool:
    try:
        with socket.create_connection((host, port), timeout=timeout):
            return True
    except OSError:
        return False


def random_cluster_id() -> str:
    """A Kafka cluster id: 16 random bytes, URL-safe base64 without padding, not starting with '-'."""
    while True:
        text = base64.urlsafe_b64encode(uuid.uuid4().bytes).decode().rstrip("=")
        if not text.startswith("-"):
            return text


def _pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return _not_zombie(pid)


def _not_zombie(pid: int) -> bool:
    """False for a zombie. A thread-group leader shows 'Z' as soon as its own thread has exited while
    the JVM's other threads still shut down: that process is still alive."""
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (OSError, IndexError):
        return False
    if state != "Z":
        return True
    try:
        return len(os.listdir(f"/proc/{pid}/task")) > 1
    except OSError:
        return False


def _cmdline(pid: int) -> list[str]:
    try:
        raw = Path(f"/proc/{pid}/cmdline").read_bytes()
    except OSError:
        return []
    return [part.decode(errors="replace") for part in raw.split(b"\0") if part]


def _group_members(pgid: int) -> list[int]:
    """Live processes whose process group is ``pgid`` (Linux /proc)."""
    members = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except (OSError, IndexError):
            continue
        # fields after the command name: state ppid pgrp ...
        if int(fields[2]) == pgid and (fields[0] != "Z" or _not_zombie(int(entry.name))):
            members.append(int(entry.name))
    return members


def tail(path: Path, lines: int = 80) -> str:
    try:
        with path.open("rb") as handle:
            handle.seek(0, os.SEEK_END)
            size = handle.tell()
            handle.seek(max(0, size - 256 * lines))
            data = handle.read().decode(errors="replace")
    except OSError:
        return ""
    return "\n".join(data.splitlines()[-lines:])


def admin_client(bootstrap_servers: str, timeout: float = 10.0, client_id: str = "kafka-local") -> Any:
    """A kafka-python ``KafkaAdminClient`` (2.x or 3.x) that gives up connecting after ``timeout``."""
    from kafka import KafkaAdminClient

    ms = int(timeout * 1000)
    options: dict[str, Any] = {"bootstrap_servers": bootstrap_servers, "client_id": client_id}
    known = getattr(KafkaAdminClient, "DEFAULT_CONFIG", {})
    options["request_timeout_ms"] = ms
    for key in ("bootstrap_timeout_ms", "api_version_auto_timeout_ms"):  # 3.x, 2.x
        if key in known:
            options[key] = ms
    return KafkaAdminClient(**options)


def metadata_ok(bootstrap_servers: str, timeout: float = 5.0) -> bool:
    """True when a kafka-python client gets the cluster's metadata (brokers and a controller)."""
    from kafka.errors import KafkaConfigurationError, KafkaError

    host, _, port = bootstrap_servers.split(",")[0].rpartition(":")
    if not port_open(host or DEFAULT_HOST, int(port)):
        return False
    try:
        admin = admin_client(bootstrap_servers, timeout, client_id="kafka-local-probe")
    except KafkaConfigurationError:
        raise
    except (KafkaError, OSError):
        return False
    try:
        cluster = admin.describe_cluster()
        admin.list_topics()
        brokers = cluster.get("brokers") if isinstance(cluster, dict) else None
        return bool(brokers)
    except KafkaConfigurationError:
        raise
    except (KafkaError, OSError):
        return False
    finally:
        with contextlib.suppress(Exception):
            admin.close()


# ------------------------------------------------------------------------------------------ broker


@dataclass
class LocalKafka:
    """One single-node KRaft broker whose files all live in ``data_dir``.

    The same ``data_dir`` and ports may be started, stopped and started again; the topics and their
    records survive (the storage is formatted only once)."""

    data_dir: Path = field(default_factory=default_data_dir)
    port: int = DEFAULT_PORT
    controller_port: int = DEFAULT_CONTROLLER_PORT
    host: str = DEFAULT_HOST
    version: str = field(default_factory=kafka_version)
    heap: str = DEFAULT_HEAP
    auto_create_topics: bool = False
    num_partitions: int = 3
    internal_partitions: int = 3
    extra_properties: Mapping[str, str] = field(default_factory=dict)
    # Ask the kernel to SIGTERM the broker when the starting process dies (tests: no orphan broker
    # if pytest is killed). Not for ``kafka-local up``, whose process exits right after the start.
    die_with_parent: bool = False

    def __post_init__(self) -> None:
        self.data_dir = Path(self.data_dir).resolve()
        self._proc: subprocess.Popen[bytes] | None = None
        self._cds_pending: Path | None = None

    # paths ------------------------------------------------------------------------------------
    @property
    def bootstrap_servers(self) -> str:
        return f"{self.host}:{self.port}"

    @property
    def properties_path(self) -> Path:
        return self.data_dir / PROPERTIES_FILE

    @property
    def pid_path(self) -> Path:
        return self.data_dir / PID_FILE

    @property
    def stdout_path(self) -> Path:
        return self.data_dir / STDOUT_FILE

    @property
    def logs_dir(self) -> Path:
        return self.data_dir / LOGS_DIR

    @property
    def server_log(self) -> Path:
        return self.logs_dir / "server.log"

    @property
    def storage_dir(self) -> Path:
        return self.data_dir / STORAGE_DIR

    # configuration ----------------------------------------------------------------------------
    def render_properties(self) -> str:
        text = string.Template(TEMPLATE.read_text()).substitute(
            host=self.host,
            port=self.port,
            controller_port=self.controller_port,
            log_dirs=self.storage_dir,
            num_partitions=self.num_partitions,
            internal_partitions=self.internal_partitions,
            auto_create_topics=str(self.auto_create_topics).lower(),
        )
        if self.extra_properties:
            text += "\n# --set overrides\n"
            text += "".join(f"{key}={value}\n" for key, value in self.extra_properties.items())
        return text

    @property
    def settings_path(self) -> Path:
        return self.data_dir / SETTINGS_FILE

    def settings(self) -> dict[str, Any]:
        """What ``up`` was given (ports, heap, auto-creation, partitions, every ``--set``)."""
        return {
            "host": self.host,
            "port": self.port,
            "controller_port": self.controller_port,
            "heap": self.heap,
            "auto_create_topics": self.auto_create_topics,
            "num_partitions": self.num_partitions,
            "extra_properties": dict(self.extra_properties),
        }

    def write_properties(self) -> None:
        self.data_dir.mkdir(parents=True, exist_ok=True)
        self.logs_dir.mkdir(exist_ok=True)
        self.properties_path.write_text(self.render_properties())
        self.settings_path.write_text(json.dumps(self.settings(), indent=2, sort_keys=True) + "\n")

    def _java_command(self, main_class: str, *args: str, heap: str | None = None) -> list[str]:
        lib = lib_dir(self.version)
        cmd = [java_executable()]
        if heap:
            cmd += [f"-Xms{heap}", f"-Xmx{heap}"]
        cmd += jvm_options()
        if main_class == "kafka.Kafka":
            cmd += self._cds_options()
        cmd += [
            "-Djava.awt.headless=true",
            f"-Dkafka.logs.dir={self.logs_dir}",
            f"-Dlog4j2.configurationFile={LOG4J2_CONFIG}",
            "-cp",
            f"{lib}/*",
            main_class,
            *args,
        ]
        return cmd

    # Class-data sharing: the first broker that stops cleanly leaves an archive of the classes it
    # loaded (-XX:ArchiveClassesAtExit); later starts map it (-XX:SharedArchiveFile) instead of
    # loading and verifying ~5000 classes again. One archive per Kafka version, JVM and options.
    def _cds_options(self) -> list[str]:
        archive = cds_archive(self.version)
        if archive is None:
            return []
        if archive.exists():
            return [f"-XX:SharedArchiveFile={archive}", "-Xlog:cds=off", "-Xlog:cds+dynamic=off"]
        self._cds_pending = archive.with_name(f"{archive.name}.{os.getpid()}-{time.monotonic_ns()}.tmp")
        # `kafka-local up` and `down` are two processes: the pending name is kept in the data dir.
        (self.data_dir / CDS_PENDING_FILE).write_text(f"{self._cds_pending}\n")
        return [f"-XX:ArchiveClassesAtExit={self._cds_pending}", "-Xlog:cds=off", "-Xlog:cds+dynamic=off"]

    def _finish_cds(self, clean: bool) -> None:
        """After the broker is gone: keep the archive it wrote at a clean exit, else drop it."""
        pending = self._cds_pending
        marker = self.data_dir / CDS_PENDING_FILE
        if pending is None:
            with contextlib.suppress(OSError):
                pending = Path(marker.read_text().strip())
        if pending is None:
            return
        self._cds_pending = None
        with contextlib.suppress(FileNotFoundError):
            marker.unlink()
        final = pending.with_name(pending.name.split(".jsa.", 1)[0] + ".jsa")
        if clean and pending.exists() and pending.stat().st_size > 0 and not final.exists():
            pending.replace(final)
        else:
            with contextlib.suppress(FileNotFoundError):
                pending.unlink()

    def formatted(self) -> bool:
        return (self.storage_dir / "meta.properties").exists()

    def format_storage(self) -> None:
        if self.formatted():
            return
        cmd = self._java_command(
            "kafka.tools.StorageTool",
            "format",
            "--config",
            str(self.properties_path),
            "--cluster-id",
            random_cluster_id(),
            "--ignore-formatted",
            heap="256m",
        )
        # The tool runs briefly: a lighter JIT makes it start faster.
        cmd.insert(1, "-XX:TieredStopAtLevel=1")
        result = subprocess.run(cmd, stdin=subprocess.DEVNULL, capture_output=True, text=True, check=False)
        if result.returncode != 0 or not self.formatted():
            raise KafkaLocalError(
                f"formatting the KRaft storage in {self.storage_dir} failed (exit {result.returncode}):\n"
                f"{result.stdout[-2000:]}{result.stderr[-2000:]}"
            )

    # process ----------------------------------------------------------------------------------
    def pid(self) -> int | None:
        """The broker's pid when one of ours runs for this data directory, else None."""
        if self._proc is not None and self._proc.poll() is None:
            return self._proc.pid
        try:
            pid = int(self.pid_path.read_text().split()[0])
        except (OSError, ValueError, IndexError):
            return None
        if not _pid_alive(pid):
            return None
        cmdline = _cmdline(pid)
        if "kafka.Kafka" not in cmdline or str(self.properties_path) not in cmdline:
            return None  # the pid was reused by an unrelated process
        return pid

    def running(self) -> bool:
        return self.pid() is not None

    def ready(self, timeout: float = 5.0) -> bool:
        return self.running() and metadata_ok(self.bootstrap_servers, timeout=timeout)

    def start(self, timeout: float = DEFAULT_START_TIMEOUT) -> float:
        """Start in the background (or find it already running) and wait until it answers.
        Returns the seconds it took."""
        started = time.monotonic()
        if self.running():
            running_port = _saved_settings(self.data_dir).get("port")
            if running_port and int(running_port) != self.port:
                raise KafkaLocalError(
                    f"the broker of {self.data_dir} already runs on port {running_port}, not {self.port}: "
                    "stop it first (`kafka-local down`) or use its port"
                )
            self.wait_ready(timeout)
            return time.monotonic() - started
        for port in (self.port, self.controller_port):
            if port_open(self.host, port, timeout=0.2):
                raise PortInUse(
                    f"port {self.host}:{port} is already in use by another process; choose other ports "
                    "(--port/--controller-port or KAFKA_LOCAL_PORT/KAFKA_LOCAL_CONTROLLER_PORT)"
                )
        fetch(self.version)
        self.write_properties()
        self.format_storage()
        cmd = self._java_command("kafka.Kafka", str(self.properties_path), heap=self.heap)
        with self.stdout_path.open("ab") as out:
            out.write(f"\n--- kafka-local start {time.strftime('%Y-%m-%d %H:%M:%S')} ---\n".encode())
            out.flush()
            self._proc = subprocess.Popen(
                cmd,
                stdin=subprocess.DEVNULL,
                stdout=out,
                stderr=subprocess.STDOUT,
                cwd=self.data_dir,
                start_new_session=True,  # own process group: down kills all of it, ^C elsewhere doesn't
                preexec_fn=_die_with_parent if self.die_with_parent else None,
            )
        self.pid_path.write_text(f"{self._proc.pid}\n")
        try:
            self.wait_ready(timeout - (time.monotonic() - started))
        except BaseException:
            self.stop()
            raise
        return time.monotonic() - started

    def wait_ready(self, timeout: float = DEFAULT_START_TIMEOUT) -> None:
        deadline = time.monotonic() + max(timeout, 1.0)
        while True:
            if not self.running():
                raise KafkaLocalError(
                    f"the broker exited during start-up; last lines of its output:\n{self.log_tail(40)}"
                )
            if metadata_ok(self.bootstrap_servers, timeout=3.0):
                return
            if time.monotonic() > deadline:
                raise KafkaLocalError(
                    f"the broker did not answer on {self.bootstrap_servers} within {timeout:.0f}s; "
                    f"last lines of its log:\n{self.log_tail(40)}"
                )
            time.sleep(0.25)

    def stop(self, timeout: float = DEFAULT_STOP_TIMEOUT) -> bool:
        """Clean shutdown (SIGTERM to the process group), SIGKILL after ``timeout``. Returns True when a
        broker was running. On return no process of the broker's group is left."""
        pid = self.pid()
        if pid is None:
            self._reap()
            with contextlib.suppress(FileNotFoundError):
                self.pid_path.unlink()
            return False
        pgid = pid  # started with start_new_session: the broker leads its own group
        _signal_group(pgid, signal.SIGTERM)
        deadline = time.monotonic() + timeout
        while (_group_members(pgid) or self._child_alive()) and time.monotonic() < deadline:
            self._reap()
            time.sleep(0.1)
        clean = True
        if _group_members(pgid):
            clean = False
            _signal_group(pgid, signal.SIGKILL)
            kill_deadline = time.monotonic() + 10
            while (_group_members(pgid) or self._child_alive()) and time.monotonic() < kill_deadline:
                self._reap()
                time.sleep(0.05)
        self._reap()
        self._finish_cds(clean)
        with contextlib.suppress(FileNotFoundError):
            self.pid_path.unlink()
        return True

    def kill(self) -> None:
        """SIGKILL the whole process group at once (test teardown after a failure, crash tests)."""
        self._finish_cds(clean=False)
        pid = self.pid()
        if pid is not None:
            _signal_group(pid, signal.SIGKILL)
            deadline = time.monotonic() + 10
            while (_group_members(pid) or self._child_alive()) and time.monotonic() < deadline:
                self._reap()
                time.sleep(0.05)
        self._reap()

    def _child_alive(self) -> bool:
        """Whether the broker this object started has not been waited for yet (exited or not)."""
        self._reap()
        return self._proc is not None and self._proc.returncode is None

    def _reap(self) -> None:
        if self._proc is not None:
            with contextlib.suppress(subprocess.TimeoutExpired):
                self._proc.wait(timeout=0)

    # logs -------------------------------------------------------------------------------------
    def log_tail(self, lines: int = 80) -> str:
        parts = []
        for path in (self.stdout_path, self.server_log):
            text = tail(path, lines)
            if text:
                parts.append(f"==> {path} <==\n{text}")
        return "\n".join(parts) or f"(no broker log in {self.data_dir})"


def _signal_group(pgid: int, sig: signal.Signals) -> None:
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(pgid, sig)


def _die_with_parent() -> None:
    """preexec_fn: PR_SET_PDEATHSIG(SIGTERM), so the broker ends when its starter dies (Linux)."""
    with contextlib.suppress(Exception):
        import ctypes

        libc = ctypes.CDLL(None, use_errno=True)
        pr_set_pdeathsig = 1
        libc.prctl(pr_set_pdeathsig, signal.SIGTERM)


# -------------------------------------------------------------------------------------------- CLI


def _parse_set(values: list[str]) -> dict[str, str]:
    out = {}
    for item in values:
        key, sep, value = item.partition("=")
        if not sep or not key:
            raise argparse.ArgumentTypeError(f"--set expects KEY=VALUE, got {item!r}")
        out[key.strip()] = value.strip()
    return out


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="kafka-local",
        description="A local single-node Apache Kafka broker (KRaft) from Maven Central jars.",
    )
    parser.add_argument(
        "--dir",
        type=Path,
        default=None,
        help="data directory: properties, storage, logs, pid "
        "(env KAFKA_LOCAL_DIR; default: <repo>/.kafka-local)",
    )
    parser.add_argument(
        "--port", type=int, default=None, help="client port (env KAFKA_LOCAL_PORT; default 9092)"
    )
    parser.add_argument(
        "--controller-port",
        type=int,
        default=None,
        help="KRaft controller port (env KAFKA_LOCAL_CONTROLLER_PORT; default 9093)",
    )
    parser.add_argument(
        "--host", default=None, help="address to bind (env KAFKA_LOCAL_HOST; default 127.0.0.1)"
    )
    parser.add_argument(
        "--kafka-version",
        dest="kafka_version",
        default=None,
        help=f"Apache Kafka version (env KAFKA_LOCAL_VERSION; default {DEFAULT_VERSION})",
    )
    sub = parser.add_subparsers(dest="action", metavar="ACTION", required=True)
    sub.add_parser("fetch", help="resolve the broker's jars into the cache (Maven), nothing else")
    up = sub.add_parser("up", help="fetch if needed, format once, start in background, wait until ready")
    up.add_argument(
        "--heap",
        default=None,
        help=f"JVM heap (env KAFKA_LOCAL_HEAP; default: as at the last start, else {DEFAULT_HEAP})",
    )
    up.add_argument(
        "--auto-create-topics",
        action=argparse.BooleanOptionalAction,
        default=None,
        help="auto.create.topics.enable (env KAFKA_LOCAL_AUTO_CREATE; default: as at the last start, "
        "else off: use `quote-worker topics create`)",
    )
    up.add_argument(
        "--partitions",
        type=int,
        default=None,
        help="num.partitions for auto-created topics (default: as at the last start, else 3)",
    )
    up.add_argument(
        "--set",
        action="append",
        default=[],
        metavar="KEY=VALUE",
        help="extra broker property; kept for later starts of this data directory (with the earlier ones)",
    )
    up.add_argument(
        "--unset", action="append", default=[], metavar="KEY", help="drop a property set by an earlier --set"
    )
    up.add_argument(
        "--timeout", type=float, default=DEFAULT_START_TIMEOUT, help="seconds to wait for readiness"
    )
    down = sub.add_parser("down", help="stop the broker cleanly; no process is left")
    down.add_argument("--timeout", type=float, default=DEFAULT_STOP_TIMEOUT, help="seconds before SIGKILL")
    down.add_argument("--purge", action="store_true", help="also delete the data directory (all topics)")
    sub.add_parser("status", help="running or not, pid, bootstrap servers; exit 0 only when it answers")
    logs = sub.add_parser("logs", help="print the end of the broker's log")
    logs.add_argument("-n", "--lines", type=int, default=100)
    logs.add_argument("-f", "--follow", action="store_true", help="keep printing new lines")
    return parser


def broker_from_args(args: argparse.Namespace) -> LocalKafka:
    """The broker of this data directory. A broker started earlier keeps every setting it was started
    with (ports, heap, auto-creation, partitions, ``--set`` properties): each applies again unless given
    anew (flag, then environment); a new ``--set`` adds to (or replaces) the earlier ones."""
    data_dir = Path(args.dir or default_data_dir())
    saved = _saved_settings(data_dir)
    host = args.host or os.environ.get("KAFKA_LOCAL_HOST") or saved.get("host") or DEFAULT_HOST
    port = args.port or _env_int("KAFKA_LOCAL_PORT", int(saved.get("port", DEFAULT_PORT)))
    controller_port = args.controller_port or _env_int(
        "KAFKA_LOCAL_CONTROLLER_PORT", int(saved.get("controller_port", DEFAULT_CONTROLLER_PORT))
    )
    broker = LocalKafka(
        data_dir=data_dir,
        port=port,
        controller_port=controller_port,
        host=host,
        version=args.kafka_version or kafka_version(),
        heap=str(saved.get("heap", DEFAULT_HEAP)),
        auto_create_topics=bool(saved.get("auto_create_topics", False)),
        num_partitions=int(saved.get("num_partitions", 3)),
        extra_properties=dict(saved.get("extra_properties", {})),
    )
    if args.action == "up":
        env_heap = os.environ.get("KAFKA_LOCAL_HEAP")
        env_auto = os.environ.get("KAFKA_LOCAL_AUTO_CREATE")
        broker.heap = args.heap or env_heap or broker.heap
        if args.auto_create_topics is not None:
            broker.auto_create_topics = args.auto_create_topics
        elif env_auto:
            broker.auto_create_topics = env_auto.lower() in ("1", "true", "yes")
        if args.partitions is not None:
            broker.num_partitions = args.partitions
        extra = {**broker.extra_properties, **_parse_set(args.set)}
        for key in args.unset:
            extra.pop(key.strip(), None)
        broker.extra_properties = extra
    return broker


def _saved_settings(data_dir: Path) -> dict[str, Any]:
    """The settings of an earlier ``up`` on this data directory: its settings file, else (a directory
    from before that file) host/port/controller_port read back from its properties."""
    with contextlib.suppress(OSError, ValueError):
        data = json.loads((data_dir / SETTINGS_FILE).read_text())
        if isinstance(data, dict):
            return data
    try:
        lines = (data_dir / PROPERTIES_FILE).read_text().splitlines()
    except OSError:
        return {}
    props = dict(line.split("=", 1) for line in lines if "=" in line and not line.lstrip().startswith("#"))
    out: dict[str, Any] = {}
    advertised = props.get("advertised.listeners", "")
    if advertised.startswith("PLAINTEXT://"):
        host, _, port = advertised.removeprefix("PLAINTEXT://").split(",")[0].rpartition(":")
        out["host"], out["port"] = host, port
    voters = props.get("controller.quorum.voters", "")
    if ":" in voters:
        out["controller_port"] = voters.rsplit(":", 1)[1]
    return out


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        broker = broker_from_args(args)
        if args.action == "fetch":
            started = time.monotonic()
            lib = fetch(broker.version, quiet=False)
            print(f"{lib} ({time.monotonic() - started:.1f}s)")
            return 0
        if args.action == "up":
            was_running = broker.running()
            seconds = broker.start(timeout=args.timeout)
            state = "already running" if was_running else f"started in {seconds:.1f}s"
            print(
                f"kafka-local: broker {state} (pid {broker.pid()}), "
                f"bootstrap servers {broker.bootstrap_servers}"
            )
            print(f"export KAFKA_BOOTSTRAP_SERVERS={broker.bootstrap_servers}")
            return 0
        if args.action == "down":
            stopped = broker.stop(timeout=args.timeout)
            print("kafka-local: broker stopped" if stopped else "kafka-local: no broker was running")
            if args.purge:
                shutil.rmtree(broker.data_dir, ignore_errors=True)
                print(f"kafka-local: removed {broker.data_dir}")
            return 0
        if args.action == "status":
            pid = broker.pid()
            if pid is None:
                print(f"kafka-local: not running (data dir {broker.data_dir})")
                return 3
            answering = metadata_ok(broker.bootstrap_servers)
            print(
                f"kafka-local: running, pid {pid}, bootstrap servers {broker.bootstrap_servers}, "
                f"{'answering' if answering else 'NOT answering yet'}; data dir {broker.data_dir}"
            )
            return 0 if answering else 1
        if args.action == "logs":
            return _logs(broker, args.lines, args.follow)
    except KafkaLocalError as exc:
        print(f"kafka-local: {exc}", file=sys.stderr)
        return EXIT_PORT_IN_USE if isinstance(exc, PortInUse) else 1
    except KeyboardInterrupt:
        return 130
    return 2


def _logs(broker: LocalKafka, lines: int, follow: bool) -> int:
    path = broker.server_log if broker.server_log.exists() else broker.stdout_path
    if not path.exists():
        print(f"kafka-local: no log yet in {broker.data_dir}", file=sys.stderr)
        return 1
    print(tail(path, lines))
    if not follow:
        return 0
    with path.open("r", errors="replace") as handle:
        handle.seek(0, os.SEEK_END)
        while True:
            line = handle.readline()
            if line:
                sys.stdout.write(line)
                sys.stdout.flush()
            else:
                time.sleep(0.5)


if __name__ == "__main__":
    sys.exit(main())
