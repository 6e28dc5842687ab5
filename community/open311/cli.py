"""`flask apikey create NAME`: issue an Open311 API key from the command line."""

from __future__ import annotations

import click
from flask.cli import AppGroup

apikey = AppGroup("apikey", help="Open311 API keys.")


@apikey.command("create")
@click.argument("name")
def create_command(name: str) -> None:
    """Create a key for the client NAME and print it (it is shown only this once)."""
    from community.open311.keys import create_key

    try:
        _, token = create_key(name)
    except ValueError as error:
        raise click.ClickException(str(error)) from error
    click.echo(f"API key for {name} (store it now, it is not shown again):")
    click.echo(token)
