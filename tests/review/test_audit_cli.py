"""`riskscreen audit verify|export`: exit 0 on an intact chain, 1 naming the first broken link,
2 with one line on a bad database; exports verify away from the database and are audited."""

from __future__ import annotations

import json
from datetime import datetime, timezone
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from sqlalchemy import Engine

from riskscreen.cli import main
from riskscreen.review.audit_store import append
from riskscreen.workflow.audit import AuditEvent
from tests.review.conftest import sqlite_engine
from tests.review.helpers import install_audit


def run(*args: str) -> Result:
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


@pytest.fixture
def database(tmp_path: Path) -> tuple[Engine, str]:
    path = tmp_path / "service.sqlite3"
    engine = sqlite_engine(str(path))
    install_audit(engine)
    for i in range(1, 4):
        with engine.begin() as connection:
            append(connection, AuditEvent(datetime(2026, 12, 4, 20, i, tzinfo=timezone.utc), "user:2",
                                          "engagement.decide", f"engagement:{i}", None, {"decision": "approved"}))
    yield engine, f"sqlite:///{path}"
    engine.dispose()


def test_verify_intact(database: tuple[Engine, str]) -> None:
    _, url = database
    result = run("audit", "verify", "--db", url)
    assert result.exit_code == 0
    assert result.stdout.startswith("audit trail intact: 3 event(s), head ")


def test_verify_names_the_tampered_event(database: tuple[Engine, str]) -> None:
    engine, url = database
    with engine.begin() as connection:
        connection.exec_driver_sql("DROP TRIGGER audit_event_no_update")
        connection.exec_driver_sql("UPDATE audit_event SET actor = 'user:9' WHERE seq = 2")
    result = run("audit", "verify", "--db", url)
    assert result.exit_code == 1
    assert result.stderr == ("audit trail BROKEN at event 2: its content does not match its hash (the event "
                             "was changed after it was written); 1 event(s) before it verify\n")


@pytest.mark.parametrize("fmt", ["jsonl", "csv"])
def test_export_verifies_elsewhere_and_is_audited(database: tuple[Engine, str], tmp_path: Path, fmt: str) -> None:
    _, url = database
    out = tmp_path / f"audit.{fmt}"
    result = run("audit", "export", "--db", url, "--format", fmt, "-o", str(out))
    assert result.exit_code == 0, result.output
    assert result.stderr == f"wrote 3 event(s) to {out}\n"
    assert run("audit", "verify", "--file", str(out)).stdout.startswith("audit trail intact: 3 event(s)")
    # the export itself is now the fourth event
    stdout = run("audit", "export", "--db", url).stdout
    events = [json.loads(line) for line in stdout.splitlines()]
    assert events[3]["action"] == "audit.export" and events[3]["after"] == {"format": fmt, "events": 3}
    assert events[3]["actor"].startswith("cli:")


def test_edited_export_fails_verification(database: tuple[Engine, str], tmp_path: Path) -> None:
    _, url = database
    out = tmp_path / "audit.jsonl"
    run("audit", "export", "--db", url, "-o", str(out))
    lines = out.read_text(encoding="utf-8").splitlines()
    lines[0] = lines[0].replace("approved", "declined")
    out.write_text("\n".join(lines) + "\n", encoding="utf-8")
    result = run("audit", "verify", "--file", str(out))
    assert result.exit_code == 1 and "BROKEN at event 1:" in result.stderr


def test_bad_database_is_one_line_exit_2(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("RISKSCREEN_DATABASE_URL", raising=False)
    monkeypatch.setenv("RISKSCREEN_DATA_DIR", str(tmp_path / "data"))
    result = run("audit", "verify")
    assert result.exit_code == 2
    assert result.stderr.endswith("Error: the database schema is at nothing (empty), not 0003_review; "
                                  "run 'riskscreen db upgrade'\n")
    empty = tmp_path / "empty.sqlite3"
    result = run("audit", "verify", "--db", f"sqlite:///{empty}")
    assert result.exit_code == 2 and result.stderr.count("\n") == 1
    assert "not" in result.stderr and "run 'riskscreen db upgrade'" in result.stderr
    result = run("audit", "verify", "--db", "nonsense://")
    assert result.exit_code == 2 and result.stderr.startswith("Error: not a database URL") and result.stderr.count("\n") == 1


def test_unknown_export_format_is_located(tmp_path: Path) -> None:
    path = tmp_path / "trail.txt"
    path.write_text("x", encoding="utf-8")
    result = run("audit", "verify", "--file", str(path))
    assert result.exit_code == 2
    assert result.stderr == (f"Error: {path}: unknown audit export format (got '.txt'); use a .jsonl or .csv "
                             "file written by 'riskscreen audit export'\n")


def test_account_changes_from_the_command_line_are_audited(tmp_path: Path) -> None:
    from riskscreen.review.audit_store import stream
    from riskscreen.store import Store

    url = f"sqlite:///{tmp_path / 'users.sqlite3'}"
    assert run("db", "upgrade", "--db", url).exit_code == 0
    added = CliRunner().invoke(main, ["users", "add", "a@x.example", "--name", "A", "--role", "auditor",
                                      "--organisation", "DDU", "--generate-password", "--db", url])
    assert added.exit_code == 0, added.output
    for command in (["users", "disable", "a@x.example"], ["users", "enable", "a@x.example"]):
        assert run(*command, "--db", url).exit_code == 0
    store = Store(url)
    with store.session() as session:
        events = [(e.action, e.after) for e in stream(session)]
    store.close()
    assert [a for a, _ in events] == ["user.add", "user.disable", "user.enable"]
    assert events[0][1] == {"email": "a@x.example", "role": "auditor", "organisation": "DDU"}
    assert "password" not in str(events)


def test_the_cli_offers_every_role_the_store_knows() -> None:
    from riskscreen.store.accounts import ROLES

    help_text = run("users", "add", "--help").stdout
    assert f"[{'|'.join(ROLES)}]" in help_text
