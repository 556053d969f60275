"""The chat page and the console load without a single failed request (no /favicon.ico 404)."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.browser


def failed_while_loading(page, url: str) -> list[str]:  # type: ignore[no-untyped-def]
    failed: list[str] = []
    page.on("response", lambda r: failed.append(f"{r.status} {r.url}") if r.status >= 400 else None)
    page.goto(url)
    page.wait_for_load_state("networkidle")
    return failed


@pytest.mark.parametrize("path", ["/simulator/_sim/", "/console/login"])
def test_the_page_has_an_icon_and_no_request_fails(local_bot: str, page, path: str) -> None:  # type: ignore[no-untyped-def]
    assert failed_while_loading(page, local_bot + path) == []
    icon = page.evaluate("""async () => {
        const link = document.querySelector("link[rel=icon]");
        const answer = await fetch(link.href);
        return {status: answer.status, type: answer.headers.get("content-type")};
    }""")
    assert icon["status"] == 200 and icon["type"].startswith("image/svg+xml"), icon
