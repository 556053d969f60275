"""Thai understanding: intents and entities from a chat message. No Flask, no database, no LINE.

PyThaiNLP reads two environment variables when it is first imported: without them it creates
``~/pythainlp-data`` (crashing the import when HOME is unwritable) and may try to download a
missing corpus from pythainlp.org. The bot must never touch the network or write outside its own
folders, so this package sets ``PYTHAINLP_OFFLINE=1`` and ``PYTHAINLP_READ_ONLY=1`` here, before
any submodule imports pythainlp. This is the one sanctioned exception to "only settings.py reads
the environment": the variables configure a third-party library at import time, which Settings
(built later, at run time) cannot do. ``setdefault`` keeps an operator's explicit choice.
"""

import os as _os

_os.environ.setdefault("PYTHAINLP_OFFLINE", "1")
_os.environ.setdefault("PYTHAINLP_READ_ONLY", "1")
