"""WSGI entry point: gunicorn --preload wsgi:app."""

from community import create_app

app = create_app()
