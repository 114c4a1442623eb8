"""Where ``reflex run`` listens in development: ``NEOBANK_HOST`` (loopback by default).

The backend's interface is Reflex's ``backend_host`` (rxconfig.py). The pages come from
the Vite dev server, which Reflex 0.10 starts with ``react-router dev --host`` (every
interface) from the ``dev`` script of the generated ``.web/package.json``; Vite ranks that
command-line flag above its config file. This plugin gives the flag the same interface on
every compile, so a laptop never publishes the demo accounts to its network.
"""

from __future__ import annotations

import json
from typing import Any

import reflex as rx
from reflex import constants

PACKAGE_JSON = "package.json"


def dev_command(host: str) -> str:
    """The Vite dev server's command, bound to ``host``."""
    command = constants.PackageJson.Commands.DEV  # "react-router dev --host"
    if command.endswith("--host"):
        return f"{command} {host}"
    return f"{command} --host {host}"


def bind_dev_server(package_json: str, host: str) -> str:
    package = json.loads(package_json)
    package.setdefault("scripts", {})["dev"] = dev_command(host)
    return json.dumps(package)


class DevServerHost(rx.plugins.Plugin):
    """Rewrites the ``dev`` script of ``.web/package.json`` before each compile."""

    def __init__(self, host: str):
        self.host = host

    def pre_compile(self, **context: Any) -> None:
        context["add_modify_task"](PACKAGE_JSON, lambda text: bind_dev_server(text, self.host))
