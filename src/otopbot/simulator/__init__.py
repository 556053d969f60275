"""A small fake LINE platform (Messaging API + webhooks + a browser chat page) for tests and local mode."""

from otopbot.simulator.app import create_simulator, make_blueprint, state_of
from otopbot.simulator.state import Fault, SimulatorState

__all__ = ["Fault", "SimulatorState", "create_simulator", "make_blueprint", "state_of"]
