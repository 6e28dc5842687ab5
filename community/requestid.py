"""The request id: given to every request, logged with every line, carried by its jobs.

A request takes the id its proxy sent (X-Request-ID, when it looks like one) or a new one; the
response names it. A job queued during the request carries it (RQ job meta) and logs under
it in the worker, so one id follows a text from the webhook to the reply the worker sends.
"""

from __future__ import annotations

import contextvars
import re
import uuid
from collections.abc import Iterator
from contextlib import contextmanager

from flask import Flask, request

HEADER = "X-Request-ID"
_SAFE = re.compile(r"[A-Za-z0-9._:-]{8,64}")  # never let a header inject into the logs
_current: contextvars.ContextVar[str | None] = contextvars.ContextVar("request_id", default=None)
_job: contextvars.ContextVar[str | None] = contextvars.ContextVar("job", default=None)


def current() -> str | None:
    """The id of the request (or job) this code runs for, if any."""
    return _current.get()


def current_job() -> str | None:
    """The name of the job this code runs in, if any."""
    return _job.get()


def new_id() -> str:
    return uuid.uuid4().hex


@contextmanager
def bound(value: str | None, job: str | None = None) -> Iterator[None]:
    """Run a block (a job) under this request id and job name."""
    token, job_token = _current.set(value), _job.set(job)
    try:
        yield
    finally:
        _current.reset(token)
        _job.reset(job_token)


def _begin() -> None:
    given = request.headers.get(HEADER, "")
    _current.set(given if _SAFE.fullmatch(given) else new_id())


def _name(response):
    if rid := current():
        response.headers[HEADER] = rid
    return response


def _end(error: BaseException | None) -> None:
    _current.set(None)


def init_app(app: Flask) -> None:
    app.before_request(_begin)
    app.after_request(_name)
    app.teardown_request(_end)
