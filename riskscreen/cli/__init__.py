"""The ``riskscreen`` command line. The core raises riskscreen errors; this package turns them
into ``Error: …`` lines on stderr and exit code 2 (see README, "Exit codes")."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import click

from riskscreen import __version__
from riskscreen.cli.check import check, diff
from riskscreen.cli.console import detail, error_prefix, verbosity_options
from riskscreen.cli.init_cmd import init
from riskscreen.cli.review_cmd import audit, rescreen
from riskscreen.cli.rules_cmd import rules
from riskscreen.cli.schema_cmd import schema
from riskscreen.cli.screen import screen
from riskscreen.cli.vocab_cmd import vocab
from riskscreen.cli.watchlist_cmd import watchlist
from riskscreen.cli.web_cmd import db, serve, users
from riskscreen.errors import LocatedError, RiskscreenError, display_path
from riskscreen.inputs.config import ProjectConfig, find_config, load_config

EXIT_INVALID = 2

# project configuration key -> the parameter name the commands use for it
CONFIG_PARAMETERS = {
    "rules": "rules_dir",
    "taxonomies": "taxonomies_dir",
    "watchlists": "watchlists",
    "fail_on": "fail_on",
    "waivers": "waivers_file",
}


def _report(problems: list[str]) -> None:
    for problem in problems:
        click.echo(f"{error_prefix()} {problem}", err=True)
    sys.exit(EXIT_INVALID)


class RiskscreenGroup(click.Group):
    """A group that reports riskscreen errors as one located line each, never a traceback,
    and gives every command ``--quiet`` and ``--verbose``."""

    def add_command(self, cmd: click.Command, name: str | None = None) -> None:
        _add_verbosity(cmd)
        super().add_command(cmd, name)

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except (click.exceptions.Exit, click.exceptions.Abort, click.ClickException):
            raise
        except LocatedError as exc:
            _report([str(p) for p in exc.problems])
        except RiskscreenError as exc:
            _report([str(exc)])
        except RecursionError:
            _report(["input is nested too deeply (see docs/limits.md)"])
        except OSError as exc:
            _report([f"{exc.filename or ''}: {exc.strerror or exc}"])


def _add_verbosity(cmd: click.Command) -> None:
    names = {name for param in cmd.params for name in getattr(param, "opts", ())}
    if "--quiet" not in names:
        cmd.params.extend(verbosity_options())
    if isinstance(cmd, click.Group):
        for sub in cmd.commands.values():
            _add_verbosity(sub)


def _defaults(cmd: click.Command, values: dict[str, Any]) -> dict[str, Any]:
    """click's default_map for ``cmd`` and its subcommands, from the configuration's values."""
    if isinstance(cmd, click.Group):
        return {name: _defaults(sub, values) for name, sub in cmd.commands.items()}
    return {p.name: values[p.name] for p in cmd.params if p.name in values}


def _config_values(config: ProjectConfig, base: Path) -> dict[str, Any]:
    def where(value: str) -> str:
        path = Path(value)
        return str(path if path.is_absolute() or base == Path.cwd() else base / path)

    values: dict[str, Any] = {}
    for key, parameter in CONFIG_PARAMETERS.items():
        value = getattr(config, key)
        if value in (None, []):
            continue
        if key == "watchlists":
            values[parameter] = [where(v) for v in value]
        elif key == "fail_on":
            values[parameter] = value
        else:
            values[parameter] = where(value)
    return values


@click.group(cls=RiskscreenGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, "-V", "--version", prog_name="riskscreen")
@click.option(
    "--config",
    "config_file",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="Project configuration (default: the nearest riskscreen.toml, or pyproject.toml "
    "with [tool.riskscreen]).",
)
@click.option("--no-config", is_flag=True, help="Ignore any project configuration file.")
@click.pass_context
def main(ctx: click.Context, config_file: Path | None, no_config: bool) -> None:
    """Screen international engagements against the Commission on Devolution and Diplomacy's
    risk taxonomy, and say where local autonomy ends.

    \b
    Examples:
      riskscreen init --type twinning -o twinning.yaml
      riskscreen screen examples/edinburgh-kaohsiung.yaml
      riskscreen check examples/register.yaml --format sarif -o riskscreen.sarif
      riskscreen vocab sectors
      riskscreen rules test
    """
    if no_config:
        return
    path = config_file or find_config(Path.cwd())
    if path is None:
        return
    config, base = load_config(path)
    ctx.default_map = _defaults(main, _config_values(config, base))
    detail(f"configuration: {display_path(path)}")


# db, serve and users (the web service) import FastAPI/SQLAlchemy only when run.
for _command in (init, vocab, schema, screen, check, diff, rules, watchlist, db, serve, users):
    main.add_command(_command)
# audit and rescreen (the review service) import SQLAlchemy only when run.
for _command in (audit, rescreen):
    main.add_command(_command)
_add_verbosity(main)  # `riskscreen -q check …` as well as `riskscreen check -q …`

__all__ = ["main"]
