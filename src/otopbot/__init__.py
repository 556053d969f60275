"""otopbot: a LINE chatbot for OTOP community enterprises (DSS and DIP technology transfer)."""

__version__ = "0.1.0"
