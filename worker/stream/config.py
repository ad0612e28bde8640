"""Configuration of the stream worker: one table of settings, read from (lowest to highest precedence)
built-in defaults, an optional TOML file, the environment and command-line flags.

Every setting is declared once in ``SETTINGS``; the flags of ``quote-worker run``, the environment names
and the table in ``docs/stream.md`` all come from it. Secrets (passwords) are never logged: ``redacted()``
masks them.

A TOML file holds the same keys at the top level, plus optional raw kafka-python keyword tables
``[kafka]`` (both clients), ``[consumer]`` and ``[producer]`` for settings this table does not name::

    bootstrap_servers = "broker1:9092,broker2:9092"
    input_topics = ["articles"]
    guarantee = "exactly-once"
    [producer]
    linger_ms = 10
"""

from __future__ import annotations

import argparse
import os
import socket
import tomllib
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any

from worker import topics

AT_LEAST_ONCE = "at-least-once"
EXACTLY_ONCE = "exactly-once"
GUARANTEES = (AT_LEAST_ONCE, EXACTLY_ONCE)


class ConfigError(ValueError):
    """A configuration that cannot work; the worker exits with status 2 and this message."""


def _csv(value: Any) -> list[str]:
    if isinstance(value, str):
        return [v.strip() for v in value.split(",") if v.strip()]
    return [str(v) for v in value]


def _bool(value: Any) -> bool:
    if isinstance(value, bool):
        return value
    text = str(value).strip().lower()
    if text in ("1", "true", "yes", "on"):
        return True
    if text in ("0", "false", "no", "off", ""):
        return False
    raise ConfigError(f"not a boolean: {value!r}")


def _opt_str(value: Any) -> str | None:
    return None if value is None or value == "" else str(value)


@dataclass(frozen=True)
class Setting:
    name: str
    parse: Callable[[Any], Any]
    default: Any
    help: str
    env: tuple[str, ...] = ()
    choices: tuple[str, ...] | None = None
    secret: bool = False
    metavar: str | None = None

    @property
    def flag(self) -> str:
        return "--" + self.name.replace("_", "-")

    @property
    def envs(self) -> tuple[str, ...]:
        return ("QUOTE_WORKER_" + self.name.upper(), *self.env)


SETTINGS: tuple[Setting, ...] = (
    Setting(
        "bootstrap_servers",
        _csv,
        ["localhost:9092"],
        "Kafka brokers, comma-separated",
        env=("KAFKA_BOOTSTRAP_SERVERS",),
        metavar="HOST:PORT,...",
    ),
    Setting(
        "input_topics", _csv, [topics.ARTICLES.name], "input topics, comma-separated", metavar="TOPIC,..."
    ),
    Setting("quotes_topic", str, topics.QUOTES.name, "output topic of quote records", metavar="TOPIC"),
    Setting(
        "status_topic", str, topics.STATUS.name, "output topic of article status records", metavar="TOPIC"
    ),
    Setting(
        "dead_letter_topic", str, topics.DEAD_LETTER.name, "topic of dead-lettered input", metavar="TOPIC"
    ),
    Setting("group_id", str, "quote-worker", "consumer group", env=("KAFKA_GROUP_ID",)),
    Setting(
        "group_instance_id",
        _opt_str,
        None,
        "static group membership (group.instance.id): a name stable across restarts of one worker and "
        "unique among running workers (e.g. the pod name); a worker restarted after a crash takes its "
        "partitions back at once instead of after the session timeout (default: dynamic membership)",
        metavar="NAME",
    ),
    Setting("guarantee", str, AT_LEAST_ONCE, "delivery guarantee", choices=GUARANTEES),
    Setting(
        "transactional_id",
        _opt_str,
        None,
        "exactly-once: the producer's transactional.id; must be stable across restarts of one worker and "
        "unique among running workers (default: GROUP_ID-HOSTNAME)",
    ),
    Setting("transaction_timeout_ms", int, 60_000, "exactly-once: transaction timeout"),
    Setting(
        "processes",
        int,
        1,
        "extraction processes (children of the consumer process; per-partition order preserved)",
        metavar="N",
    ),
    Setting(
        "extraction_timeout_ms",
        int,
        10_000,
        "time budget of one article's extraction: over it the article is stopped and dead-lettered "
        "(extraction_timeout) and the worker moves on; 0: no budget",
        metavar="MS",
    ),
    Setting(
        "batch_size",
        int,
        500,
        "most records per poll (max_poll_records) and per processing batch",
        metavar="N",
    ),
    Setting("poll_timeout_ms", int, 200, "how long one poll waits for records", metavar="MS"),
    Setting(
        "max_bytes",
        int,
        1_000_000,
        "input messages over this size are dead-lettered (too_large)",
        metavar="BYTES",
    ),
    Setting(
        "dead_letter_max_original_bytes",
        int,
        700_000,
        "original bytes kept in a dead-letter record; longer input is truncated there (flagged) so the "
        "record fits the broker's limit",
        metavar="BYTES",
    ),
    Setting("auto_offset_reset", str, "earliest", "where a new group starts", choices=("earliest", "latest")),
    Setting("session_timeout_ms", int, 10_000, "consumer group session timeout", metavar="MS"),
    Setting(
        "max_poll_interval_ms",
        int,
        300_000,
        "longest gap between polls before the group evicts us",
        metavar="MS",
    ),
    Setting(
        "require_topics",
        _bool,
        True,
        "check at start that the input and output topics exist (fatal if not and the broker does not "
        "auto-create them)",
    ),
    Setting(
        "reconnect_backoff_max_s",
        float,
        1.0,
        "longest wait between reconnection attempts while the broker is unreachable (kafka-python's "
        "reconnect_backoff_max_ms, and the worker's own retries): work resumes at most this long after "
        "the broker is back",
        metavar="SECONDS",
    ),
    Setting(
        "stall_timeout_s",
        float,
        300.0,
        "/healthz fails when, for this long, no committed offset advanced while the lag was above zero "
        "(or the processing loop did not turn)",
        metavar="SECONDS",
    ),
    Setting(
        "lag_interval_s",
        float,
        1.0,
        "how often the lag (end offset minus committed offset) and the broker's reachability are measured",
        metavar="SECONDS",
    ),
    Setting("metrics_port", int, 8000, "port of /metrics, /healthz and /readyz; 0 disables", metavar="PORT"),
    Setting(
        "metrics_host",
        str,
        "127.0.0.1",
        "address the metrics server binds (0.0.0.0: every interface, for a probe or scraper on another "
        "host, e.g. in a container)",
        metavar="HOST",
    ),
    Setting("log_level", str, "INFO", "log level", choices=("DEBUG", "INFO", "WARNING", "ERROR")),
    Setting("log_format", str, "json", "log format", choices=("json", "text")),
    Setting(
        "security_protocol",
        str,
        "PLAINTEXT",
        "Kafka security protocol",
        env=("KAFKA_SECURITY_PROTOCOL",),
        choices=("PLAINTEXT", "SSL", "SASL_PLAINTEXT", "SASL_SSL"),
    ),
    Setting(
        "sasl_mechanism",
        _opt_str,
        None,
        "SASL mechanism",
        env=("KAFKA_SASL_MECHANISM",),
        choices=("PLAIN", "SCRAM-SHA-256", "SCRAM-SHA-512"),
    ),
    Setting("sasl_username", _opt_str, None, "SASL user name", env=("KAFKA_SASL_USERNAME",)),
    Setting(
        "sasl_password",
        _opt_str,
        None,
        "SASL password (prefer the environment or the file)",
        env=("KAFKA_SASL_PASSWORD",),
        secret=True,
    ),
    Setting("ssl_cafile", _opt_str, None, "CA bundle for SSL", env=("KAFKA_SSL_CAFILE",), metavar="PATH"),
    Setting(
        "ssl_certfile",
        _opt_str,
        None,
        "client certificate for SSL",
        env=("KAFKA_SSL_CERTFILE",),
        metavar="PATH",
    ),
    Setting("ssl_keyfile", _opt_str, None, "client key for SSL", env=("KAFKA_SSL_KEYFILE",), metavar="PATH"),
    Setting(
        "ssl_password", _opt_str, None, "password of the SSL key", env=("KAFKA_SSL_PASSWORD",), secret=True
    ),
    Setting(
        "ssl_check_hostname",
        _bool,
        True,
        "verify the broker's host name under SSL",
        env=("KAFKA_SSL_CHECK_HOSTNAME",),
    ),
)
BY_NAME = {s.name: s for s in SETTINGS}

# What any client of the cluster needs: where it is, how to reconnect, how to authenticate (the tools
# that only read a topic, such as ``replay`` and ``lexicon build``, offer these).
CONNECTION_SETTINGS = (
    "bootstrap_servers",
    "reconnect_backoff_max_s",
    "security_protocol",
    "sasl_mechanism",
    "sasl_username",
    "sasl_password",
    "ssl_cafile",
    "ssl_certfile",
    "ssl_keyfile",
    "ssl_password",
    "ssl_check_hostname",
)


@dataclass
class StreamConfig:
    bootstrap_servers: list[str] = field(default_factory=lambda: ["localhost:9092"])
    input_topics: list[str] = field(default_factory=lambda: [topics.ARTICLES.name])
    quotes_topic: str = topics.QUOTES.name
    status_topic: str = topics.STATUS.name
    dead_letter_topic: str = topics.DEAD_LETTER.name
    group_id: str = "quote-worker"
    group_instance_id: str | None = None
    guarantee: str = AT_LEAST_ONCE
    transactional_id: str | None = None
    transaction_timeout_ms: int = 60_000
    processes: int = 1
    extraction_timeout_ms: int = 10_000
    batch_size: int = 500
    poll_timeout_ms: int = 200
    max_bytes: int = 1_000_000
    dead_letter_max_original_bytes: int = 700_000
    auto_offset_reset: str = "earliest"
    session_timeout_ms: int = 10_000
    max_poll_interval_ms: int = 300_000
    require_topics: bool = True
    reconnect_backoff_max_s: float = 1.0
    stall_timeout_s: float = 300.0
    lag_interval_s: float = 1.0
    metrics_port: int = 8000
    metrics_host: str = "127.0.0.1"
    log_level: str = "INFO"
    log_format: str = "json"
    security_protocol: str = "PLAINTEXT"
    sasl_mechanism: str | None = None
    sasl_username: str | None = None
    sasl_password: str | None = None
    ssl_cafile: str | None = None
    ssl_certfile: str | None = None
    ssl_keyfile: str | None = None
    ssl_password: str | None = None
    ssl_check_hostname: bool = True
    # Raw kafka-python keyword arguments from the TOML file: [kafka], [consumer], [producer].
    kafka_extra: dict[str, Any] = field(default_factory=dict)
    consumer_extra: dict[str, Any] = field(default_factory=dict)
    producer_extra: dict[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.check()

    def check(self) -> None:
        if self.guarantee not in GUARANTEES:
            raise ConfigError(f"guarantee must be one of {', '.join(GUARANTEES)}, not {self.guarantee!r}")
        if not self.input_topics:
            raise ConfigError("no input topics")
        outputs = {self.quotes_topic, self.status_topic, self.dead_letter_topic}
        if outputs & set(self.input_topics):
            raise ConfigError("an output topic is also an input topic")
        for name in ("processes", "batch_size", "max_bytes", "dead_letter_max_original_bytes"):
            if getattr(self, name) < 1:
                raise ConfigError(f"{name} must be at least 1")
        if self.extraction_timeout_ms < 0:
            raise ConfigError("extraction_timeout_ms must be 0 (no budget) or more")
        for name in ("stall_timeout_s", "lag_interval_s"):
            if getattr(self, name) <= 0:
                raise ConfigError(f"{name} must be above 0")
        if not 0 <= self.metrics_port < 65536:
            raise ConfigError(f"metrics_port out of range: {self.metrics_port}")
        if self.security_protocol.startswith("SASL_") and not self.sasl_mechanism:
            raise ConfigError(f"security_protocol {self.security_protocol} needs sasl_mechanism")
        if self.sasl_mechanism and not (self.sasl_username and self.sasl_password):
            raise ConfigError(f"sasl_mechanism {self.sasl_mechanism} needs sasl_username and sasl_password")

    @property
    def exactly_once(self) -> bool:
        return self.guarantee == EXACTLY_ONCE

    @property
    def effective_transactional_id(self) -> str:
        return self.transactional_id or f"{self.group_id}-{socket.gethostname()}"

    def common_kafka_kwargs(self) -> dict[str, Any]:
        """Connection and security settings shared by consumer, producer and admin client."""
        kw: dict[str, Any] = {
            "bootstrap_servers": self.bootstrap_servers,
            "security_protocol": self.security_protocol,
            "reconnect_backoff_max_ms": int(self.reconnect_backoff_max_s * 1000),
        }
        if self.sasl_mechanism:
            kw["sasl_mechanism"] = self.sasl_mechanism
            kw["sasl_plain_username"] = self.sasl_username
            kw["sasl_plain_password"] = self.sasl_password
        if self.security_protocol in ("SSL", "SASL_SSL"):
            kw["ssl_check_hostname"] = self.ssl_check_hostname
            for name in ("ssl_cafile", "ssl_certfile", "ssl_keyfile", "ssl_password"):
                if getattr(self, name):
                    kw[name] = getattr(self, name)
        kw.update(self.kafka_extra)
        return kw

    def consumer_kwargs(self) -> dict[str, Any]:
        kw = self.common_kafka_kwargs()
        kw.update(
            group_id=self.group_id,
            group_instance_id=self.group_instance_id,
            enable_auto_commit=False,
            auto_offset_reset=self.auto_offset_reset,
            max_poll_records=self.batch_size,
            session_timeout_ms=self.session_timeout_ms,
            max_poll_interval_ms=self.max_poll_interval_ms,
            # exactly-once: never read what an aborted upstream transaction wrote
            isolation_level="read_committed" if self.exactly_once else "read_uncommitted",
        )
        kw.update(self.consumer_extra)
        return kw

    def producer_kwargs(self) -> dict[str, Any]:
        kw = self.common_kafka_kwargs()
        # Large batches and a short linger: a batch of articles yields many small records, and every
        # new producer batch wakes the sender thread (costly in kafka-python).
        kw.update(acks="all", linger_ms=10, batch_size=512 * 1024, enable_idempotence=True)
        if self.exactly_once:
            kw.update(
                transactional_id=self.effective_transactional_id,
                transaction_timeout_ms=self.transaction_timeout_ms,
            )
        kw.update(self.producer_extra)
        return kw

    def redacted(self) -> dict[str, Any]:
        """The settings as a loggable dict: secrets masked, also inside the raw kafka tables."""
        out: dict[str, Any] = {}
        for f in fields(self):
            value = getattr(self, f.name)
            setting = BY_NAME.get(f.name)
            if setting is not None and setting.secret and value:
                value = "***"
            elif isinstance(value, dict):
                value = {k: ("***" if _secret_key(k) else v) for k, v in value.items()}
            out[f.name] = value
        return out


def _secret_key(key: str) -> bool:
    key = key.lower()
    return any(word in key for word in ("password", "secret", "token", "credential"))


def add_config_args(parser: argparse.ArgumentParser, only: Sequence[str] | None = None) -> None:
    """One flag per setting; default None so that unset flags fall back to env, file and defaults.
    ``only``: the names of the settings to offer (``replay`` takes the connection settings, not all)."""
    parser.add_argument(
        "--config",
        metavar="FILE",
        default=None,
        help="TOML file with the settings below (env QUOTE_WORKER_CONFIG)",
    )
    for s in SETTINGS if only is None else [BY_NAME[name] for name in only]:
        envs = ", ".join(s.envs)
        default = ",".join(s.default) if isinstance(s.default, list) else s.default
        help_text = f"{s.help} (env {envs}; default: {default})"
        if s.parse is _bool:
            parser.add_argument(s.flag, dest=s.name, default=None, type=_bool, metavar="BOOL", help=help_text)
        else:
            parser.add_argument(
                s.flag,
                dest=s.name,
                default=None,
                choices=s.choices,
                metavar=s.metavar,
                type=str,
                help=help_text,
            )


def load_config(
    args: argparse.Namespace | None = None,
    environ: Mapping[str, str] | None = None,
    file: str | Path | None = None,
) -> StreamConfig:
    """Merge defaults < file < environment < flags into a checked ``StreamConfig``."""
    env = os.environ if environ is None else environ
    values: dict[str, Any] = {}
    extras: dict[str, Any] = {}
    path = (
        file
        or (getattr(args, "config", None) if args is not None else None)
        or env.get("QUOTE_WORKER_CONFIG")
    )
    if path:
        try:
            data = tomllib.loads(Path(path).read_text(encoding="utf-8"))
        except OSError as exc:
            raise ConfigError(f"cannot read config file {path}: {exc.strerror}") from None
        except tomllib.TOMLDecodeError as exc:
            raise ConfigError(f"config file {path} is not valid TOML: {exc}") from None
        for table in ("kafka", "consumer", "producer"):
            extra = data.pop(table, {})
            if not isinstance(extra, dict):
                raise ConfigError(f"[{table}] in {path} must be a table")
            extras[f"{table}_extra"] = extra
        unknown = sorted(set(data) - set(BY_NAME))
        if unknown:
            raise ConfigError(f"unknown settings in {path}: {', '.join(unknown)}")
        values.update(data)
    for s in SETTINGS:
        for name in s.envs:
            if env.get(name) not in (None, ""):
                values[s.name] = env[name]
                break
    if args is not None:
        for s in SETTINGS:
            value = getattr(args, s.name, None)
            if value is not None:
                values[s.name] = value
    parsed: dict[str, Any] = {}
    for name, raw in values.items():
        s = BY_NAME[name]
        try:
            value = s.parse(raw)
        except (TypeError, ValueError) as exc:
            raise ConfigError(f"bad value for {name}: {raw!r} ({exc})") from None
        if s.choices and value is not None and value not in s.choices:
            raise ConfigError(f"{name} must be one of {', '.join(s.choices)}, not {value!r}")
        parsed[name] = value
    return StreamConfig(**parsed, **extras)


def settings_table(settings: Sequence[Setting] = SETTINGS) -> str:
    """The Markdown table of settings for docs/stream.md."""
    rows = ["| flag | environment | default | meaning |", "|---|---|---|---|"]
    for s in settings:
        default = ",".join(s.default) if isinstance(s.default, list) else s.default
        rows.append(f"| `{s.flag}` | {', '.join(f'`{e}`' for e in s.envs)} | `{default}` | {s.help} |")
    return "\n".join(rows)
