"""Local mode as a newcomer meets it: one command, then chatting with the bot in the browser."""

from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
import requests

pytestmark = pytest.mark.browser


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def test_otopbot_serve_without_a_channel_starts_local_mode_and_prints_the_chat_page(tmp_path: Path) -> None:
    port = _free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith(("LINE_", "DATABASE_URL", "TEST_DATABASE"))}
    process = subprocess.Popen(
        [sys.executable, "-m", "otopbot", "serve", "--port", str(port)],
        cwd=tmp_path,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    lines: list[str] = []
    threading.Thread(target=lambda: lines.extend(iter(process.stdout.readline, "")), daemon=True).start()  # type: ignore[union-attr]
    try:
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline and not any("/simulator/_sim/" in line for line in lines):
            assert process.poll() is None, "".join(lines)
            time.sleep(0.2)
        chat_url = re.search(r"http://\S+/simulator/_sim/", "".join(lines))
        assert chat_url, "".join(lines)
        for _ in range(50):
            try:
                assert requests.get(chat_url.group(0), timeout=5).status_code == 200
                break
            except requests.ConnectionError:
                time.sleep(0.2)
        assert requests.get(f"http://127.0.0.1:{port}/healthz", timeout=5).json()["database"] is True
        assert (tmp_path / "instance" / "otopbot.sqlite3").exists()
    finally:
        process.terminate()
        process.wait(10)
        if process.stdout:
            process.stdout.close()


def test_a_newcomer_adds_the_bot_asks_in_thai_books_from_a_card_and_consents(local_bot: str, page) -> None:  # type: ignore[no-untyped-def]
    page.goto(f"{local_bot}/simulator/_sim/")  # a demo user is ready: the newcomer only adds the bot
    page.get_by_role("button", name=re.compile("เพิ่มเพื่อน|Add friend", re.IGNORECASE)).first.click()
    bot_bubbles = page.locator(".msg.bot")
    bot_bubbles.first.wait_for(timeout=15000)
    before_question = bot_bubbles.count()
    box = page.locator("#text")
    box.fill("มีอบรมเซรามิกไหมคะ")
    box.press("Enter")
    page.wait_for_function(f"document.querySelectorAll('.msg.bot').length > {before_question}", timeout=15000)
    assert "เซรามิก" in page.locator(".msg.bot").last.inner_text()
    before = bot_bubbles.count()
    page.locator(".flex-bubble .fx-button").first.click()  # the card's book button: a postback
    page.wait_for_function(f"document.querySelectorAll('.msg.bot').length > {before}", timeout=15000)
    # not registered yet: the privacy notice and a consent prompt come first
    assert "ยินยอม" in page.locator(".msg.bot").last.inner_text()
    before = bot_bubbles.count()
    page.locator(".msg.bot").last.locator(".tpl-action", has_text="ยินยอม").first.click()
    page.wait_for_function(f"document.querySelectorAll('.msg.bot').length > {before}", timeout=15000)
    assert "ชื่อ" in page.locator(".msg.bot").last.inner_text()  # asks for the enterprise name
    page.screenshot(
        path=str(Path(os.environ.get("OTOPBOT_SCREENSHOTS", "/tmp")) / "otopbot-local-chat.png"), full_page=True
    )
