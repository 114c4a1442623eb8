"""The production stack, started once for tests/prod: PostgreSQL, Redis, two Granian
workers through ``neobank prod`` (what ``make run-prod`` runs), behind
nginx terminating TLS with a self-signed certificate and deploy/nginx-neobank.conf.

Its own test package, after tests/e2e: both compile the frontend into the same .web folder,
so the two apps never run at once.
"""

from __future__ import annotations

import os
import secrets
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.request
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.conftest import PG_ADMIN_URL, REPO_ROOT, postgres_reachable
from tests.support.live_app import (
    free_port,
    postgres_database,
    prepare,
    prod_environment,
    serve,
)

NGINX = shutil.which("nginx") or "/usr/sbin/nginx"
SITE_CONFIG = REPO_ROOT / "deploy" / "nginx-neobank.conf"
PROD_CLIENTS = 300
WORKERS = 2
REDIS_URL = "redis://127.0.0.1:6379/{db}"


@dataclass(frozen=True)
class ProdStack:
    base: str  # https origin of the proxy: what the browser uses
    http_base: str  # the proxy's plain-http listener (redirects to https)
    app_base: str  # the app itself on loopback, behind the proxy
    ca_file: Path  # the self-signed certificate, to verify TLS
    email: str  # a supervisor created with the accounts command
    password: str
    database_url: str
    env: dict


def _redis_reachable() -> bool:
    try:
        import redis

        redis.from_url(REDIS_URL.format(db=0), socket_connect_timeout=1).ping()
        return True
    except Exception:  # noqa: BLE001 - any failure means "not available here"
        return False


def _self_signed_certificate(folder: Path) -> tuple[Path, Path]:
    cert, key = folder / "cert.pem", folder / "key.pem"
    subprocess.run(
        [
            "openssl",
            "req",
            "-x509",
            "-newkey",
            "rsa:2048",
            "-nodes",
            "-days",
            "2",
            "-subj",
            "/CN=127.0.0.1",
            "-addext",
            "subjectAltName=IP:127.0.0.1",
            "-keyout",
            str(key),
            "-out",
            str(cert),
        ],
        check=True,
        capture_output=True,
    )
    return cert, key


def render_site(app_port: int, http_port: int, https_port: int, cert: Path, key: Path) -> str:
    """The committed proxy configuration with only its CHANGE lines set for loopback."""
    site = SITE_CONFIG.read_text()
    replacements = {
        "server 127.0.0.1:8000;": f"server 127.0.0.1:{app_port};",
        "listen 80;": f"listen 127.0.0.1:{http_port};",
        "listen 443 ssl http2;": f"listen 127.0.0.1:{https_port} ssl http2;",
        "server_name advisors.bank.example;": "server_name 127.0.0.1;",
        "/etc/ssl/neobank/fullchain.pem": str(cert),
        "/etc/ssl/neobank/privkey.pem": str(key),
    }
    for old, new in replacements.items():
        assert old in site, f"deploy/nginx-neobank.conf no longer contains {old!r}"
        site = site.replace(old, new)
    return site


def _nginx_main_config(folder: Path) -> Path:
    """A minimal nginx.conf around the site file, writing only inside ``folder``."""
    for sub in ("body", "proxy", "fastcgi", "uwsgi", "scgi"):
        (folder / sub).mkdir(mode=0o777)
        os.chmod(folder / sub, 0o777)  # the worker processes drop to 'nobody'
    conf = folder / "nginx.conf"
    conf.write_text(f"""
daemon off;
pid {folder}/nginx.pid;
error_log {folder}/error.log warn;
events {{ worker_connections 512; }}
http {{
    access_log {folder}/access.log;
    client_body_temp_path {folder}/body;
    proxy_temp_path {folder}/proxy;
    fastcgi_temp_path {folder}/fastcgi;
    uwsgi_temp_path {folder}/uwsgi;
    scgi_temp_path {folder}/scgi;
    include /etc/nginx/mime.types;
    include {folder}/site.conf;
}}
""")
    return conf


def _wait_for(url: str, ca_file: Path, timeout: float = 30) -> None:
    import ssl

    context = ssl.create_default_context(cafile=str(ca_file))
    deadline = time.monotonic() + timeout
    while True:
        try:
            with urllib.request.urlopen(url, timeout=2, context=context):
                return
        except OSError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.5)


@pytest.fixture(scope="package")
def prod_stack():
    if not postgres_reachable() or not _redis_reachable():
        pytest.skip("the production stack needs PostgreSQL on :5432 and Redis on :6379")
    if not Path(NGINX).exists():
        pytest.fail("nginx is missing: `make test` installs it (apt-get install nginx-light)")
    folder = Path(tempfile.mkdtemp(prefix="neobank-prod-"))
    os.chmod(folder, 0o755)
    redis_db = 10 + secrets.randbelow(6)
    nginx = None
    try:
        with postgres_database(PG_ADMIN_URL, prefix="neobank_prod") as database_url:
            # Data comes from the development seed (the only seeder of demo clients), into
            # the same PostgreSQL database; production then serves it.
            prepare(folder, PROD_CLIENTS, REFLEX_DB_URL=database_url)
            http_port, https_port, app_port = free_port(), free_port(), free_port()
            public = f"https://127.0.0.1:{https_port}"
            env = prod_environment(
                folder,
                database_url,
                REDIS_URL.format(db=redis_db),
                public,
                NPM_CONFIG_REGISTRY=os.environ.get("NPM_CONFIG_REGISTRY", ""),
            )
            email, password = "supervision@bank.example", secrets.token_urlsafe(18)
            subprocess.run(
                [
                    sys.executable,
                    "-m",
                    "neobank_dashboard.cli",
                    "accounts",
                    "create",
                    "--email",
                    email,
                    "--name",
                    "Claire Supervision",
                    "--role",
                    "supervisor",
                ],
                cwd=REPO_ROOT,
                check=True,
                capture_output=True,
                env=env | {"NEOBANK_NEW_PASSWORD": password},
            )
            cert, key = _self_signed_certificate(folder)
            (folder / "site.conf").write_text(render_site(app_port, http_port, https_port, cert, key))
            conf = _nginx_main_config(folder)
            subprocess.run(
                [NGINX, "-t", "-q", "-c", str(conf), "-p", str(folder)], check=True, capture_output=True
            )
            with serve(env, folder / "app.log", workers=WORKERS, port=app_port) as app_base:
                nginx = subprocess.Popen(
                    [NGINX, "-c", str(conf), "-p", str(folder)],
                    stdout=subprocess.DEVNULL,
                    stderr=subprocess.DEVNULL,
                )
                _wait_for(public + "/api/v1/health", cert)
                yield ProdStack(
                    public,
                    f"http://127.0.0.1:{http_port}",
                    app_base,
                    cert,
                    email,
                    password,
                    database_url,
                    env,
                )
                nginx.terminate()
                nginx.wait(timeout=10)
                nginx = None
    finally:
        if nginx is not None:
            nginx.kill()
            nginx.wait(timeout=10)
        _flush_redis(redis_db)
        shutil.rmtree(folder, ignore_errors=True)


def _flush_redis(db: int) -> None:
    try:
        import redis

        redis.from_url(REDIS_URL.format(db=db), socket_connect_timeout=1).flushdb()
    except Exception:  # noqa: BLE001 - best effort: Redis keeps nothing on disk here anyway
        pass
