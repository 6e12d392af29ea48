"""``riskscreen serve`` for real: uvicorn in a subprocess, the app built from the environment."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

from tests.conftest import ROOT


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def test_serve_creates_the_database_and_answers(tmp_path: Path) -> None:
    port = _free_port()
    env = {**os.environ, "RISKSCREEN_DATA_DIR": str(tmp_path / "data")}
    env.pop("RISKSCREEN_DATABASE_URL", None)
    process = subprocess.Popen(
        [sys.executable, "-c", "import sys; from riskscreen.cli import main; sys.exit(main())",
         "serve", "--port", str(port)],
        cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        deadline = time.monotonic() + 120
        page = ""
        while time.monotonic() < deadline and not page:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/sign-in", timeout=5) as response:
                    page = response.read().decode()
                    headers = response.headers
            except (urllib.error.URLError, ConnectionError):
                assert process.poll() is None, process.stdout.read() if process.stdout else ""
                time.sleep(0.5)
        assert "<title>Sign in" in page
        assert "frame-ancestors 'none'" in headers["Content-Security-Policy"]
        assert (tmp_path / "data" / "riskscreen.sqlite3").is_file()
    finally:
        process.terminate()
        output, _ = process.communicate(timeout=30)
    assert f"Database: {tmp_path / 'data' / 'riskscreen.sqlite3'}" in output
    assert "Database schema upgraded from empty to" in output
    assert f"Serving on http://127.0.0.1:{port}/" in output
