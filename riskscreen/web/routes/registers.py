"""Upload a register (YAML, JSON, CSV or XLSX): checked exactly as ``riskscreen check`` checks it,
then saved as one draft per row with its screening — all rows or none."""

from __future__ import annotations

import dataclasses
import tempfile
from datetime import date
from pathlib import Path, PurePath

from fastapi import APIRouter, Request
from fastapi.responses import Response
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import UploadFile

from riskscreen.errors import InputError, Problem
from riskscreen.registers import CSV_SUFFIXES, XLSX_SUFFIXES, YAML_SUFFIXES, read_register
from riskscreen.registers.check import CheckSettings, check_register
from riskscreen.store.engagements import EngagementError, create_engagement, record_screening
from riskscreen.store.models import User
from riskscreen.web.auth import DbSession, PageUser, require
from riskscreen.web.context import service

router = APIRouter()

ALLOWED = YAML_SUFFIXES + CSV_SUFFIXES + XLSX_SUFFIXES
FIELD = "register-file"


def _page(request: Request, errors: list[dict[str, str]], status_code: int = 200) -> Response:
    return service(request).pages.render(
        request, "registers/upload.html", status_code=status_code, title="Upload a register",
        errors=errors, allowed=", ".join(ALLOWED),
        max_mb=service(request).settings.max_upload_bytes // (1024 * 1024),
        max_rows=service(request).settings.max_register_rows)


@router.get("/registers/upload")
def upload_page(request: Request, user: PageUser) -> Response:
    require(user, "upload_register")
    return _page(request, [])


def _error(text: str) -> dict[str, str]:
    return {"text": text, "href": f"#{FIELD}"}


@router.post("/registers/upload")
async def upload(request: Request, session: DbSession, user: PageUser) -> Response:
    require(user, "upload_register")
    svc = service(request)
    form = await request.form()
    upload = form.get("register")
    if not isinstance(upload, UploadFile) or not upload.filename:
        return _page(request, [_error("Select a register file")], 400)
    # Only the suffix of the user's file name is used, and only from the allowed list.
    shown = PurePath(upload.filename.replace("\\", "/")).name[:100] or "register"
    suffix = PurePath(shown).suffix.lower()
    if suffix not in ALLOWED:
        return _page(request, [_error(f"The file must be one of: {', '.join(ALLOWED)}")], 400)
    content = await upload.read(svc.settings.max_upload_bytes + 1)
    if len(content) > svc.settings.max_upload_bytes:
        return _page(request, [_error(f"The file must be smaller than "
                                      f"{svc.settings.max_upload_bytes // (1024 * 1024)} MB")], 400)
    # Checking and saving a register is long, blocking work: keep it off the event loop.
    return await run_in_threadpool(_check_and_save, request, session, user, content, shown, suffix)


def _check_and_save(request: Request, session: DbSession, user: User, content: bytes, shown: str,
                    suffix: str) -> Response:
    svc = service(request)
    with tempfile.TemporaryDirectory(prefix="riskscreen-upload-") as directory:
        path = Path(directory) / f"register{suffix}"
        path.write_bytes(content)
        try:
            with svc.lock:
                report = check_register(svc.engine, path, CheckSettings(as_of=date.today()))
            if report.summary.total > svc.settings.max_register_rows:
                return _page(request, [_error(
                    f"The register has {report.summary.total} rows; upload at most "
                    f"{svc.settings.max_register_rows} at once")], 400)
            rows = [row.data for row in read_register(path)]
        except InputError as exc:
            return _page(request, [_error(str(_renamed(p, path, shown))) for p in exc.problems[:50]]
                         + ([_error(f"… and {len(exc.problems) - 50} more problems")]
                            if len(exc.problems) > 50 else []), 400)
    created = []
    try:
        for data, entry in zip(rows, report.results, strict=True):
            assert data is not None  # check_register raised if any row was unreadable
            record = create_engagement(session, user, data)
            record_screening(session, record, entry.result, user)
            created.append(record)
    except EngagementError as exc:
        session.rollback()  # nothing is saved half-way
        return _page(request, [_error(str(exc))], 409)
    return svc.pages.render(request, "registers/done.html", title="Register uploaded",
                            created=created, filename=shown)


def _renamed(problem: Problem, path: Path, shown: str) -> Problem:
    """The same problem, naming the user's file rather than the temporary copy."""
    location = problem.location
    if location.file is not None and location.file.endswith(path.name):
        location = dataclasses.replace(location, file=shown)
    return dataclasses.replace(problem, location=location)
