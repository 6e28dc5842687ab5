"""gunicorn's settings, read from the project folder (gunicorn looks for this file by name).

The app is loaded once in the master (preload), and the master loads the street index, the
landmarks and the area shapes before it forks its workers: every worker starts with them in
memory (shared copy-on-write), so a resident's first address suggestion answers like the rest.
"""

preload_app = True


def when_ready(server) -> None:
    """Warm the geocoder in the master, after the app is loaded and before workers fork."""
    from community.places.city import warm_caches
    from wsgi import app

    with app.app_context():
        warm_caches()
    server.log.info("geocoder warmed before forking workers")
