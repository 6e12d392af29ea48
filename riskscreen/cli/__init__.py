"""The ``riskscreen`` command line. The core raises riskscreen errors; this package turns them
into ``Error: …`` lines on stderr and exit code 2 (see README, "Exit codes")."""

from __future__ import annotations

import importlib
import sys
from collections.abc import Iterator, MutableMapping
from pathlib import Path
from typing import Any

import click

from riskscreen import __version__
from riskscreen.cli.console import detail, error_prefix, verbosity_options
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


# Each command's module, imported when the command is first looked up: `riskscreen screen` then
# loads neither the register pipeline, the authoring tools nor the review and web services.
# db, serve and users (the web service), audit and rescreen (the review service) import
# FastAPI/SQLAlchemy only when run.
COMMANDS = {
    "init": "riskscreen.cli.init_cmd:init",
    "vocab": "riskscreen.cli.vocab_cmd:vocab",
    "schema": "riskscreen.cli.schema_cmd:schema",
    "screen": "riskscreen.cli.screen:screen",
    "check": "riskscreen.cli.check:check",
    "diff": "riskscreen.cli.check:diff",
    "rules": "riskscreen.cli.rules_cmd:rules",
    "watchlist": "riskscreen.cli.watchlist_cmd:watchlist",
    "db": "riskscreen.cli.web_cmd:db",
    "serve": "riskscreen.cli.web_cmd:serve",
    "users": "riskscreen.cli.web_cmd:users",
    "audit": "riskscreen.cli.review_cmd:audit",
    "rescreen": "riskscreen.cli.review_cmd:rescreen",
}


class _LazyCommands(MutableMapping[str, click.Command]):
    """A group's subcommands by name; listing them imports nothing, looking one up imports its
    module (and gives it ``--quiet`` and ``--verbose``)."""

    def __init__(self, where: dict[str, str]) -> None:
        self._where = dict(where)
        self._loaded: dict[str, click.Command] = {}

    def __getitem__(self, name: str) -> click.Command:
        if name not in self._loaded:
            module, attribute = self._where[name].split(":")
            command = getattr(importlib.import_module(module), attribute)
            _add_verbosity(command)
            self._loaded[name] = command
        return self._loaded[name]

    def __setitem__(self, name: str, command: click.Command) -> None:
        self._where.setdefault(name, "")
        self._loaded[name] = command

    def __delitem__(self, name: str) -> None:
        del self._where[name]
        self._loaded.pop(name, None)

    def __iter__(self) -> Iterator[str]:
        return iter(self._where)

    def __len__(self) -> int:
        return len(self._where)


def _add_verbosity(cmd: click.Command) -> None:
    names = {name for param in cmd.params for name in getattr(param, "opts", ())}
    if "--quiet" not in names:
        cmd.params.extend(verbosity_options())
    if isinstance(cmd, click.Group) and not isinstance(cmd.commands, _LazyCommands):
        for sub in cmd.commands.values():  # lazy subcommands get them as they are imported
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
    name = ctx.invoked_subcommand  # the only command this run invokes: load no other
    if name is not None:
        ctx.default_map = {name: _defaults(main.commands[name], _config_values(config, base))}
    detail(f"configuration: {display_path(path)}")


main.commands = _LazyCommands(COMMANDS)
_add_verbosity(main)  # `riskscreen -q check …` as well as `riskscreen check -q …`

__all__ = ["main"]
