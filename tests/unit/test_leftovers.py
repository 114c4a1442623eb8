"""A test run leaves nothing behind: its data folder (``neobank-test-*``, a migrated SQLite
database, tens of MB) and its PostgreSQL database are gone when it ends, whether its tests
passed, failed or the run was interrupted (Ctrl-C, SIGTERM).

Each case runs a small pytest session in a child process with the suite's own conftest
(``-p tests.conftest``), in a private temporary folder, and looks at what remains.
"""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
import sqlalchemy as sa

from tests.conftest import DATA_DIR_PREFIX, PG_ADMIN_URL, REPO_ROOT, postgres_reachable

pytestmark = pytest.mark.slow

TESTS = """
import os, pathlib, signal

import pytest

SEEN = pathlib.Path(os.environ["SEEN_FILE"])


def test_uses_the_data_folder(sqlite_url):
    folder = pathlib.Path(os.environ["NEOBANK_DATA_DIR"])
    assert any(folder.glob("*.db"))  # the migrated database is in it
    SEEN.write_text(str(folder))


def test_that_fails():
    assert False, "a failing test"


@pytest.mark.skipif(os.environ.get("CASE") != "postgres", reason="postgres case only")
def test_on_postgres(postgres_url):
    SEEN.with_suffix(".pg").write_text(postgres_url.rsplit("/", 1)[-1])


@pytest.mark.skipif(os.environ.get("CASE") != "ctrl-c", reason="ctrl-c case only")
def test_interrupted_by_ctrl_c():
    raise KeyboardInterrupt


@pytest.mark.skipif(os.environ.get("CASE") != "sigterm", reason="sigterm case only")
def test_interrupted_by_sigterm():
    os.kill(os.getpid(), signal.SIGTERM)
"""


def run_session(tmp_path: Path, case: str) -> tuple[subprocess.CompletedProcess, Path, Path]:
    """A pytest session with the project's conftest on :data:`TESTS`; its temporary folder."""
    temp = tmp_path / "tmp"
    temp.mkdir()
    (tmp_path / "test_tiny.py").write_text(textwrap.dedent(TESTS))
    seen = tmp_path / "seen.txt"
    env = {
        **os.environ,
        "TMPDIR": str(temp),
        "PYTHONPATH": os.pathsep.join([str(REPO_ROOT), os.environ.get("PYTHONPATH", "")]),
        "SEEN_FILE": str(seen),
        "CASE": case,
    }
    env.pop("NEOBANK_DATA_DIR", None)
    run = subprocess.run(
        [sys.executable, "-m", "pytest", "-p", "tests.conftest", "-p", "no:cacheprovider", "-q"]
        + ["-o", "addopts=", "test_tiny.py"],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    return run, temp, seen


def leftovers(temp: Path) -> list[str]:
    return sorted(path.name for path in temp.glob(f"{DATA_DIR_PREFIX}*"))


def test_a_run_with_a_failing_test_removes_its_data_folder(tmp_path):
    run, temp, seen = run_session(tmp_path, "plain")
    assert run.returncode == 1, run.stdout + run.stderr  # one passed, one failed
    used = Path(seen.read_text())
    assert used.parent == temp and used.name.startswith(DATA_DIR_PREFIX)
    assert not used.exists()
    assert leftovers(temp) == []


@pytest.mark.parametrize("case", ["ctrl-c", "sigterm"])
def test_an_interrupted_run_removes_its_data_folder(tmp_path, case):
    run, temp, seen = run_session(tmp_path, case)
    assert run.returncode == 2, run.stdout + run.stderr  # pytest's "interrupted"
    assert "KeyboardInterrupt" in run.stdout
    assert seen.exists()  # the folder was used before the interruption
    assert leftovers(temp) == []


def test_a_run_drops_the_postgresql_database_it_created(tmp_path):
    if not postgres_reachable():
        pytest.skip("PostgreSQL is not reachable on 127.0.0.1:5432")
    run, temp, seen = run_session(tmp_path, "postgres")
    assert run.returncode == 1, run.stdout + run.stderr
    name = seen.with_suffix(".pg").read_text()
    admin = sa.create_engine(PG_ADMIN_URL)
    try:
        with admin.connect() as connection:
            exists = connection.execute(
                sa.text("SELECT 1 FROM pg_database WHERE datname = :name"), {"name": name}
            ).first()
    finally:
        admin.dispose()
    assert exists is None, f"database {name} was left behind"
    assert leftovers(temp) == []
