"""`flask create-admin`: the first admin of a new deployment, or another one."""

from __future__ import annotations

import sys

import click
from flask import current_app

from community.urls import absolute_url


def _read_password(from_stdin: bool) -> str:
    if from_stdin:
        # One line from a pipe or a secret store; never an argument (visible in `ps`).
        return sys.stdin.readline().rstrip("\r\n")
    return click.prompt("Password", hide_input=True, confirmation_prompt=True)


def invitation_link(token: str) -> str:
    """The absolute invitation URL, on PUBLIC_BASE_URL when it is set."""
    return absolute_url("auth.accept_invite", token=token)


@click.command("create-admin")
@click.option("--email", required=True, help="The admin's e-mail address (their sign-in).")
@click.option("--name", help="Display name (default: the part of the address before @).")
@click.option(
    "--password-stdin", is_flag=True, help="Read the password from the first line of stdin."
)
@click.option(
    "--invite", is_flag=True, help="Print a one-time invitation link instead of a password."
)
def create_admin_command(email: str, name: str | None, password_stdin: bool, invite: bool) -> None:
    """Create an admin account: the password from a prompt or stdin, or an invitation link."""
    from community.admin.bootstrap import BootstrapError, create_admin, invite_admin
    from community.extensions import db

    if "user" not in db.inspect(db.engine).get_table_names():
        raise click.ClickException("the database has no tables yet: run `flask db upgrade` first")
    if invite and password_stdin:
        raise click.UsageError("give --invite or --password-stdin, not both")
    try:
        if invite:
            user, token = invite_admin(email, name)
            hours = current_app.config["INVITE_TTL_HOURS"]
            click.echo(f"create-admin: invited {user.email} (admin)")
            click.echo(f"Send this link; it works once and expires in {hours} hours:")
            click.echo(invitation_link(token))
            return
        user = create_admin(email, _read_password(password_stdin), name)
    except BootstrapError as exc:
        raise click.ClickException(str(exc)) from None
    click.echo(f"create-admin: {user.email} can sign in at /login (admin)")
