"""Shared pytest set-up. The Kafka fixtures live in tests/kafka_fixtures.py:

* ``kafka`` (session-scoped) -> ``KafkaCluster``: ``.bootstrap_servers``, ``.create_topics(names,
  partitions=3, config=None)``, ``.unique(prefix)``, ``.producer(**kw)``, ``.consumer(*topics, **kw)``,
  ``.admin()``, ``.topic_configs(names)``, ``.log_tail()``.
* ``kafka_factory`` -> ``kafka_factory(**LocalKafka options) -> PrivateKafka`` with, in addition,
  ``.stop()``, ``.kill()``, ``.start()``, ``.running()``, ``.data_dir``, ``.port``.
"""

from __future__ import annotations

from collections.abc import Generator
from typing import Any

import pytest
from kafka_fixtures import kafka, kafka_factory, report_sections

__all__ = ["kafka", "kafka_factory"]

KAFKA_FIXTURES = {"kafka", "kafka_factory"}


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """A test that uses a broker is an integration test, marked or not (so ``-m "not integration"``
    really leaves out everything that needs Java and Kafka)."""
    for item in items:
        if KAFKA_FIXTURES & set(getattr(item, "fixturenames", ())) and not item.get_closest_marker(
            "integration"
        ):
            item.add_marker(pytest.mark.integration)


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> Generator[None, Any, None]:
    """On a failing test that used a broker, add the end of that broker's log to the report."""
    outcome = yield
    report = outcome.get_result()
    if report.failed and report.when in ("setup", "call"):
        for title, text in report_sections(item):
            report.sections.append((title, text))
