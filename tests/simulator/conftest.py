"""Fixtures: the simulator served on a free port, a webhook target that verifies signatures with
linebot.v3's own WebhookParser, and the real SDK client pointed at the simulator."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from flask import Flask
from linebot.v3 import WebhookParser
from linebot.v3.exceptions import InvalidSignatureError
from linebot.v3.messaging import ApiClient, Configuration, MessagingApi
from pytest_httpserver import HTTPServer
from sim_harness import SECRET, TOKEN, Sim, WebhookTarget
from werkzeug import Request, Response

from otopbot.simulator import SimulatorState, create_simulator, make_blueprint, state_of
from otopbot.simulator.client import SimulatorClient
from otopbot.simulator.serving import serve_in_thread


@pytest.fixture
def webhook_target(httpserver: HTTPServer) -> WebhookTarget:
    parser = WebhookParser(SECRET)
    target = WebhookTarget(url=httpserver.url_for("/callback"))

    def handle(request: Request) -> Response:
        body = request.get_data(as_text=True)
        try:
            payload = parser.parse(body, request.headers.get("X-Line-Signature", ""), as_payload=True)
        except InvalidSignatureError:
            target.rejected.append(body)
            return Response("invalid signature", status=400)
        target.payloads.append(payload)
        return Response("OK", status=200)

    httpserver.expect_request("/callback", method="POST").respond_with_handler(handle)
    return target


@pytest.fixture
def sim(webhook_target: WebhookTarget) -> Iterator[Sim]:
    app = create_simulator(SECRET, TOKEN, webhook_target.url)
    served = serve_in_thread(app)
    client = SimulatorClient(served.url)
    yield Sim(served.url, client, state_of(app), served)
    client.close()
    served.shutdown()


@pytest.fixture
def mounted_sim(webhook_target: WebhookTarget) -> Iterator[Sim]:
    """The blueprint inside a host app under /simulator, as in local mode."""
    host = Flask("host")
    state = SimulatorState(channel_secret=SECRET, access_token=TOKEN, webhook_url=webhook_target.url)
    host.register_blueprint(make_blueprint(state), url_prefix="/simulator")
    served = serve_in_thread(host)
    client = SimulatorClient(served.url + "/simulator")
    yield Sim(served.url + "/simulator", client, state, served)
    client.close()
    served.shutdown()


@pytest.fixture
def api_client(sim: Sim) -> Iterator[ApiClient]:
    with ApiClient(Configuration(host=sim.url, access_token=TOKEN)) as client:
        yield client


@pytest.fixture
def line_api(api_client: ApiClient) -> MessagingApi:
    return MessagingApi(api_client)


@pytest.fixture
def friend(sim: Sim) -> str:
    """A Thai-speaking user who has added the bot as a friend."""
    user = sim.client.create_user("สมศรี ใจดี", language="th")
    sim.client.follow(user["userId"])
    return str(user["userId"])
