"""`flask purge-resident-data` and `flask erase-resident`: retention from the command line."""

from __future__ import annotations

import sys

import click


@click.command("purge-resident-data")
@click.option("--dry-run", is_flag=True, help="Print what would be removed; remove nothing.")
def purge_command(dry_run: bool) -> None:
    """Remove residents' numbers, words and photos past RETENTION_*_DAYS; print the counts."""
    from community.retention.purge import purge

    counts = purge(dry_run=dry_run)
    verb = "would remove" if dry_run else "removed"
    click.echo(f"purge-resident-data: {verb} {counts.line()}")


@click.command("erase-resident")
@click.option("--phone-stdin", is_flag=True, help="Read the number from stdin instead of a prompt.")
@click.option("--yes", is_flag=True, help="Do not ask for confirmation.")
def erase_command(phone_stdin: bool, yes: bool) -> None:
    """Erase one resident's data now, at their request (the number is never an argument)."""
    from community.retention.purge import erase_resident, find_resident

    # Read, not passed as an argument: a number on the command line stays in shell history.
    phone = (
        sys.stdin.readline().strip()
        if phone_stdin
        else click.prompt("Resident's phone number", hide_input=True)
    )
    try:
        resident = find_resident(phone)
    except ValueError:
        raise click.ClickException("that is not a phone number") from None
    if resident is None:
        raise click.ClickException("no resident has that number (or it was already erased)")
    if not yes:
        click.confirm(f"Erase resident {resident.id}'s number, texts and photos?", abort=True)
    counts = erase_resident(resident, "command line")
    click.echo(f"erase-resident: resident {resident.id}: removed {counts.line()}")
