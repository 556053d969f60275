"""GET /healthz for the platform's health checks: is the database reachable?"""

from __future__ import annotations

import logging

from flask import Blueprint, jsonify
from flask.typing import ResponseReturnValue
from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError

from otopbot.runtime import current

log = logging.getLogger(__name__)
blueprint = Blueprint("health", __name__)


@blueprint.get("/healthz")
def healthz() -> ResponseReturnValue:
    try:
        with current().database.engine.connect() as connection:
            connection.execute(text("SELECT 1"))
    except SQLAlchemyError as error:  # the database is unreachable: unhealthy; the reason goes to the log
        log.warning("health check: database unreachable (%s)", type(error).__name__)
        return jsonify(status="unavailable", database=False), 503
    return jsonify(status="ok", database=True)
