"""The baseline for the webhook benchmark: a Flask handler that only verifies the signature."""

from __future__ import annotations

import base64
import hashlib
import hmac
import os

from flask import Flask, request

app = Flask(__name__)
SECRET = os.environ["LINE_CHANNEL_SECRET"].encode()


@app.post("/callback")
def callback() -> tuple[str, int]:
    body = request.get_data()
    expected = base64.b64encode(hmac.new(SECRET, body, hashlib.sha256).digest()).decode()
    if not hmac.compare_digest(expected, request.headers.get("X-Line-Signature", "")):
        return "bad signature", 400
    return "OK", 200
