"""``riskscreen check REGISTER`` and ``riskscreen diff OLD NEW``: registers in CI.

Exit codes (docs/ci.md): 0 clean; 1 an unwaived result at or above --fail-on; 2 invalid input or
rules. With ``--format sarif -o FILE``, invalid input still writes a SARIF file whose invocation
failed, so code scanning shows why the check could not run.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import click

from riskscreen.cli.console import NORMAL, verbosity
from riskscreen.cli.options import (
    FAIL_ON,
    as_date,
    as_of_option,
    describe_engine,
    engine_options,
    output_option,
    templates_option,
)
from riskscreen.cli.output import emit, emit_stream
from riskscreen.errors import LocatedError, display_path
from riskscreen.models.register import RegisterReport
from riskscreen.registers.baseline import build_baseline
from riskscreen.registers.pool import AUTO_JOBS, EngineSpec
from riskscreen.render import RenderOptions, render_register
from riskscreen.render.stream import REGISTER_WRITERS, RegisterContext, open_writer
from riskscreen.screening.engine import Engine

EXIT_FAILING = 1


def _jobs(ctx: click.Context, param: click.Parameter, value: str) -> int:
    """'auto' or a whole number of worker processes (1 = screen in this process)."""
    if value.strip().lower() == "auto":
        return AUTO_JOBS
    if not value.strip().isdigit() or int(value) < 1:
        raise click.BadParameter(f"{value!r} is not 'auto' or a whole number from 1")
    return int(value)


REGISTER_FORMATS = ("text", "json", "jsonl", "md", "html", "sarif", "junit", "github")
# Below this many rows a progress bar would only flicker.
PROGRESS_MIN_ROWS = 2000


def _progress(enabled: bool, register: Path) -> Any:
    """A progress bar on stderr (rows done of total, rate, ETA) when stderr is a terminal."""
    if not enabled:
        return None
    from riskscreen.cli.progress import RowsBar
    from riskscreen.registers.counting import estimate_rows

    total = estimate_rows(register)
    if total is not None and total < PROGRESS_MIN_ROWS:
        return None
    return RowsBar(total=total, desc=register.name)


def _check(
    register: Path, spec: EngineSpec, settings_args: dict[str, Any]
) -> tuple[Engine, RegisterReport]:
    from riskscreen.registers.check import CheckSettings, check_register

    engine = spec.build()
    describe_engine(engine)
    settings = CheckSettings(engine_spec=spec, **settings_args)
    return engine, check_register(engine, register, settings)


@click.command()
@click.argument(
    "registers",
    nargs=-1,
    required=True,
    type=click.Path(exists=True, dir_okay=False, allow_dash=True, path_type=Path),
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(REGISTER_FORMATS),
    default="text",
    show_default=True,
    help="Output format: a terminal table, JSON, a report, or a CI format.",
)
@click.option(
    "--fail-on",
    type=click.Choice(FAIL_ON),
    default="alignment",
    show_default=True,
    help="Exit 1 when any unwaived result is at or above this tier.",
)
@click.option(
    "--waivers",
    "waivers_file",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="Waivers file (YAML): engagement_id, rule_id, reason, approved_by, expires.",
)
@click.option(
    "--baseline",
    "baseline_file",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="Fail only on results that are new or worse than this baseline.",
)
@click.option(
    "--write-baseline",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Record today's results as the baseline in this file (and exit 0 unless invalid).",
)
@click.option(
    "--jobs",
    "-j",
    type=str,
    callback=_jobs,
    default="auto",
    show_default=True,
    help="Worker processes: a number, or 'auto' (in-process up to 10,000 rows, then one per idle core).",
)
@click.option(
    "--detail",
    type=click.Choice(["summary", "failing", "all"]),
    default="failing",
    show_default=True,
    help="HTML: per-engagement detail for none, the failing, or every engagement (over 2,000 engagements "
    "it opens from the script-drawn table; without JavaScript the first 100 failing are listed).",
)
@output_option
@engine_options
@as_of_option
@templates_option
def check(
    registers: tuple[Path, ...],
    fmt: str,
    fail_on: str,
    waivers_file: Path | None,
    baseline_file: Path | None,
    write_baseline: Path | None,
    jobs: int,
    detail: str,
    output: Path | None,
    rules_dir: Path | None,
    taxonomies_dir: Path | None,
    watchlists: tuple[Path, ...],
    backend: str,
    as_of: Any,
    templates_dir: Path | None,
) -> None:
    """Check an agreement register (YAML, JSON, CSV or XLSX) as a CI step.

    Every invalid row is reported (exit 2). Otherwise exits 1 when an unwaived engagement
    is at or above --fail-on, else 0. Several registers (as pre-commit passes them) are checked
    one after another with --format text or github; the exit code is the worst of them.

    \b
    Examples:
      riskscreen check register.yaml
      riskscreen check register.csv --format sarif -o riskscreen.sarif --as-of 2026-11-22
      riskscreen check register.xlsx --fail-on advice --waivers waivers.yaml --format junit
      riskscreen check register.yaml --write-baseline .riskscreen-baseline.json
      riskscreen check national-register.csv --format jsonl -o results.jsonl
      riskscreen check national-register.csv --format html --detail summary -o report.html
    """
    if len(registers) > 1:
        if (
            fmt not in MULTI_FORMATS
            or output is not None
            or write_baseline is not None
            or baseline_file
        ):
            raise click.UsageError(
                "several registers can only be checked with --format text or github, without "
                "-o, --baseline or --write-baseline; check them one at a time otherwise"
            )
        worst = 0
        for one in registers:
            args = [
                str(one),
                "--format",
                fmt,
                "--fail-on",
                fail_on,
                "--jobs",
                "auto" if jobs == AUTO_JOBS else str(jobs),
                "--backend",
                backend,
                "--detail",
                detail,
            ] + (["--quiet"] if verbosity() < NORMAL else [])
            args += _engine_args(
                rules_dir, taxonomies_dir, watchlists, waivers_file, templates_dir, as_of
            )
            code = _run_one(args)
            worst = max(worst, code)
        sys.exit(worst)
    if str(registers[0]) == "-":
        from riskscreen.cli.stdin import stdin_register

        with stdin_register() as spooled:
            _check_one(spooled, fmt, fail_on, waivers_file, baseline_file, write_baseline, jobs,
                       output, EngineSpec(rules_dir, taxonomies_dir, watchlists, backend), as_of,
                       templates_dir)
        return
    _check_one(
        registers[0],
        fmt,
        fail_on,
        waivers_file,
        baseline_file,
        write_baseline,
        jobs,
        output,
        EngineSpec(rules_dir, taxonomies_dir, watchlists, backend),
        as_of,
        templates_dir,
        detail,
    )


MULTI_FORMATS = ("text", "github")


def _engine_args(
    rules_dir: Path | None,
    taxonomies_dir: Path | None,
    watchlists: tuple[Path, ...],
    waivers_file: Path | None,
    templates_dir: Path | None,
    as_of: Any,
) -> list[str]:
    args: list[str] = []
    for flag, value in (
        ("--rules", rules_dir),
        ("--taxonomies", taxonomies_dir),
        ("--waivers", waivers_file),
        ("--templates", templates_dir),
    ):
        if value is not None:
            args += [flag, str(value)]
    for watchlist in watchlists:
        args += ["--watchlist", str(watchlist)]
    if as_of is not None:
        args += ["--as-of", as_date(as_of).isoformat()]
    return args


def _run_one(args: list[str]) -> int:
    """Check one register through the full command (its own error handling) and return its exit code."""
    from riskscreen.cli import main

    try:
        main.main(["check", *args], standalone_mode=False)
    except SystemExit as exit_:
        return int(exit_.code or 0)
    return 0


def _check_one(
    register: Path,
    fmt: str,
    fail_on: str,
    waivers_file: Path | None,
    baseline_file: Path | None,
    write_baseline: Path | None,
    jobs: int,
    output: Path | None,
    spec: EngineSpec,
    as_of: Any,
    templates_dir: Path | None,
    detail: str = "failing",
) -> None:
    from riskscreen.registers.baseline import Baseline, load_baseline
    from riskscreen.registers.waivers import load_waivers

    day = as_date(as_of)
    progress = None
    try:
        waivers = load_waivers(waivers_file) if waivers_file else []
        baseline = load_baseline(baseline_file) if baseline_file else None
        if fmt not in REGISTER_WRITERS:  # md: a committee paper, rendered from full results
            engine, report = _check(register, spec, {"as_of": day, "fail_on": fail_on, "jobs": jobs,
                                                      "waivers": waivers, "baseline": baseline})
            options = RenderOptions(engine=engine, templates_dir=templates_dir, fail_on=fail_on,
                                    source=str(register), detail=detail)
            emit(render_register(report, fmt, options), output)
            _finish(report.summary.failing, write_baseline, lambda: build_baseline(report.results))
            return
        from riskscreen.registers.pipeline import PipelineSettings, run_register

        engine = spec.build()
        options = RenderOptions(engine=engine, templates_dir=templates_dir, fail_on=fail_on,
                                source=str(register), detail=detail)
        context = RegisterContext(display_path(register), day, fail_on, options, detail)  # type: ignore[arg-type]
        writer = open_writer(fmt, context)
        progress = _progress(sys.stderr.isatty() and verbosity() >= NORMAL, register)
        settings = PipelineSettings(
            as_of=day, fail_on=fail_on, waivers=waivers, baseline=baseline, jobs=jobs, engine_spec=spec,
            progress=progress.update_to if progress is not None else None,
            collect_baseline=write_baseline is not None,
        )
        try:
            outcome = run_register(engine, register, settings, writer)
            if progress is not None:
                progress.close()
                progress = None
            emit_stream(lambda out: writer.finish(outcome, out), output, colour=fmt == "text")
        finally:
            writer.close()
    except LocatedError as exc:
        if progress is not None:
            progress.close()
        if fmt == "sarif":
            from riskscreen.render.sarif import render_failure

            emit(render_failure(exc.problems, RenderOptions(fail_on=fail_on)), output)
        raise
    entries = outcome.tally.baseline_entries or []
    _finish(outcome.summary.failing, write_baseline,
            lambda: Baseline(entries=sorted(entries, key=lambda e: e.engagement_id)))


def _finish(failing: int, write_baseline: Path | None, baseline: Any) -> None:
    from riskscreen.registers.baseline import dump_baseline

    if write_baseline is not None:
        emit(dump_baseline(baseline()), write_baseline)
        return
    if failing:
        sys.exit(EXIT_FAILING)


@click.command()
@click.argument("old", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.argument("new", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "json", "md"]),
    default="text",
    show_default=True,
    help="Output format.",
)
@click.option(
    "--old-rules", type=click.Path(file_okay=False, path_type=Path), help="Rule pack for OLD."
)
@click.option(
    "--new-rules", type=click.Path(file_okay=False, path_type=Path), help="Rule pack for NEW."
)
@click.option(
    "--old-taxonomies", type=click.Path(file_okay=False, path_type=Path), help="Taxonomies for OLD."
)
@click.option(
    "--new-taxonomies", type=click.Path(file_okay=False, path_type=Path), help="Taxonomies for NEW."
)
@click.option(
    "--exit-code", is_flag=True, help="Exit 1 when any engagement changed (like git diff)."
)
@output_option
@engine_options
@as_of_option
def diff(
    old: Path,
    new: Path,
    fmt: str,
    old_rules: Path | None,
    new_rules: Path | None,
    old_taxonomies: Path | None,
    new_taxonomies: Path | None,
    exit_code: bool,
    output: Path | None,
    rules_dir: Path | None,
    taxonomies_dir: Path | None,
    watchlists: tuple[Path, ...],
    backend: str,
    as_of: Any,
) -> None:
    """Show which engagements changed tier or findings between two checks, and why.

    Compare two registers, or one register under two rule packs or taxonomies.

    \b
    Examples:
      riskscreen diff register-2025.yaml register.yaml
      riskscreen diff reg.yaml reg.yaml --old-taxonomies a/ --new-taxonomies b/ --format md
    """
    from riskscreen.registers.diff import RENDERERS, diff_reports

    day = as_date(as_of)
    reports = []
    for path, rules, taxonomies in (
        (old, old_rules, old_taxonomies),
        (new, new_rules, new_taxonomies),
    ):
        spec = EngineSpec(rules or rules_dir, taxonomies or taxonomies_dir, watchlists, backend)
        reports.append(_check(path, spec, {"as_of": day})[1])
    result = diff_reports(reports[0], reports[1])
    emit(RENDERERS[fmt](result), output)
    if exit_code and result.changes:
        sys.exit(EXIT_FAILING)


__all__ = ["check", "diff"]
