"""`flask report` (one area) and `flask report-batch` (every area of a kind) from the shell."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import click

DATE = click.DateTime(formats=["%Y-%m-%d"])
LANGUAGE = click.Choice(["en", "es"])


def _day(value: datetime | None):
    return value.date() if value else None


@click.command("report")
@click.option(
    "--area",
    "areas",
    multiple=True,
    required=True,
    help='A neighbourhood or district, e.g. "SHERMAN PARK" or "Police District 3"; '
    "repeat for several neighbourhoods together.",
)
@click.option("--since", type=DATE, help="First day (default: since the last report, or 30 days).")
@click.option("--until", type=DATE, help="Last day (default: today).")
@click.option("--lang", "language", type=LANGUAGE, default="en", show_default=True)
@click.option("--out", type=click.Path(dir_okay=False, path_type=Path), help="PDF file to write.")
@click.option("--html", "as_html", is_flag=True, help="Write the HTML preview instead of a PDF.")
def report_command(
    areas: tuple[str, ...],
    since: datetime | None,
    until: datetime | None,
    language: str,
    out: Path | None,
    as_html: bool,
) -> None:
    """Make a printed meeting report for an area and period."""
    from community.reports.build import file_name, make_report, report_pdf
    from community.reports.requests import ReportInputError, read_request
    from community.reports.service import record_report

    try:
        wanted = read_request(areas, _day(since), _day(until), language)
    except ReportInputError as exc:
        click.echo(f"report: {exc}", err=True)
        raise click.exceptions.Exit(2) from exc
    report = make_report(wanted.selection, wanted.period, wanted.language, preview=as_html)
    target = out or Path(file_name(report.facts))
    if as_html:
        target.write_text(report.html, encoding="utf-8")
    else:
        target.write_bytes(report_pdf(report))
        record_report(report.facts)
    facts = report.facts
    click.echo(
        f"report: {facts.selection.label}, {facts.concern_count} concerns, "
        f"{len(facts.hotspots)} hotspots -> {target}"
    )


@click.command("report-batch")
@click.option(
    "--kind",
    type=click.Choice(["neighborhood", "aldermanic_district", "police_district"]),
    default="neighborhood",
    show_default=True,
)
@click.option("--since", type=DATE, help="First day (default: each area since its last report).")
@click.option("--until", type=DATE, help="Last day (default: today).")
@click.option("--lang", "language", type=LANGUAGE, default="en", show_default=True)
def report_batch_command(
    kind: str, since: datetime | None, until: datetime | None, language: str
) -> None:
    """Make a report for every area of a kind (a meeting calendar), showing progress."""
    from community.reports.batch import BatchError, batch_folder, create_batch, run_batch

    try:
        batch = create_batch(kind, language, _day(since), _day(until))
    except BatchError as exc:
        click.echo(f"report-batch: {exc}", err=True)
        raise click.exceptions.Exit(2) from exc

    def progress(current) -> None:
        click.echo(f"\r{current.done + current.failed}/{current.total}", nl=False, err=True)

    batch = run_batch(batch.id, progress=progress)
    click.echo("", err=True)
    click.echo(
        f"report-batch {batch.id}: {batch.done} made, {batch.failed} failed "
        f"-> {batch_folder(batch.id)}"
    )
    if batch.failed:
        raise click.exceptions.Exit(1)
