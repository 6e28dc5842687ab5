"""Language choice: ?lang= switch, remembered in the session, else the browser's preference."""

from __future__ import annotations

from flask import Flask, current_app, request, session
from flask_babel import get_locale


def select_locale() -> str:
    languages = current_app.config["LANGUAGES"]
    chosen = request.args.get("lang")
    if chosen in languages:
        session["lang"] = chosen
        return chosen
    if session.get("lang") in languages:
        return session["lang"]
    return request.accept_languages.best_match(languages) or languages[0]


def init_app(app: Flask) -> None:
    """Templates can ask which language the page is in."""
    app.jinja_env.globals["get_locale"] = get_locale
    app.jinja_env.add_extension("jinja2.ext.do")
