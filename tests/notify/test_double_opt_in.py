"""Double opt-in for result emails: a signed link first, the result once after the click."""

from __future__ import annotations

import re
import time
from email.message import Message
from typing import Any
from urllib.parse import unquote

from fastapi.testclient import TestClient

from keyvex.notify.visitor import confirm_token
from keyvex.tools import get_template

LINK = re.compile(r"http://127\.0\.0\.1:8000/email/confirm\?token=([A-Za-z0-9_.%-]+)")
CSRF = re.compile(r'name="csrf_token" value="([0-9a-f]+)"')


def _text(message: Message) -> str:
    for part in message.walk():
        if part.get_content_type() == "text/plain":
            return str(part.get_payload(decode=True).decode())
    raise AssertionError("no text part")


def _publish(alice: Any, confirm: bool = True) -> str:
    definition = get_template("roi-calculator").model_dump(mode="json")
    definition["lead_capture"].update(email_result=True, email_result_confirm=confirm)
    tool = alice.post("/api/v1/tools", json=definition).json()
    slug = alice.post(f"/api/v1/tools/{tool['id']}/publish").json()["slug"]
    return f"{tool['id']}:{slug}"


def _lead(client: TestClient, slug: str, consent: bool = True) -> None:
    response = client.post(
        f"/t/{slug}/submit",
        json={
            "answers": {"investment": 40000},
            "contact": {"email": "vera@example.com", "name": "Vera"},
            "consent": consent,
            "idempotency_key": f"double-opt-in-{slug}-{consent}",
            "elapsed_ms": 9000,
        },
    )
    assert response.status_code in (200, 201), response.text
    client.portal.call(client.app.state.keyvex.jobs.wait_idle)  # type: ignore[attr-defined]


def _stored_lead(alice: Any, tool_id: str) -> dict[str, Any]:
    leads = alice.get(f"/api/v1/tools/{tool_id}/leads").json()["leads"]
    assert len(leads) == 1
    return dict(leads[0])


def _token(message: Message) -> str:
    match = LINK.search(_text(message))
    assert match, _text(message)
    return unquote(match.group(1))


def test_the_result_is_sent_once_after_the_visitor_confirms(
    alice: Any, client: TestClient, inbox: Any
) -> None:
    tool_id, slug = _publish(alice).split(":")
    _lead(client, slug)
    [ask] = inbox.to("vera@example.com")
    assert ask["Subject"] == "Confirm to get your results: What return will this project bring?"
    asked = _stored_lead(alice, tool_id)["consent"]["result_email"]
    assert asked["requested_at"] and asked["confirmed_at"] is None

    visitor = TestClient(client.app)
    page = visitor.get("/email/confirm", params={"token": _token(ask)})
    assert page.status_code == 200 and 'id="confirm-button"' in page.text
    assert len(inbox.to("vera@example.com")) == 1  # opening the link sends nothing
    csrf = CSRF.search(page.text)
    assert csrf
    form = {"csrf_token": csrf.group(1), "token": _token(ask)}
    assert visitor.post("/email/confirm", data={"token": _token(ask)}).status_code == 403
    done = visitor.post("/email/confirm", data=form)
    assert done.status_code == 200 and "your results are on their way" in done.text
    results = [m for m in inbox.to("vera@example.com") if m["Subject"].startswith("Your results")]
    assert len(results) == 1 and "Net gain" in _text(results[0])
    confirmed = _stored_lead(alice, tool_id)["consent"]["result_email"]
    assert confirmed["confirmed_at"] >= confirmed["requested_at"]

    again = visitor.post("/email/confirm", data=form)
    assert again.status_code == 200 and "already sent" in again.text
    assert "already sent" in visitor.get("/email/confirm", params={"token": _token(ask)}).text
    assert len(inbox.to("vera@example.com")) == 2  # the request and one result, never more


def test_the_lead_page_shows_the_confirmation(alice: Any, client: TestClient, inbox: Any) -> None:
    import base64

    tool_id, slug = _publish(alice).split(":")
    _lead(client, slug)
    lead = _stored_lead(alice, tool_id)
    ref = base64.urlsafe_b64encode(f"{lead['created_at']}#{lead['id']}".encode()).decode()
    page = alice.client.get(f"/dashboard/tools/{tool_id}/leads/{ref.rstrip('=')}")
    assert page.status_code == 200 and "not confirmed yet, nothing sent" in page.text


def test_forged_damaged_and_expired_links_are_refused(
    alice: Any, client: TestClient, inbox: Any
) -> None:
    tool_id, slug = _publish(alice).split(":")
    _lead(client, slug)
    token = _token(inbox.to("vera@example.com")[0])
    body, _, signature = token.partition(".")
    # Change the first character (a full 6 bits of the MAC; the last one carries padding
    # bits and may decode the same) to another one, whatever the signature happens to be.
    forged = f"{body}.{'B' if signature[0] == 'A' else 'A'}{signature[1:]}"
    assert client.get("/email/confirm", params={"token": forged}).status_code == 404
    assert client.get("/email/confirm", params={"token": "garbage"}).status_code == 404
    app = client.app.state.keyvex  # type: ignore[attr-defined]
    lead = _stored_lead(alice, tool_id)
    key = (f"TOOL#{tool_id}", f"LEAD#{lead['created_at']}#{lead['id']}")
    expired = confirm_token(app, *key, int(time.time()) - 1)
    page = client.get("/email/confirm", params={"token": expired})
    assert page.status_code == 410 and "expired" in page.text
    assert len(inbox.to("vera@example.com")) == 1


def test_an_erased_lead_cannot_be_confirmed(alice: Any, client: TestClient, inbox: Any) -> None:
    tool_id, slug = _publish(alice).split(":")
    _lead(client, slug)
    token = _token(inbox.to("vera@example.com")[0])
    lead = _stored_lead(alice, tool_id)
    app = client.app.state.keyvex  # type: ignore[attr-defined]
    key = (f"TOOL#{tool_id}", f"LEAD#{lead['created_at']}#{lead['id']}")
    client.portal.call(app.store.delete, *key)  # type: ignore[union-attr]
    assert client.get("/email/confirm", params={"token": token}).status_code == 410
    assert client.portal.call(app.store.get, *key) is None  # type: ignore[union-attr]


def test_without_double_opt_in_the_result_goes_at_once_and_is_recorded(
    alice: Any, client: TestClient, inbox: Any
) -> None:
    tool_id, slug = _publish(alice, confirm=False).split(":")
    _lead(client, slug)
    [result] = inbox.to("vera@example.com")
    assert result["Subject"].startswith("Your results")
    lead = _stored_lead(alice, tool_id)
    app = client.app.state.keyvex  # type: ignore[attr-defined]
    item = client.portal.call(  # type: ignore[union-attr]
        app.store.get, f"TOOL#{tool_id}", f"LEAD#{lead['created_at']}#{lead['id']}"
    )
    assert item["result_sent_at"] >= lead["created_at"]


def test_no_consent_no_email(alice: Any, client: TestClient, inbox: Any) -> None:
    definition = get_template("roi-calculator").model_dump(mode="json")
    definition["lead_capture"].update(
        email_result=True, email_result_confirm=True, consent_required=False
    )
    tool = alice.post("/api/v1/tools", json=definition).json()
    slug = alice.post(f"/api/v1/tools/{tool['id']}/publish").json()["slug"]
    _lead(client, slug, consent=False)
    assert inbox.to("vera@example.com") == []


def test_the_lead_capture_editor_turns_double_opt_in_on(alice: Any, client: TestClient) -> None:
    tool = alice.post("/api/v1/tools/from-template/roi-calculator").json()
    path = f"/dashboard/tools/{tool['id']}/lead-capture"
    page = alice.client.get(path).text
    assert 'name="email_result_confirm"' in page
    capture = tool["definition"]["lead_capture"]
    fields = capture["fields"]
    form: dict[str, Any] = {
        "version": str(tool["version"]),
        "mode": capture["mode"],
        **{name: capture[name] for name in ("title", "text", "incentive", "consent_text")},
        "button_label": capture["button_label"],
        "consent_required": "yes",
        "email_result": "yes",
        "email_result_confirm": "yes",
        "field_count": str(len(fields)),
    }
    for i, spec in enumerate(fields):
        form.update({f"field_{i}_id": spec["id"], f"field_{i}_label": spec["label"],
                     f"field_{i}_type": spec["type"]})  # fmt: skip
        if spec.get("required"):
            form[f"field_{i}_required"] = "yes"
    saved = alice.browser.submit(path, path, **form)
    assert saved.status_code == 303, saved.text
    stored = alice.get(f"/api/v1/tools/{tool['id']}").json()["definition"]["lead_capture"]
    assert stored["email_result_confirm"] is True and stored["email_result"] is True
    assert (
        'name="email_result_confirm" type="checkbox" value="yes" checked'
        in alice.client.get(path).text
    )
