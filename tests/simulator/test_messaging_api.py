"""The simulator answers the real line-bot-sdk v3 client the way LINE does."""

from __future__ import annotations

import json
import time
import uuid

import pytest
import requests
from linebot.v3.messaging import (
    ApiClient,
    ApiException,
    Configuration,
    ErrorResponse,
    MessageAction,
    MessagingApi,
    MulticastRequest,
    PushMessageRequest,
    QuickReply,
    QuickReplyItem,
    ReplyMessageRequest,
    TextMessage,
)
from pydantic.v1 import ValidationError
from sim_harness import TOKEN, Sim


def _text(text: str) -> TextMessage:
    return TextMessage(text=text)


def _reply_token(sim: Sim, user_id: str, text: str = "สวัสดีค่ะ") -> str:
    return str(sim.client.say(user_id, text)["event"]["replyToken"])


def test_reply_token_works_once_then_invalid(sim: Sim, line_api: MessagingApi, friend: str) -> None:
    token = _reply_token(sim, friend)
    response = line_api.reply_message(ReplyMessageRequest(reply_token=token, messages=[_text("ยินดีต้อนรับค่ะ")]))
    assert response.sent_messages and response.sent_messages[0].id
    with pytest.raises(ApiException) as error:
        line_api.reply_message(ReplyMessageRequest(reply_token=token, messages=[_text("อีกครั้ง")]))
    assert error.value.status == 400
    assert ErrorResponse.from_json(error.value.body).message == "Invalid reply token"
    assert [m["message"]["text"] for m in sim.client.messages(friend)] == ["ยินดีต้อนรับค่ะ"]


def test_expired_reply_token_is_rejected(sim: Sim, line_api: MessagingApi, friend: str) -> None:
    sim.client.config(reply_token_ttl=0.05)
    token = _reply_token(sim, friend)
    time.sleep(0.1)
    with pytest.raises(ApiException) as error:
        line_api.reply_message(ReplyMessageRequest(reply_token=token, messages=[_text("ช้าไป")]))
    assert error.value.status == 400
    assert sim.client.messages(friend) == []


def test_retry_key_on_reply_is_refused(sim: Sim, line_api: MessagingApi, friend: str) -> None:
    token = _reply_token(sim, friend)
    with pytest.raises(ApiException) as error:
        line_api.reply_message(
            ReplyMessageRequest(reply_token=token, messages=[_text("x")]),
            _headers={"X-Line-Retry-Key": str(uuid.uuid4())},
        )
    assert error.value.status == 400
    # the refused call did not spend the token
    line_api.reply_message(ReplyMessageRequest(reply_token=token, messages=[_text("ok")]))


def test_push_with_same_retry_key_is_delivered_once(sim: Sim, line_api: MessagingApi, friend: str) -> None:
    key = str(uuid.uuid4())
    request = PushMessageRequest(to=friend, messages=[_text("แจ้งเตือนการอบรม")])
    first = line_api.push_message_with_http_info(request, x_line_retry_key=key)
    with pytest.raises(ApiException) as error:
        line_api.push_message(request, x_line_retry_key=key)
    assert error.value.status == 409
    assert error.value.headers["X-Line-Accepted-Request-Id"] == first.headers["X-Line-Request-Id"]
    assert error.value.headers["X-Line-Request-Id"] != first.headers["X-Line-Request-Id"]
    sent = ErrorResponse.from_json(error.value.body).sent_messages
    assert sent and sent[0].id == first.data.sent_messages[0].id
    assert len(sim.client.messages(friend)) == 1


def test_retry_key_must_be_a_uuid(sim: Sim, line_api: MessagingApi, friend: str) -> None:
    with pytest.raises(ApiException) as error:
        line_api.push_message(PushMessageRequest(to=friend, messages=[_text("x")]), x_line_retry_key="not-a-uuid")
    assert error.value.status == 400
    assert sim.client.messages(friend) == []


def test_faults_fail_then_succeed_without_spending_the_retry_key(sim: Sim, line_api: MessagingApi, friend: str) -> None:
    sim.client.add_fault("/v2/bot/message/push", status=500)
    sim.client.add_fault("/v2/bot/message/push", status=429)
    key, request = str(uuid.uuid4()), PushMessageRequest(to=friend, messages=[_text("ลองใหม่")])
    statuses = []
    for _ in range(3):
        try:
            line_api.push_message(request, x_line_retry_key=key)
            statuses.append(200)
        except ApiException as error:
            statuses.append(error.status)
    assert statuses == [500, 429, 200]
    assert len(sim.client.messages(friend)) == 1
    log = [(r["status"], r["fault"]) for r in sim.client.requests() if r["path"] == "/v2/bot/message/push"]
    assert log == [(500, True), (429, True), (200, False)]


def test_fault_with_count_and_delay(sim: Sim, line_api: MessagingApi, friend: str) -> None:
    sim.client.add_fault("/v2/bot/message/push", status=503, count=2)
    sim.client.add_fault("/v2/bot/message/push", delay=0.3)
    request = PushMessageRequest(to=friend, messages=[_text("x")])
    for _ in range(2):
        with pytest.raises(ApiException):
            line_api.push_message(request)
    started = time.monotonic()
    line_api.push_message(request)
    assert time.monotonic() - started >= 0.3
    assert sim.client.clear_faults() == []


def test_multicast_over_500_recipients_is_refused(sim: Sim, line_api: MessagingApi, friend: str) -> None:
    too_many = [friend] + [f"U{i:032x}" for i in range(500)]
    with pytest.raises(ValidationError):  # the SDK itself refuses to build it
        MulticastRequest(to=too_many, messages=[_text("x")])
    response = requests.post(
        f"{sim.url}/v2/bot/message/multicast",
        timeout=5,
        headers={"Authorization": f"Bearer {TOKEN}"},
        json={"to": too_many, "messages": [{"type": "text", "text": "x"}]},
    )
    assert response.status_code == 400
    assert response.json()["details"][0]["property"] == "to"
    assert sim.client.messages(friend) == []


def test_limits_checked_server_side(sim: Sim, line_api: MessagingApi, friend: str) -> None:
    long_label = QuickReply(items=[QuickReplyItem(action=MessageAction(label="ป้ายยาวเกินยี่สิบตัวอักษรแน่นอน", text="x"))])
    with pytest.raises(ApiException) as error:
        line_api.push_message(
            PushMessageRequest(
                to=friend,
                messages=[_text("ก" * 5001), TextMessage(text="ok", quick_reply=long_label)],
            )
        )
    body = json.loads(error.value.body)
    assert error.value.status == 400
    assert body["message"] == "The request body has 2 error(s)"
    assert {d["property"] for d in body["details"]} == {
        "messages[0].text",
        "messages[1].quickReply.items[0].action.label",
    }
    # Thai above/below marks do not count towards a label's 20 characters
    ok = QuickReply(items=[QuickReplyItem(action=MessageAction(label="ที่นี่ที่นี่ที่นี่ที่นี่ที่นี่ที่นี่", text="x"))])
    line_api.push_message(PushMessageRequest(to=friend, messages=[TextMessage(text="ok", quick_reply=ok)]))


def test_multicast_reaches_only_friends(sim: Sim, line_api: MessagingApi, friend: str) -> None:
    stranger = sim.client.create_user("ไม่ใช่เพื่อน")["userId"]
    blocked = sim.client.create_user("บล็อกแล้ว")["userId"]
    sim.client.follow(blocked)
    sim.client.unfollow(blocked)
    line_api.multicast(MulticastRequest(to=[friend, stranger, blocked, "Uunknown"], messages=[_text("ข่าว")]))
    assert [(m["via"], m["message"]["text"]) for m in sim.client.messages(friend)] == [("multicast", "ข่าว")]
    assert sim.client.messages(stranger) == [] and sim.client.messages(blocked) == []
    assert line_api.get_message_quota_consumption().total_usage == 1
    multicast = [r for r in sim.client.requests() if r["path"].endswith("multicast")]
    assert multicast[0]["recipients"] == 1


def test_push_to_unfollowed_user_is_accepted_but_not_delivered(sim: Sim, line_api: MessagingApi) -> None:
    user = sim.client.create_user("ยังไม่เพิ่มเพื่อน")["userId"]
    response = line_api.push_message(PushMessageRequest(to=user, messages=[_text("x")]))
    assert response.sent_messages
    assert sim.client.messages(user) == []


def test_monthly_quota_exhausted(sim: Sim, line_api: MessagingApi, friend: str) -> None:
    sim.client.config(quota=1)
    assert line_api.get_message_quota().value == 1
    line_api.push_message(PushMessageRequest(to=friend, messages=[_text("1")]))
    with pytest.raises(ApiException) as error:
        line_api.push_message(PushMessageRequest(to=friend, messages=[_text("2")]))
    assert error.value.status == 429
    assert "monthly limit" in error.value.body


def test_profile(sim: Sim, line_api: MessagingApi, friend: str) -> None:
    profile = line_api.get_profile(friend)
    assert (profile.display_name, profile.user_id, profile.language) == ("สมศรี ใจดี", friend, "th")
    with pytest.raises(ApiException) as error:
        line_api.get_profile("U" + "0" * 32)
    assert error.value.status == 404


def test_wrong_access_token_is_unauthorized(sim: Sim, friend: str) -> None:
    with (
        ApiClient(Configuration(host=sim.url, access_token="wrong")) as client,
        pytest.raises(ApiException) as error,
    ):
        MessagingApi(client).push_message(PushMessageRequest(to=friend, messages=[_text("x")]))
    assert error.value.status == 401
    assert sim.client.messages(friend) == []


def test_every_response_has_a_request_id_and_is_logged(sim: Sim, line_api: MessagingApi, friend: str) -> None:
    response = line_api.get_message_quota_with_http_info()
    assert uuid.UUID(response.headers["X-Line-Request-Id"])
    entry = sim.client.requests()[-1]
    assert (entry["method"], entry["path"], entry["status"]) == (
        "GET",
        "/v2/bot/message/quota",
        200,
    )
    assert entry["requestId"] == response.headers["X-Line-Request-Id"]


def test_mounted_under_a_prefix(mounted_sim: Sim) -> None:
    user = mounted_sim.client.create_user("คุณเอ")["userId"]
    mounted_sim.client.follow(user)
    mounted_sim.client.add_fault("/v2/bot/message/push", status=500)
    with ApiClient(Configuration(host=mounted_sim.url, access_token=TOKEN)) as client:
        api = MessagingApi(client)
        with pytest.raises(ApiException):
            api.push_message(PushMessageRequest(to=user, messages=[_text("x")]))
        api.push_message(PushMessageRequest(to=user, messages=[_text("ผ่าน prefix")]))
    assert [m["message"]["text"] for m in mounted_sim.client.messages(user)] == ["ผ่าน prefix"]
    assert mounted_sim.client.requests()[-1]["path"] == "/v2/bot/message/push"
