"""Coverage-guided fuzzing (atheris/libFuzzer) of webhook parsing and the NLU's text handling.

    .venv/bin/python fuzz/fuzz_webhook.py -runs=20000 [-max_len=4096] [corpus_dir]

Each input is tried as a whole webhook body (`parse_events` then `to_inbound` on every event, as
POST /callback and the worker do) and, split into text, through `normalize` and
`NluEngine.understand`. Anything but `MalformedWebhook` from parsing, or any exception at all from
classification and the NLU, is a crash that libFuzzer reports with the input that caused it.
"""

from __future__ import annotations

import json
import sys
from datetime import date
from pathlib import Path

import atheris

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

with atheris.instrument_imports(include=["otopbot"]):
    from otopbot.line.inbound import Inbound, MalformedWebhook, parse_events, to_inbound
    from otopbot.nlu.engine import get_engine
    from otopbot.nlu.normalize import normalize
    from otopbot.nlu.types import Intent

ENGINE = get_engine(ROOT / "bot")
INTENTS = {i.value for i in Intent}
TODAY = date(2025, 6, 1)
SEEDS = [
    '{"destination":"U0","events":[]}',
    '{"events":[{"type":"message","mode":"active","timestamp":1,"webhookEventId":"A","source":{"type":"user",'
    '"userId":"U1"},"replyToken":"r","message":{"type":"text","id":"1","text":"มีอบรมเซรามิกที่ลำปางไหม"}}]}',
    '{"events":[{"type":"postback","webhookEventId":"B","source":{"type":"user","userId":"U1"},'
    '"postback":{"data":"menu:register","params":{"date":"2025-06-01"}}}]}',
    '{"events":[{"type":"follow","webhookEventId":"C","source":{"type":"group","groupId":"C1"}}]}',
]


def check_body(body: str) -> None:
    try:
        events = parse_events(body)
    except MalformedWebhook:
        return
    for event in events:
        inbound = to_inbound(event)
        assert isinstance(inbound, Inbound)
        assert inbound.text is None or len(inbound.text) <= 5000


def check_text(text: str) -> None:
    normalize(text)
    understanding = ENGINE.understand(text, TODAY)
    assert understanding.intent in INTENTS, understanding.intent
    assert 0.0 <= understanding.confidence <= 1.0


def check_event(fdp: atheris.FuzzedDataProvider) -> None:
    """An event-shaped JSON whose fields hold fuzzed values of fuzzed types."""

    def value(depth: int = 0) -> object:
        kind = fdp.ConsumeIntInRange(0, 6 if depth < 3 else 3)
        if kind == 0:
            return fdp.ConsumeUnicodeNoSurrogates(24)
        if kind == 1:
            return fdp.ConsumeInt(8)
        if kind == 2:
            return fdp.ConsumeBool()
        if kind == 3:
            return None
        if kind == 4:
            return fdp.ConsumeRegularFloat()
        if kind == 5:
            return [value(depth + 1) for _ in range(fdp.ConsumeIntInRange(0, 3))]
        return {fdp.ConsumeUnicodeNoSurrogates(8): value(depth + 1) for _ in range(fdp.ConsumeIntInRange(0, 3))}

    event = {
        "webhookEventId": "F" + str(fdp.ConsumeIntInRange(0, 10**6)),
        "type": fdp.PickValueInList(["message", "postback", "follow", "unfollow", "join", "x"]),
    }
    for key in ("mode", "timestamp", "source", "replyToken", "message", "postback"):
        if fdp.ConsumeBool():
            event[key] = value()
    if fdp.ConsumeBool():
        event["source"] = {"type": fdp.PickValueInList(["user", "group", "room", 1]), "userId": value()}
    if fdp.ConsumeBool():
        event["message"] = {"type": "text", "text": value()}
    check_body(json.dumps({"events": [event]}))


def one_input(data: bytes) -> None:
    fdp = atheris.FuzzedDataProvider(data)
    mode = fdp.ConsumeIntInRange(0, 2)
    if mode == 0:
        check_body(fdp.ConsumeUnicode(fdp.remaining_bytes()))
    elif mode == 1:
        check_text(fdp.ConsumeUnicode(fdp.remaining_bytes()))
    else:
        check_event(fdp)


def main() -> None:
    for seed in SEEDS:  # the seeds must pass before fuzzing starts
        check_body(seed)
    atheris.Setup(sys.argv, one_input)
    atheris.Fuzz()


if __name__ == "__main__":
    main()
