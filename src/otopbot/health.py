"""GET /healthz for the platform's health checks: is the database reachable?"""

from __future__ import annotations

from flask import Blueprint, jsonify
from flask.typing import ResponseReturnValue
from sqlalchemy import text

from otopbot.runtime import current

blueprint = Blueprint("health", __name__)


@blueprint.get("/healthz")
def healthz() -> ResponseReturnValue:
    try:
        with current().database.engine.connect() as connection:
            connection.execute(text("SELECT 1"))
    except Exception:  # any database failure means unhealthy; the reason goes to the log only
        return jsonify(status="unavailable", database=False), 503
    return jsonify(status="ok", database=True)
