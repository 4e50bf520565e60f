"""`academy serve` really starts gunicorn and answers."""
from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from tests.databases import scratch_database

ACADEMY = Path(sys.executable).with_name("academy")


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_serve_runs_gunicorn_and_serves_the_login_page(tmp_path):
    with scratch_database(tmp_path, "serve") as url:
        env = {**os.environ, "ACADEMY_INSTANCE_DIR": str(tmp_path), "ACADEMY_DATABASE_URL": url}
        subprocess.run([ACADEMY, "init"], env=env, check=True, capture_output=True)
        port = _free_port()
        server = subprocess.Popen([ACADEMY, "serve", "--port", str(port), "--workers", "2"], env=env,
                                  stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
        try:
            body = None
            for _ in range(100):
                try:
                    with urllib.request.urlopen(f"http://127.0.0.1:{port}/login", timeout=2) as response:
                        body = response.read().decode()
                        server_header = response.headers["Server"]
                    break
                except OSError:
                    time.sleep(0.1)
            assert body is not None, "the server did not answer within 10 s"
            assert "Sign in to Academy" in body and "gunicorn" in server_header
        finally:
            server.terminate()
            server.communicate(timeout=15)
