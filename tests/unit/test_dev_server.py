"""Development listens on loopback unless NEOBANK_HOST says otherwise: the demo accounts'
password is published in the README."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from neobank_dashboard.dev_server import PACKAGE_JSON, DevServerHost
from tests.conftest import REPO_ROOT


def _config(host: str | None) -> dict:
    env = {k: v for k, v in os.environ.items() if k != "NEOBANK_HOST"}
    if host is not None:
        env["NEOBANK_HOST"] = host
    script = (
        "import json, rxconfig; from neobank_dashboard.dev_server import DevServerHost; "
        "c = rxconfig.config; print(json.dumps({'backend': c.backend_host, "
        "'vite': [p.host for p in c.plugins if isinstance(p, DevServerHost)]}))"
    )
    result = subprocess.run(
        [sys.executable, "-c", script], cwd=REPO_ROOT, env=env, capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.splitlines()[-1])


@pytest.mark.parametrize(("host", "expected"), [(None, "127.0.0.1"), ("0.0.0.0", "0.0.0.0")])
def test_reflex_binds_backend_and_dev_server_to_neobank_host(host, expected):
    assert _config(host) == {"backend": expected, "vite": [expected]}


def test_the_vite_dev_server_gets_the_host_on_its_command_line():
    tasks = []
    DevServerHost("127.0.0.1").pre_compile(add_modify_task=lambda path, fn: tasks.append((path, fn)))
    ((path, rewrite),) = tasks
    assert path == PACKAGE_JSON
    # The package.json Reflex generates (kept in reflex.lock/): `--host` alone is every interface.
    generated = (REPO_ROOT / "reflex.lock" / "package.json").read_text()
    assert json.loads(generated)["scripts"]["dev"] == "react-router dev --host"
    rewritten = json.loads(rewrite(generated))
    assert rewritten["scripts"]["dev"] == "react-router dev --host 127.0.0.1"
    assert {k: v for k, v in rewritten.items() if k != "scripts"} == {
        k: v for k, v in json.loads(generated).items() if k != "scripts"
    }
