"""The API docs page works in Chromium under the Content-Security-Policy the server sends."""

from __future__ import annotations

from typing import Any

import pytest

pytestmark = pytest.mark.browser


def test_swagger_ui_loads_without_policy_violations(browser_page: Any, db: Any) -> None:
    page = browser_page
    violations: list[str] = []
    page.on(
        "console",
        lambda message: (
            violations.append(message.text) if "Content Security Policy" in message.text else None
        ),
    )
    page.add_init_script(
        "document.addEventListener('securitypolicyviolation', e =>"
        " console.log('Content Security Policy violation: ' + e.violatedDirective"
        " + ' ' + e.blockedURI));"
    )
    response = page.goto("/api/docs/")
    assert response.status == 200
    assert "script-src 'self'" in response.headers["content-security-policy"]
    # Swagger UI ran: it fetched the schema and rendered the operations.
    page.locator(".swagger-ui .info .title").filter(has_text="Pakta API").wait_for()
    page.locator(".opblock-summary-path", has_text="/api/v1/p/{pemda}/officials/").first.wait_for()
    assert violations == []
