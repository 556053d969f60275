"""The simulator keeps HTTP connections open between calls, as LINE does, and a stopped one stops answering.

The bot's LINE client sends every reply over connections it keeps; against a simulator that closed
each one, tests and benchmarks measured connects that production never pays.
"""

from __future__ import annotations

import http.client
import json

import pytest
from sim_harness import TOKEN, Sim

from otopbot.simulator import create_simulator
from otopbot.simulator.serving import ServedApp, serve_in_thread


def _connection(url: str) -> http.client.HTTPConnection:
    host, port = url.removeprefix("http://").split(":")
    return http.client.HTTPConnection(host, int(port), timeout=5)


def _push(connection: http.client.HTTPConnection, to: str, text: str, token: str = TOKEN) -> http.client.HTTPResponse:
    body = json.dumps({"to": to, "messages": [{"type": "text", "text": text}]}, ensure_ascii=False).encode()
    headers = {"Authorization": f"Bearer {token}", "Content-Type": "application/json"}
    connection.request("POST", "/v2/bot/message/push", body=body, headers=headers)
    return connection.getresponse()


def test_calls_share_one_connection(sim: Sim, friend: str) -> None:
    connection = _connection(sim.url)
    first = _push(connection, friend, "หนึ่ง")
    assert first.status == 200 and first.getheader("Connection") != "close"
    first.read()
    socket_before = connection.sock
    second = _push(connection, friend, "สอง")
    assert second.status == 200
    second.read()
    assert connection.sock is socket_before  # the same TCP connection carried both calls
    texts = [m["message"]["text"] for m in sim.client.messages(friend)]
    assert texts[-2:] == ["หนึ่ง", "สอง"]
    connection.close()


def test_a_refused_call_leaves_the_connection_usable(sim: Sim, friend: str) -> None:
    connection = _connection(sim.url)
    refused = _push(connection, friend, "ไม่มีสิทธิ์", token="wrong-token")  # refused before its body is read
    assert refused.status == 401
    refused.read()
    accepted = _push(connection, friend, "ยังคุยได้")
    assert accepted.status == 200
    accepted.read()
    assert [m["message"]["text"] for m in sim.client.messages(friend)][-1] == "ยังคุยได้"
    connection.close()


def test_a_stopped_simulator_answers_no_kept_connection() -> None:
    served: ServedApp = serve_in_thread(create_simulator("0123456789abcdef0123456789abcdef", TOKEN, None))
    connection = _connection(served.url)
    connection.request("GET", "/_sim/users")
    response = connection.getresponse()
    assert response.status == 200
    response.read()
    served.shutdown()
    with pytest.raises((ConnectionError, http.client.HTTPException, OSError)):
        connection.request("GET", "/_sim/users")
        connection.getresponse()
    connection.close()
