"""The benchmarks' scratch folder (tests/support/scratch.py) is removed with everything in
it when the work ends: normally, on an error, and when the process gets SIGTERM."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap

import pytest

from tests.conftest import REPO_ROOT
from tests.support.scratch import scratch_dir


def test_the_folder_is_removed_after_the_work(tmp_path, monkeypatch):
    monkeypatch.setenv("TMPDIR", str(tmp_path))
    monkeypatch.setattr("tempfile.tempdir", None)  # read TMPDIR again
    with scratch_dir("bench-") as work:
        assert work.parent == tmp_path and work.name.startswith("bench-")
        (work / "models").mkdir()
        (work / "neobank.db").write_bytes(b"x" * 1024)
    assert list(tmp_path.iterdir()) == []


def test_the_folder_is_removed_when_the_work_fails(tmp_path, monkeypatch):
    monkeypatch.setenv("TMPDIR", str(tmp_path))
    monkeypatch.setattr("tempfile.tempdir", None)
    with pytest.raises(RuntimeError, match="the API did not become healthy"):
        with scratch_dir("bench-") as work:
            (work / "neobank.db").write_bytes(b"x")
            raise RuntimeError("the API did not become healthy")
    assert list(tmp_path.iterdir()) == []


def test_sigterm_stops_the_work_and_removes_the_folder(tmp_path):
    """As when a CI job is cancelled: the ``finally`` inside runs, then the folder goes."""
    script = textwrap.dedent("""
        import time
        from tests.support.scratch import scratch_dir

        with scratch_dir("bench-") as work:
            (work / "neobank.db").write_bytes(b"x" * 1024)
            try:
                print(work, flush=True)
                time.sleep(60)
            finally:
                print("server stopped", flush=True)
    """)
    child = subprocess.Popen(
        [sys.executable, "-c", script],
        cwd=REPO_ROOT,
        env={**os.environ, "TMPDIR": str(tmp_path), "PYTHONPATH": str(REPO_ROOT)},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        work = child.stdout.readline().strip()
        assert work.startswith(str(tmp_path / "bench-"))
        child.send_signal(signal.SIGTERM)
        out, err = child.communicate(timeout=30)
    finally:
        child.kill()
    assert "server stopped" in out, err
    assert "KeyboardInterrupt" in err
    assert list(tmp_path.iterdir()) == []
