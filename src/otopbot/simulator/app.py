"""Build the simulator as a standalone Flask app or as a blueprint inside the bot's app.

In local mode the bot and the simulator share one process: the lead mounts `make_blueprint(state)`
under a prefix such as `/simulator` and points `LINE_API_BASE_URL` at it. Tests usually serve
`create_simulator(...)` on its own port with `serving.serve_in_thread`.
"""

from __future__ import annotations

from flask import Blueprint, Flask
from flask.blueprints import BlueprintSetupState

from otopbot.simulator.api import MESSAGING_ROUTES, PREFIX_KEY, STATES_KEY, add_api_routes
from otopbot.simulator.control import WEBHOOK_URL_CONFIG, add_control_routes
from otopbot.simulator.richmenu_api import RICH_MENU_ROUTES
from otopbot.simulator.state import SimulatorState

__all__ = ["STATE_KEY", "SimulatorState", "create_simulator", "make_blueprint", "state_of"]

STATE_KEY = "otopbot.simulator"


def make_blueprint(state: SimulatorState, name: str = "line_simulator") -> Blueprint:
    """All simulator routes (Messaging API + /_sim/) bound to `state`; mount with any url_prefix."""
    bp = Blueprint(name, __name__)

    def remember_prefix(setup: BlueprintSetupState) -> None:
        setup.app.extensions.setdefault(PREFIX_KEY, {})[setup.name] = (setup.url_prefix or "").rstrip("/")
        setup.app.extensions.setdefault(STATE_KEY, state)
        setup.app.extensions.setdefault(STATES_KEY, {})[setup.name] = state

    bp.record(remember_prefix)
    add_api_routes(bp, MESSAGING_ROUTES + RICH_MENU_ROUTES)
    add_control_routes(bp)
    return bp


def create_simulator(channel_secret: str, access_token: str, webhook_url: str | None = None) -> Flask:
    """A standalone fake LINE platform; its state is `app.extensions['otopbot.simulator']`."""
    app = Flask(__name__, static_folder=None)
    app.json.ensure_ascii = False  # type: ignore[attr-defined]
    state = SimulatorState(channel_secret=channel_secret, access_token=access_token, webhook_url=webhook_url)
    app.config[WEBHOOK_URL_CONFIG] = webhook_url
    app.register_blueprint(make_blueprint(state))
    return app


def state_of(app: Flask) -> SimulatorState:
    """The simulator state of an app built by `create_simulator` (or one that mounted the blueprint)."""
    state: SimulatorState = app.extensions[STATE_KEY]
    return state
