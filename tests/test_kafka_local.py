"""The local Kafka broker (deploy/kafka), its pytest fixtures and ``quote-worker topics``."""

from __future__ import annotations

import contextlib
import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
from kafka_fixtures import REPO, KafkaCluster, localkafka

from worker import cli, topics

KAFKA_LOCAL = REPO / "deploy" / "kafka" / "kafka-local"


def broker_processes(marker: str) -> list[int]:
    """Live java processes whose command line mentions ``marker`` (a data directory)."""
    pids = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            cmdline = (entry / "cmdline").read_bytes().decode(errors="replace")
        except OSError:
            continue
        if marker in cmdline and "kafka.Kafka" in cmdline and localkafka._not_zombie(int(entry.name)):
            pids.append(int(entry.name))
    return pids


def round_trip(cluster: KafkaCluster, topic: str, value: bytes) -> None:
    producer = cluster.producer()
    try:
        producer.send(topic, key=b"k", value=value).get(timeout=30)
        producer.flush(timeout=30)
    finally:
        producer.close()
    consumer = cluster.consumer(topic)
    seen = []
    try:
        for record in consumer:  # stops at `value`, or after 10 s without a record
            seen.append(record.value)
            if record.value == value:
                break
    finally:
        consumer.close()
    assert value in seen


# ------------------------------------------------------------------------------------- unit tests


def test_properties_render_single_node_kraft(tmp_path: Path) -> None:
    broker = localkafka.LocalKafka(
        data_dir=tmp_path, port=19092, controller_port=19093, extra_properties={"log.retention.ms": "1000"}
    )
    text = broker.render_properties()
    props = dict(line.split("=", 1) for line in text.splitlines() if "=" in line and not line.startswith("#"))
    assert props["process.roles"] == "broker,controller"
    assert props["listeners"] == "PLAINTEXT://127.0.0.1:19092,CONTROLLER://127.0.0.1:19093"
    assert props["controller.quorum.voters"] == "1@127.0.0.1:19093"
    for key in (
        "offsets.topic.replication.factor",
        "transaction.state.log.replication.factor",
        "transaction.state.log.min.isr",
    ):
        assert props[key] == "1"
    assert props["group.initial.rebalance.delay.ms"] == "0"
    assert props["auto.create.topics.enable"] == "false"
    assert props["log.dirs"] == str(tmp_path.resolve() / "kraft-logs")
    assert props["log.retention.ms"] == "1000"
    broker.write_properties()
    broker.settings_path.unlink()  # a data directory from before the settings file: ports still read back
    saved = localkafka._saved_settings(broker.data_dir)
    assert saved == {"host": "127.0.0.1", "port": "19092", "controller_port": "19093"}


def test_up_keeps_every_setting_across_down_and_up(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """What ``up`` was given is written beside the properties at start; a later ``up`` (after ``down``)
    on the same directory applies it again; new flags and ``--set`` add to or replace it."""
    for name in ("KAFKA_LOCAL_HEAP", "KAFKA_LOCAL_AUTO_CREATE", "KAFKA_LOCAL_PORT", "KAFKA_LOCAL_HOST"):
        monkeypatch.delenv(name, raising=False)
    parser = localkafka.build_parser()
    first = parser.parse_args(
        ["--dir", str(tmp_path), "--port", "19192", "--controller-port", "19193", "up", "--heap", "300m",
         "--auto-create-topics", "--partitions", "5", "--set", "log.retention.ms=12345",
         "--set", "message.max.bytes=2000000"]
    )  # fmt: skip
    localkafka.broker_from_args(first).write_properties()  # what start() does before launching
    again = localkafka.broker_from_args(parser.parse_args(["--dir", str(tmp_path), "up"]))
    assert (again.port, again.controller_port, again.heap) == (19192, 19193, "300m")
    assert again.auto_create_topics and again.num_partitions == 5
    assert again.extra_properties == {"log.retention.ms": "12345", "message.max.bytes": "2000000"}
    props = again.render_properties()
    assert "log.retention.ms=12345" in props and "auto.create.topics.enable=true" in props
    changed = localkafka.broker_from_args(
        parser.parse_args(
            [
                "--dir",
                str(tmp_path),
                "up",
                "--no-auto-create-topics",
                "--set",
                "log.retention.ms=1",
                "--unset",
                "message.max.bytes",
            ]
        )
    )
    assert not changed.auto_create_topics and changed.extra_properties == {"log.retention.ms": "1"}
    assert changed.heap == "300m"
    down = localkafka.broker_from_args(parser.parse_args(["--dir", str(tmp_path), "down"]))
    assert down.port == 19192 and down.extra_properties == {
        "log.retention.ms": "12345",
        "message.max.bytes": "2000000",
    }


def test_cluster_id_shape() -> None:
    for _ in range(200):
        cid = localkafka.random_cluster_id()
        assert len(cid) == 22 and not cid.startswith("-")
        assert set(cid) <= set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_")


def test_status_and_down_without_broker(tmp_path: Path) -> None:
    broker = localkafka.LocalKafka(data_dir=tmp_path)
    assert not broker.running()
    assert broker.stop() is False
    code = localkafka.main(["--dir", str(tmp_path), "status"])
    assert code == 3


def test_up_on_a_taken_port_says_so(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        args = ["--dir", str(tmp_path), "--port", str(port), "--controller-port", str(localkafka.free_port())]
        assert localkafka.main([*args, "up"]) == localkafka.EXIT_PORT_IN_USE
    assert f"127.0.0.1:{port} is already in use by another process" in capsys.readouterr().err
    # `make demo` turns that exit status into how to choose another port
    makefile = (REPO / "Makefile").read_text()
    assert f"EXIT_PORT_IN_USE := {localkafka.EXIT_PORT_IN_USE}\n" in makefile


def test_kafka_local_without_kafka_python_names_the_project_environment(tmp_path: Path) -> None:
    """Under a python3 without the project's packages (``-S``: no site-packages), ``status`` and ``up``
    say which interpreter to use; ``down`` needs only the standard library and works."""
    base = [sys.executable, "-S", str(KAFKA_LOCAL), "--dir", str(tmp_path)]
    status = subprocess.run([*base, "status"], capture_output=True, text=True, timeout=60, check=False)
    assert status.returncode == 1
    assert "needs kafka-python" in status.stderr and ".venv/bin/python" in status.stderr
    down = subprocess.run([*base, "down"], capture_output=True, text=True, timeout=60, check=False)
    assert down.returncode == 0 and "no broker was running" in down.stdout, down.stderr


def test_topics_create_unreachable_broker(capsys: pytest.CaptureFixture[str]) -> None:
    port = localkafka.free_port()
    code = cli.main(["topics", "create", "--bootstrap-servers", f"127.0.0.1:{port}", "--timeout", "2"])
    assert code == 2
    err = capsys.readouterr().err
    assert "cannot reach Kafka" in err and f"127.0.0.1:{port}" in err


def test_topics_create_rejects_bad_config(capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(["topics", "create", "--config", "no-equals-sign"]) == 2
    assert "KEY=VALUE" in capsys.readouterr().err


# ------------------------------------------------------------------------------ integration tests


@pytest.mark.integration
def test_kafka_local_up_round_trip_down(tmp_path: Path) -> None:
    """The command itself: up, up again (harmless), status, a produce/consume round trip, down, no
    process left; then a second start of the same data directory."""
    data_dir = tmp_path / "broker"
    port, controller_port = localkafka.free_port(), localkafka.free_port()
    base = [
        sys.executable,
        str(KAFKA_LOCAL),
        "--dir",
        str(data_dir),
        "--port",
        str(port),
        "--controller-port",
        str(controller_port),
    ]

    def run(*action: str, check: bool = True) -> subprocess.CompletedProcess[str]:
        result = subprocess.run(
            [*base, *action], capture_output=True, text=True, timeout=180, check=False, cwd=tmp_path
        )
        if check and result.returncode != 0:
            pytest.fail(f"kafka-local {' '.join(action)} failed:\n{result.stdout}\n{result.stderr}")
        return result

    try:
        started = time.monotonic()
        up = run("up", "--set", "log.retention.ms=7200000")
        first_start = time.monotonic() - started
        assert f"127.0.0.1:{port}" in up.stdout
        pid = int((data_dir / "broker.pid").read_text())
        assert broker_processes(str(data_dir)) == [pid]
        assert os.getpgid(pid) == pid  # its own process group

        again = run("up")  # harmless: same broker, nothing restarted
        assert "already running" in again.stdout
        assert broker_processes(str(data_dir)) == [pid]
        elsewhere = subprocess.run(  # the same data directory on another port: refused at once
            [*base[:5], str(localkafka.free_port()), *base[6:], "up"],
            capture_output=True, text=True, timeout=30, check=False,
        )  # fmt: skip
        assert elsewhere.returncode == 1 and f"already runs on port {port}" in elsewhere.stderr
        assert run("status").returncode == 0

        cluster = KafkaCluster(f"127.0.0.1:{port}")
        topic = cluster.unique("roundtrip")
        cluster.create_topics([topic], partitions=1)
        round_trip(cluster, topic, "سلام".encode())

        assert "stopped" in run("down").stdout
        assert broker_processes(str(data_dir)) == []
        assert run("status", check=False).returncode == 3
        assert "no broker was running" in run("down").stdout  # down twice: harmless

        started = time.monotonic()
        run("up")  # second start: jars cached, storage already formatted, ports and --set remembered
        second_start = time.monotonic() - started
        assert "log.retention.ms=7200000" in (data_dir / "server.properties").read_text()
        assert second_start < 30, f"second start took {second_start:.1f}s"
        round_trip(cluster, topic, b"after restart")  # the topic and its data survived
        print(f"kafka-local up: first {first_start:.1f}s, second {second_start:.1f}s")
        assert "server.log" in run("logs", "-n", "5").stdout or run("logs").returncode == 0
    finally:
        run("down", check=False)
    assert broker_processes(str(data_dir)) == []


@pytest.mark.integration
def test_session_broker_round_trip(kafka: KafkaCluster) -> None:
    topic = kafka.unique("session")
    assert kafka.create_topics([topic]) == [topic]
    with contextlib.closing(kafka.admin()) as admin:
        described = admin.describe_topics([topic])
    assert len(described[0]["partitions"]) == 3
    round_trip(kafka, topic, "قال الوزير".encode())


@pytest.mark.integration
def test_transactions_on_one_node(kafka: KafkaCluster) -> None:
    """Exactly-once needs the transaction state log on a single broker: committed records are
    read by a read_committed consumer, aborted ones are not."""
    topic = kafka.unique("txn")
    kafka.create_topics([topic], partitions=1)
    producer = kafka.producer(transactional_id=kafka.unique("txn-id"), enable_idempotence=True)
    try:
        producer.init_transactions()
        producer.begin_transaction()
        producer.send(topic, b"aborted")
        producer.flush()
        producer.abort_transaction()
        producer.begin_transaction()
        producer.send(topic, b"committed")
        producer.commit_transaction()
    finally:
        producer.close()
    consumer = kafka.consumer(topic, isolation_level="read_committed", consumer_timeout_ms=3000)
    try:
        values = [record.value for record in consumer]
    finally:
        consumer.close()
    assert values == [b"committed"]


@pytest.mark.integration
def test_topics_create_command(kafka: KafkaCluster, capsys: pytest.CaptureFixture[str]) -> None:
    names = {spec.role: kafka.unique(spec.name) for spec in topics.ALL}
    argv = ["topics", "create", "--bootstrap-servers", kafka.bootstrap_servers, "--partitions", "2"]
    for role, name in names.items():
        argv += [f"--{role}-topic", name]

    assert cli.main(argv) == 0
    out = capsys.readouterr().out
    assert all(f"{name}: created" in out for name in names.values()), out

    assert cli.main(argv) == 0  # idempotent: reported, not an error
    out = capsys.readouterr().out
    assert all(f"{name}: exists" in out for name in names.values()), out

    configs = kafka.topic_configs(list(names.values()))
    assert configs[names["quotes"]].get("cleanup.policy") == "compact"
    assert configs[names["articles"]].get("cleanup.policy", "delete") == "delete"
    with contextlib.closing(kafka.admin()) as admin:
        described = {d["name"]: d for d in admin.describe_topics(list(names.values()))}
    assert all(len(described[name]["partitions"]) == 2 for name in names.values())

    assert cli.main(["topics", "list", "--bootstrap-servers", kafka.bootstrap_servers]) == 0
    listing = capsys.readouterr().out
    assert f"{names['quotes']}: 2 partitions, replication 1; cleanup.policy=compact" in listing


@pytest.mark.integration
def test_private_broker_stop_and_start(kafka_factory, kafka: KafkaCluster) -> None:  # type: ignore[no-untyped-def]
    """A private broker restarts on the same ports with its data; the session broker is untouched."""
    private = kafka_factory()
    assert private.bootstrap_servers != kafka.bootstrap_servers
    topic = private.unique("restart")
    private.create_topics([topic], partitions=1)
    round_trip(private, topic, b"before")

    pid = private.pid
    private.stop()
    assert not private.running()
    assert broker_processes(str(private.data_dir)) == []
    assert localkafka.metadata_ok(kafka.bootstrap_servers)  # the session broker still answers

    seconds = private.start()
    assert seconds < 30
    assert private.pid != pid
    consumer = private.consumer(topic, consumer_timeout_ms=3000)
    try:
        values = [record.value for record in consumer]
    finally:
        consumer.close()
    assert values == [b"before"]

    private.kill()  # a crash, then a restart that recovers
    assert broker_processes(str(private.data_dir)) == []
    private.start()
    round_trip(private, topic, b"after crash")
