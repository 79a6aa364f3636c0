"""Through the API: a self-declared E-28 serves its one set and adds nothing to the A-Numbers
the attorney may serve on; only an E-28 record does."""

from __future__ import annotations

from datetime import date

from tests.helpers import api_post, login, post_form
from tests.pdfs import pdf_bytes
from tests.registration.flows import staff


def _me(client, token):
    response = client.get("/api/v1/me", headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 200
    return response.get_json()


def test_a_numbers_with_e28_lists_only_a_numbers_with_a_record(
    app, client, api_token, make_attorney, make_staff
):
    make_attorney("victim@law.example", eoir_id="VC123456", a_numbers=("055555555",))
    assert _me(client, api_token)["a_numbers_with_e28"] == ["012345678"]

    declared = api_post(
        client, api_token, [(pdf_bytes(), "e28.pdf")], a_number="A055555555", includes_e28="true"
    )
    assert declared.status_code == 201
    assert _me(client, api_token)["a_numbers_with_e28"] == ["012345678"]
    again = api_post(client, api_token, [(pdf_bytes(), "brief.pdf")], a_number="A055555555")
    assert again.status_code == 422
    assert [e["code"] for e in again.get_json()["errors"]] == ["no_e28_on_record"]
    typed = api_post(
        client, api_token, [(pdf_bytes(), "e28.pdf")], a_number="A055555555", document_type="e28"
    )
    assert typed.status_code == 201  # each declared set is let through, one at a time
    assert _me(client, api_token)["a_numbers_with_e28"] == ["012345678"]

    desk = staff(app, make_staff)
    post_form(
        desk,
        "/staff/appearances/new",
        {
            "a_number": "A055555555",
            "attorney_name": "Lee Lawyer",
            "bar_state": "",
            "bar_number": "",
            "eoir_id": "LW123456",
            "filed_on": date.today().isoformat(),
        },
    )
    assert _me(client, api_token)["a_numbers_with_e28"] == ["012345678", "055555555"]
    assert (
        api_post(client, api_token, [(pdf_bytes(), "b.pdf")], a_number="A055555555").status_code
        == 201
    )

    # The other attorney keeps their own rights, untouched.
    victim = app.test_client()
    login(victim, "victim@law.example")
    assert victim.get("/filings/new").status_code == 200
