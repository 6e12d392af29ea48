"""The ``riskscreen`` command line. The core raises riskscreen errors; this package turns them
into ``Error: …`` lines on stderr and exit code 2 (see README, "Exit codes")."""

from __future__ import annotations

import sys
from typing import Any

import click

from riskscreen import __version__
from riskscreen.cli.check import check, diff
from riskscreen.cli.review_cmd import audit, rescreen
from riskscreen.cli.rules_cmd import rules
from riskscreen.cli.screen import screen
from riskscreen.cli.watchlist_cmd import watchlist
from riskscreen.cli.web_cmd import db, serve, users
from riskscreen.errors import LocatedError, RiskscreenError

EXIT_INVALID = 2


class RiskscreenGroup(click.Group):
    """A group that reports riskscreen errors as one located line each, never a traceback."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except (click.exceptions.Exit, click.exceptions.Abort, click.ClickException):
            raise
        except LocatedError as exc:
            for problem in exc.problems:
                click.echo(f"Error: {problem}", err=True)
            sys.exit(EXIT_INVALID)
        except RiskscreenError as exc:
            click.echo(f"Error: {exc}", err=True)
            sys.exit(EXIT_INVALID)
        except OSError as exc:
            click.echo(f"Error: {exc.filename or ''}: {exc.strerror or exc}", err=True)
            sys.exit(EXIT_INVALID)


@click.group(cls=RiskscreenGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="riskscreen")
def main() -> None:
    """Screen international engagements against the Commission on Devolution and Diplomacy's
    risk taxonomy, and say where local autonomy ends.

    \b
    Examples:
      riskscreen screen examples/edinburgh-kaohsiung.yaml
      riskscreen check examples/register.yaml --format sarif -o riskscreen.sarif
      riskscreen rules test
    """


main.add_command(screen)
main.add_command(check)
main.add_command(diff)
main.add_command(rules)
main.add_command(watchlist)
# The web service's commands import FastAPI/SQLAlchemy only when run.
main.add_command(db)
main.add_command(serve)
main.add_command(users)
main.add_command(audit)
main.add_command(rescreen)

__all__ = ["main"]
