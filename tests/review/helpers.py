"""Schema set-up for storage tests that run before the service's migrations are involved."""

from __future__ import annotations

from sqlalchemy import Engine

from riskscreen.review.audit_store import audit_head, head_row, metadata, trigger_ddl


def install_audit(engine: Engine) -> None:
    with engine.begin() as connection:
        metadata.create_all(connection)
        for statement in trigger_ddl(connection.dialect.name):
            connection.exec_driver_sql(statement)
        connection.execute(audit_head.insert().values(**head_row()))
