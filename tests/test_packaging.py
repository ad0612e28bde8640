"""The package as a user installs it: ``python -m build`` (the sdist, then the wheel built from it), the
wheel installed (not editable) into a fresh virtualenv, and the commands run from there, in a folder
outside the repository. The editable install of ``make setup`` reads every file from the source tree, so
only this shows a data file missing from the wheel.

The fresh virtualenv gets the wheel alone (``--no-deps --no-index``: nothing is downloaded); the runtime
dependencies come from the environment that runs pytest, whose site-packages a ``.pth`` file appends
to the new one's path (plain path lines: the editable install's import hook there is not loaded). The
wheel's own requirements are checked against what that environment has.

Marked ``packaging`` (about half a minute): ``pytest -m "not packaging"`` leaves it out.
"""

from __future__ import annotations

import email.parser
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import sysconfig
import time
import urllib.request
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path

import pytest
from kafka_fixtures import KafkaCluster
from packaging.requirements import Requirement

# generous bounds, for a busy machine: the build and the installs run in the first test's time
pytestmark = [pytest.mark.packaging, pytest.mark.timeout(1200)]

REPO = Path(__file__).resolve().parents[1]
SAMPLES = REPO / "samples" / "articles.jsonl"
ARTICLE = {"id": "pkg-1", "text": 'قال وزير الزراعة سامر الحلبي: "سنوفر البذور المحسنة بأسعار مدعومة".'}
# Never copied into the build: version control, environments, caches, earlier build output
NOT_SOURCE = shutil.ignore_patterns(
    ".git", ".venv", "__pycache__", "*.pyc", ".*_cache", ".hypothesis", ".kafka-local", "build", "dist",
    "*.egg-info", "out",
)  # fmt: skip


@dataclass(frozen=True)
class Installed:
    wheel: Path
    sdist: Path
    venv: Path
    workdir: Path  # an empty folder outside the repository: the commands' working directory

    @property
    def quote_worker(self) -> Path:
        return self.venv / "bin" / "quote-worker"

    @property
    def python(self) -> Path:
        return self.venv / "bin" / "python"

    def env(self) -> dict[str, str]:
        env = {k: v for k, v in os.environ.items() if not k.startswith(("PYTHON", "QUOTE_WORKER_"))}
        env["PATH"] = f"{self.venv / 'bin'}{os.pathsep}{env.get('PATH', '')}"
        return env

    def run(
        self, *args: str, stdin: bytes | None = None, timeout: float = 600
    ) -> subprocess.CompletedProcess[bytes]:
        return subprocess.run(
            [str(self.quote_worker), *args],
            input=stdin,
            capture_output=True,
            cwd=self.workdir,
            env=self.env(),
            timeout=timeout,
            check=False,
        )


def _build(tmp: Path) -> tuple[Path, Path]:
    """sdist and wheel of a copy of the working tree (the build writes egg-info into its source)."""
    source = tmp / "source"
    shutil.copytree(REPO, source, symlinks=True, ignore=NOT_SOURCE)
    out = tmp / "dist"
    build = subprocess.run(
        [sys.executable, "-m", "build", "--no-isolation", "--outdir", str(out), str(source)],
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert build.returncode == 0, build.stdout[-3000:] + build.stderr[-3000:]
    (sdist,) = out.glob("quote_worker-*.tar.gz")
    (wheel,) = out.glob("quote_worker-*.whl")
    return sdist, wheel


def _install(wheel: Path, venv: Path) -> None:
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True, timeout=300)
    python = venv / "bin" / "python"
    site = subprocess.run(
        [str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    ours = {sysconfig.get_paths()[key] for key in ("purelib", "platlib")}
    Path(site, "zz_runtime_dependencies.pth").write_text("".join(f"{p}\n" for p in sorted(ours)))
    install = subprocess.run(
        [sys.executable, "-m", "pip", "--python", str(python), "install", "--no-deps", "--no-index",
         "--disable-pip-version-check", "--no-compile", str(wheel)],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )  # fmt: skip
    assert install.returncode == 0, install.stdout + install.stderr


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Installed]:
    tmp = tmp_path_factory.mktemp("packaging")
    sdist, wheel = _build(tmp)
    _install(wheel, tmp / "venv")
    workdir = tmp / "elsewhere"
    workdir.mkdir()
    yield Installed(wheel, sdist, tmp / "venv", workdir)


def _source_data_files() -> set[str]:
    """Every file of the package that is not Python source, as the wheel names it (the links
    worker/schemas and worker/serve/samples.jsonl followed)."""
    found = set()
    for path in (REPO / "worker").rglob("*"):
        if "__pycache__" in path.parts or path.suffix in (".py", ".pyc") or not path.is_file():
            continue
        found.add(path.relative_to(REPO).as_posix())
    for linked in (REPO / "worker" / "schemas").iterdir():  # rglob does not enter a linked folder
        if linked.is_file():
            found.add(f"worker/schemas/{linked.name}")
    return found


def test_wheel_holds_every_data_file_of_the_package(installed: Installed) -> None:
    names = set(zipfile.ZipFile(installed.wheel).namelist())
    wanted = _source_data_files()
    assert {"worker/attribution/data/conditional_cues.tsv", "worker/serve/samples.jsonl"} <= wanted
    assert not wanted - names, f"missing from the wheel: {sorted(wanted - names)}"
    # and nothing of the build's own: no bytecode, no tests
    assert not [n for n in names if n.endswith(".pyc") or n.startswith("tests/")]


def test_wheel_requirements_are_met_by_the_environment_it_runs_in(installed: Installed) -> None:
    with zipfile.ZipFile(installed.wheel) as wheel:
        (meta,) = [n for n in wheel.namelist() if n.endswith(".dist-info/METADATA")]
        headers = email.parser.BytesParser().parsebytes(wheel.read(meta))
    runtime = [Requirement(r) for r in headers.get_all("Requires-Dist", []) if "extra ==" not in r]
    assert {r.name for r in runtime} >= {"kafka-python", "orjson", "jsonschema", "starlette", "uvicorn"}
    for requirement in runtime:
        version = metadata.version(requirement.name)
        assert requirement.specifier.contains(version, prereleases=True), (requirement, version)


def test_installed_package_is_the_wheel_not_the_source_tree(installed: Installed) -> None:
    where = subprocess.run(
        [str(installed.python), "-c", "import worker; print(worker.__file__)"],
        capture_output=True,
        text=True,
        cwd=installed.workdir,
        env=installed.env(),
        check=True,
    ).stdout.strip()
    assert Path(where).is_relative_to(installed.venv), where


def test_extract_from_the_wheel_matches_the_source_tree(installed: Installed) -> None:
    one = installed.run("extract", "-", stdin=json.dumps(ARTICLE, ensure_ascii=False).encode())
    assert one.returncode == 0, one.stderr.decode()
    (record,) = [json.loads(line) for line in one.stdout.splitlines()]
    assert record["speaker"]["name"] == "سامر الحلبي"

    from_wheel = installed.run("extract", str(SAMPLES))
    assert from_wheel.returncode == 0, from_wheel.stderr.decode()
    from_source = subprocess.run(
        [sys.executable, "-m", "worker.cli", "extract", str(SAMPLES)],
        capture_output=True,
        cwd=REPO,
        env={**os.environ, "PYTHONPATH": str(REPO)},
        check=True,
    )
    assert from_wheel.stdout == from_source.stdout


def test_eval_and_demo_help(installed: Installed) -> None:
    for command in ("eval", "demo"):
        done = installed.run(command, "--help")
        assert done.returncode == 0, done.stderr.decode()
        assert f"usage: quote-worker {command}" in done.stdout.decode()


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_serve_from_the_wheel_answers(installed: Installed) -> None:
    port = _free_port()
    url = f"http://127.0.0.1:{port}"
    server = subprocess.Popen(
        [str(installed.quote_worker), "serve", "--port", str(port), "--log-level", "warning"],
        cwd=installed.workdir,
        env=installed.env(),
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    try:
        deadline = time.monotonic() + 600
        while True:
            try:
                with urllib.request.urlopen(f"{url}/healthz", timeout=5) as answer:
                    assert answer.status == 200
                    break
            except OSError:
                assert server.poll() is None, server.communicate()[0].decode()
                assert time.monotonic() < deadline, "serve did not answer /healthz"
                time.sleep(0.2)
        body = json.dumps(ARTICLE, ensure_ascii=False).encode()
        request = urllib.request.Request(f"{url}/v1/extract", data=body, method="POST")
        with urllib.request.urlopen(request, timeout=300) as answer:
            (quote,) = json.loads(answer.read())["quotes"]
        assert quote["speaker"]["name"] == "سامر الحلبي"
        with urllib.request.urlopen(f"{url}/", timeout=300) as answer:  # the page, from package data
            assert b"render.js" in answer.read()
        with urllib.request.urlopen(f"{url}/v1/samples", timeout=300) as answer:
            assert len(json.loads(answer.read())["articles"]) == len(SAMPLES.read_text().splitlines())
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=300)


def test_demo_from_the_wheel_streams_its_own_samples(installed: Installed, kafka: KafkaCluster) -> None:
    """``quote-worker demo`` without arguments: the samples that the package ships, through a worker
    started from the installed package, on a real broker."""
    servers = ("--bootstrap-servers", kafka.bootstrap_servers)
    created = installed.run("topics", "create", *servers)
    assert created.returncode == 0, created.stdout.decode() + created.stderr.decode()
    demo = installed.run("demo", *servers, "--timeout", "600", timeout=900)
    err = demo.stderr.decode()
    assert demo.returncode == 0, err
    assert "demo: 8/8 articles processed" in err, err
    assert "sample-01-agriculture" in demo.stdout.decode()
