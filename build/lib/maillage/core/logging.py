"""Structured logs: one event per line, JSON in production, `key=value` text in development.

`log_event(logger, "request", method="GET", status=200)` is the one way the project writes an
event line (the request middleware, the worker's per-task line): fields are given explicitly,
so that nothing personal slips in by accident — ids, codes and durations, never emails or names.
The request id of the request being served is added to every record by `RequestIdFilter`.

A formatter of our own (thirty lines) rather than python-json-logger or structlog: the shape we
need is fixed and small, and one dependency fewer to keep.
"""

import contextvars
import json
import logging
from datetime import UTC, datetime

# The id of the request this thread is serving ("" outside a request).
request_id_var = contextvars.ContextVar("maillage_request_id", default="")

FIELDS_ATTR = "maillage_fields"


def log_event(logger, event, *, level=logging.INFO, **fields):
    """Write one event line: `event` is a short English name, `fields` plain values (no PII).
    Inside a request, the line carries the request's id."""
    request_id = request_id_var.get()
    if request_id:
        fields.setdefault("request_id", request_id)
    logger.log(level, event, extra={FIELDS_ATTR: fields})


class RequestIdFilter(logging.Filter):
    """Adds `request_id` (of the request being served, if any) to every record."""

    def filter(self, record):
        if not getattr(record, "request_id", ""):
            record.request_id = request_id_var.get()
        return True


def _fields(record):
    fields = dict(getattr(record, FIELDS_ATTR, None) or {})
    request_id = getattr(record, "request_id", "")
    if request_id and "request_id" not in fields:
        fields["request_id"] = request_id
    return fields


class JsonFormatter(logging.Formatter):
    """{"ts", "level", "logger", "event", ...fields, "exc"?} on one line."""

    def format(self, record):
        line = {
            "ts": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname.lower(),
            "logger": record.name,
            "event": record.getMessage(),
            **_fields(record),
        }
        if record.exc_info:
            line["exc"] = self.formatException(record.exc_info)
        return json.dumps(line, ensure_ascii=False, default=str)


class TextFormatter(logging.Formatter):
    """`2026-12-01 08:00:00 INFO maillage.request request method=GET path=/ status=200`."""

    def format(self, record):
        stamp = datetime.fromtimestamp(record.created).strftime("%Y-%m-%d %H:%M:%S")
        pairs = " ".join(f"{key}={value}" for key, value in _fields(record).items())
        line = f"{stamp} {record.levelname} {record.name} {record.getMessage()}"
        if pairs:
            line = f"{line} {pairs}"
        if record.exc_info:
            line = f"{line}\n{self.formatException(record.exc_info)}"
        return line
