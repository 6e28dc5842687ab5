"""Flask commands: load the city, seed the demo, geocode, recluster, sweep, run a worker."""

from __future__ import annotations

import dataclasses
import functools
from collections.abc import Callable
from datetime import datetime

import click
from flask import Flask, current_app

from community.extensions import db


def needs_schema(command: Callable[..., None]) -> Callable[..., None]:
    """Stop with a clear message, not a traceback, when the database has not been migrated."""

    @functools.wraps(command)
    def wrapper(*args: object, **kwargs: object) -> None:
        if "concern" not in db.inspect(db.engine).get_table_names():
            raise click.ClickException(
                "the database has no tables yet: run `flask db upgrade` first"
            )
        return command(*args, **kwargs)

    return wrapper


@click.command("load-city")
@needs_schema
def load_city_command() -> None:
    """Load the city package's areas and the reference agencies and categories."""
    from community.demo.reference import load_reference_data
    from community.places.areas import load_areas
    from community.places.city import current_city

    city = current_city()
    counts = load_areas(city)
    added = load_reference_data()
    click.echo(f"{city.name}: " + ", ".join(f"{n} {kind}" for kind, n in counts.items()))
    click.echo(
        f"reference data added: {added['agencies']} agencies, {added['categories']} categories"
    )


@click.command("demo")
@click.option("--if-empty", is_flag=True, help="Do nothing when concerns already exist.")
@click.option(
    "--concerns",
    default=2000,
    show_default=True,
    type=click.IntRange(min=1),
    help="How many concerns to create (20000 for a city-scale demo).",
)
@click.option("--seed", default=414, show_default=True, help="Random seed.")
@needs_schema
def demo_command(if_empty: bool, concerns: int, seed: int) -> None:
    """Seed demo staff, concerns (located and clustered) and some agency work."""
    from community.demo.seed import seed_demo
    from community.models import Concern
    from community.places.city import current_city
    from community.privacy import PhoneVault

    if current_app.config["ENV_NAME"] == "production":
        raise click.ClickException("demo data is never loaded in production")
    if if_empty and db.session.scalar(db.select(db.func.count(Concern.id))):
        click.echo("demo: concerns already exist; nothing to do")
        return
    summary = seed_demo(
        current_city(),
        PhoneVault.from_config(current_app.config),
        concerns,
        seed,
        progress=lambda message: click.echo(f"demo: {message}"),
    )
    click.echo(
        f"demo: {summary['concerns']} concerns, {summary['located']} located, "
        f"{summary['hotspots']} hotspots ({summary['assigned']} assigned, "
        f"{summary['resolved']} resolved)"
    )


@click.command("demo-logins")
def demo_logins_command() -> None:
    """Print the demo staff logins, one per line."""
    from community.demo.seed import DEMO_USERS

    for email, _, role, agency, password in DEMO_USERS:
        click.echo(
            f"{role:13} {email:32} password: {password}" + (f"  ({agency})" if agency else "")
        )


@click.command("locate")
@needs_schema
def locate_command() -> None:
    """Locate every concern still waiting for a place."""
    from community.models import Concern, GeocodeStatus
    from community.places.locate import locate_concern

    ids = db.session.scalars(
        db.select(Concern.id).where(Concern.geocode_status == GeocodeStatus.PENDING)
    ).all()
    placed = sum(1 for concern_id in ids if locate_concern(concern_id))
    click.echo(f"locate: {placed} of {len(ids)} placed")
    if placed:
        from community.jobs import enqueue

        enqueue("recluster")  # placed concerns belong in hotspots


@click.command("geocode")
@click.argument("text", required=False)
@click.option(
    "--file",
    "path",
    type=click.File("r", encoding="utf-8", errors="replace"),
    help="One message per line; prints one JSON object per line, in order.",
)
def geocode_command(text: str | None, path) -> None:
    """Print where TEXT (or each line of --file) is, as JSON (a stable contract)."""
    import json
    import sys

    from community.places.city import geocoder

    if (text is None) == (path is None):
        raise click.UsageError(
            'give either TEXT or --file PATH, e.g. flask geocode "35th and Center"'
        )
    backend = geocoder()
    if text is not None:
        click.echo(json.dumps(backend.geocode(text).to_dict()))
        return
    lines = path.read().splitlines()
    with click.progressbar(lines, label="geocoding", file=sys.stderr) as bar:
        for line in bar:
            click.echo(json.dumps(backend.geocode(line).to_dict()))


@click.command("recluster")
@needs_schema
def recluster_command() -> None:
    """Re-cluster concerns into hotspots now, with a progress bar."""
    from community.hotspots.recluster import STAGES, recluster

    with click.progressbar(
        length=len(STAGES), label="recluster", item_show_func=lambda stage: stage
    ) as bar:
        result = recluster(progress=lambda stage: bar.update(1, stage))
    click.echo(
        f"recluster: {result.concerns} concerns, {result.clusters} clusters, "
        f"{len(result.created)} new, {len(result.kept)} kept, {len(result.reopened)} reopened, "
        f"{len(result.merged)} merged, {len(result.split)} split, "
        f"{result.left} left their place, {result.repeat_locations} repeat addresses"
    )


@click.command("cluster-csv")
@click.argument("source", metavar="IN.csv", type=click.Path(dir_okay=False))
@click.argument("target", metavar="OUT.csv", type=click.Path(dir_okay=False))
def cluster_csv_command(source: str, target: str) -> None:
    """Cluster a CSV of reports (id,lat,lon,reported_at,category) into OUT (id,hotspot) with
    the app's settings, without the database; prints a one-line summary."""
    from community.hotspots.csvcluster import CsvInputError, category_families, cluster_csv
    from community.hotspots.rule import place_rule
    from community.places.city import current_city

    try:
        rule = place_rule(current_app.config)
    except ValueError as exc:
        raise click.ClickException(f"the CLUSTER_* settings make no rule: {exc}") from None
    try:
        summary = cluster_csv(
            source, target, city=current_city(), families=category_families(), rule=rule
        )
    except CsvInputError as exc:
        raise click.ClickException(str(exc)) from None
    click.echo(summary.line())


@click.command("evaluate")
@click.option("--out", required=True, type=click.Path(dir_okay=False), help="CSV to write.")
@click.option(
    "--weeks",
    type=click.FloatRange(min=1, max=52),
    help="Length of each window (default EVALUATION_WEEKS, 8).",
)
@needs_schema
def evaluate_command(out: str, weeks: float | None) -> None:
    """Evaluate every response (first action, resolution): one CSV row each, before and
    after in the place, the ring around it and the rest of the city."""
    from pathlib import Path

    from community.evaluation.csvfile import lines
    from community.evaluation.service import evaluate_since, settings
    from community.evaluation.summary import group_row

    chosen = settings()
    if weeks is not None:
        chosen = dataclasses.replace(chosen, weeks=weeks)
    evaluations = evaluate_since(chosen=chosen)
    target = Path(out)
    partial = target.with_name(target.name + ".partial")
    with partial.open("w", encoding="utf-8", newline="") as handle:
        handle.writelines(lines(evaluations))
    partial.replace(target)  # a complete file or none: never half of one
    row = group_row("all", evaluations)
    click.echo(
        f"evaluate: {row.total} responses -> {target} ({row.fell} fell, "
        f"{row.no_change} no clear change, {row.rose} rose, {row.too_few} too few to tell)"
    )


@click.command("sweep")
@needs_schema
def sweep_command() -> None:
    """Enqueue (or run inline) every piece of work the database says is owed."""
    from community.jobs import sweep

    counts = sweep()
    click.echo("sweep: " + ", ".join(f"{n} {name}" for name, n in counts.items()))


@click.command("worker")
@click.option("--burst", is_flag=True, help="Stop when the queue is empty.")
@click.option(
    "--fork", is_flag=True, help="Fork a work-horse per job (isolation, at ~1 s of warm-up each)."
)
def worker_command(burst: bool, fork: bool) -> None:
    """Run an RQ worker (REDIS_URL must be set); sweeps owed work once at start."""
    from rq import SimpleWorker, Worker

    from community.jobs import get_queue, sweep
    from community.places.city import warm_caches

    if not current_app.config.get("REDIS_URL"):
        raise click.ClickException("REDIS_URL is not set: jobs run inline, no worker is needed")
    try:
        warm_caches()  # loaded once here, shared with every forked work-horse
    except (OSError, ValueError):
        # Jobs will fail and be retried with the reason in their traceback; the worker stays up.
        current_app.logger.exception("could not load the city package; jobs that need it fail")
    sweep()
    # The work-horses RQ forks must not inherit this process's database connections.
    db.session.remove()
    db.engine.dispose()
    queue = get_queue()
    ttl = current_app.config["WORKER_TTL_S"]
    # Jobs run in this process by default: a forked work-horse starts with cold caches
    # (templates, compiled queries, the geocoder's lookups) and spends most of a second
    # warming them for a job that takes 30 ms. A killed worker is restarted by its supervisor.
    kind = Worker if fork else SimpleWorker
    # A short registration TTL and frequent heartbeats: a killed worker's job is noticed
    # within about a minute and queued again by the scheduler's sweep.
    kind(
        [queue], connection=queue.connection, worker_ttl=ttl, job_monitoring_interval=ttl // 4
    ).work(burst=burst, with_scheduler=True)


@click.command("scheduler")
@needs_schema
def scheduler_command() -> None:
    """Queue the periodic jobs (sweep of owed work, re-cluster, expiries, overdue flags)."""
    from community.scheduler import run_forever

    if not current_app.config.get("REDIS_URL"):
        raise click.ClickException("REDIS_URL is not set: run `flask sweep` from cron instead")
    run_forever(current_app._get_current_object())


@click.command("map")
@click.option(
    "--area",
    "areas",
    multiple=True,
    help='A neighbourhood or district, e.g. "SHERMAN PARK"; repeat for several neighbourhoods.',
)
@click.option("--city", "whole_city", is_flag=True, help="The whole city.")
@click.option("--hotspot", "hotspot_id", type=int, help="One hotspot (by number) and its concerns.")
@click.option(
    "--since",
    type=click.DateTime(formats=["%Y-%m-%d"]),
    help="First day (area: since its last report, or 30 days; city: 30 days).",
)
@click.option(
    "--until", type=click.DateTime(formats=["%Y-%m-%d"]), help="Last day (default: today)."
)
@click.option(
    "--lang", "language", type=click.Choice(["en", "es"]), default="en", show_default=True
)
@click.option("--heat", is_flag=True, help="Add the heat layer (Gi*: where concerns gather).")
@click.option("--out", type=click.Path(dir_okay=False), help="HTML file to write.")
@needs_schema
def map_command(
    areas: tuple[str, ...],
    whole_city: bool,
    hotspot_id: int | None,
    since: datetime | None,
    until: datetime | None,
    language: str,
    heat: bool,
    out: str | None,
) -> None:
    """Write a self-contained HTML map (no network needed to open it) of an area, the city or
    one hotspot, with the period's hotspots, in English or Spanish."""
    from pathlib import Path

    from community.reports.areamap import MapInputError, area_map, city_map, hotspot_map
    from community.reports.requests import ReportInputError, read_request

    if sum((bool(areas), whole_city, hotspot_id is not None)) != 1:
        raise click.UsageError("give exactly one of --area NAME, --city or --hotspot ID")
    since_day, until_day = (since.date() if since else None), (until.date() if until else None)
    try:
        if areas:
            wanted = read_request(areas, since_day, until_day, language)
            made = area_map(wanted.selection, wanted.period, language, heat=heat)
        elif whole_city:
            made = city_map(since_day, until_day, language, heat=heat)
        else:
            made = hotspot_map(hotspot_id, language)
    except (ReportInputError, MapInputError) as exc:
        click.echo(f"map: {exc}", err=True)
        raise click.exceptions.Exit(2) from exc
    target = Path(out or made.file_name)
    target.write_text(made.html, encoding="utf-8")
    click.echo(
        f"map: {made.hotspots} hotspots, {made.concerns} concerns -> {target} "
        f"({len(made.html.encode()) / 1e6:.2f} MB)"
    )


def init_app(app: Flask) -> None:
    from community.open311.cli import apikey

    app.cli.add_command(apikey)
    for command in (
        load_city_command,
        demo_command,
        demo_logins_command,
        geocode_command,
        locate_command,
        recluster_command,
        cluster_csv_command,
        evaluate_command,
        sweep_command,
        worker_command,
        scheduler_command,
        map_command,
    ):
        app.cli.add_command(command)
    from community.reports.cli import report_batch_command, report_command

    app.cli.add_command(report_command)
    app.cli.add_command(report_batch_command)
    from community.admin.cli import create_admin_command

    app.cli.add_command(create_admin_command)
    from community.retention.cli import erase_command, purge_command

    app.cli.add_command(purge_command)
    app.cli.add_command(erase_command)
