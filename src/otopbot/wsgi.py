"""WSGI entry for gunicorn: `gunicorn otopbot.wsgi:app`. Settings come from the environment.

A bad setting stops the process here with one line naming the variable, not a traceback.
"""

from __future__ import annotations

import sys

from otopbot.app import create_app
from otopbot.errors import ConfigError, ContentError
from otopbot.logs import configure
from otopbot.settings import Settings

try:
    settings = Settings.from_env(require_line=True)
except ConfigError as error:
    print(f"otopbot: configuration error: {error}", file=sys.stderr)
    raise SystemExit(2) from None
configure(settings.log_level)
try:
    app = create_app(settings)
except ContentError as error:
    print(f"otopbot: content error: {error}", file=sys.stderr)
    raise SystemExit(2) from None
