"""The shared template macros and display filters: fields with their errors, the error
summary, status words, hashes, times and sizes."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from pathlib import Path

import pytest
from flask import Flask, render_template_string
from flask_wtf import FlaskForm
from wtforms import StringField
from wtforms.validators import InputRequired

from app import create_app
from app.display import local_time, size_mb
from filings.problems import Problem
from tests.conftest import make_env


@pytest.fixture
def bare_app(tmp_path: Path) -> Flask:
    """The app without a database: the templates need none."""
    application = create_app(env=make_env(tmp_path, f"sqlite:///{tmp_path}/unused.db"))
    application.config["WTF_CSRF_ENABLED"] = False
    return application


class TitleForm(FlaskForm):
    title = StringField("Title", validators=[InputRequired("Give the document set a title.")])
    a_number = StringField("A-Number")


def render(app: Flask, source: str, **context: object) -> str:
    with app.test_request_context("/", method="POST", data={"title": ""}):
        return render_template_string(source, **context)


def test_field_shows_form_errors_and_problems_for_it(bare_app: Flask) -> None:
    src = (
        '{% from "macros.html" import field %}'
        "{% set form = make() %}{% set _ = form.validate() %}"
        "{{ field(form.title, hint='A short title.', problems=problems) }}"
        "{{ field(form.a_number, problems=problems) }}"
    )
    problems = [
        Problem(code="bad_a_number", message="Line 2: “12” is not an A-Number.", field="a_number"),
        {"code": "bad_a_number", "message": "Line 3: “x” is not an A-Number.", "field": "a_number"},
        {"code": "no_files", "message": "Attach at least one PDF document.", "field": None},
    ]
    html = render(bare_app, src, make=TitleForm, problems=problems)
    title = re.search(r"<input[^>]*id=\"title\"[^>]*>", html)
    assert title and 'aria-invalid="true"' in title.group(0)
    assert 'aria-describedby="title-error title-hint"' in title.group(0)
    assert '<span class="usa-error-message" id="title-error">Give the document set a title.' in html
    a_number = re.search(r"<input[^>]*id=\"a_number\"[^>]*>", html)
    assert a_number and 'aria-describedby="a_number-error a_number-error-2"' in a_number.group(0)
    assert html.count('class="usa-error-message"') == 3  # one per message, none for no_files


def test_field_without_errors_is_not_marked_invalid(bare_app: Flask) -> None:
    src = '{% from "macros.html" import field %}{{ field(make().a_number, hint="Nine digits.") }}'
    html = render(bare_app, src, make=TitleForm)
    assert "aria-invalid" not in html and 'aria-describedby="a_number-hint"' in html


def test_error_summary_links_each_field_and_lists_the_rest(bare_app: Flask) -> None:
    src = (
        '{% from "macros.html" import error_summary %}'
        "{% set form = make() %}{% set _ = form.validate() %}"
        "{{ error_summary(form, problems) }}"
    )
    problems = [
        Problem(code="bad_a_number", message="Line 2 is wrong.", field="a_number"),
        Problem(code="no_files", message="Attach at least one PDF document."),
    ]
    html = render(bare_app, src, make=TitleForm, problems=problems)
    assert 'id="error-summary"' in html and "data-error-summary" in html
    assert 'tabindex="-1"' in html and "There is a problem" in html
    assert '<a href="#title">Give the document set a title.</a>' in html
    assert '<a href="#a_number">Line 2 is wrong.</a>' in html
    assert '<li data-code="no_files">Attach at least one PDF document.</li>' in html


def test_no_summary_without_errors(bare_app: Flask) -> None:
    html = render(bare_app, '{% from "macros.html" import error_summary %}{{ error_summary() }}')
    assert "error-summary" not in html


@pytest.mark.parametrize(
    ("status", "words"),
    [
        ("received", "Received: checking"),
        ("served", "Served"),
        ("accepted", "Accepted by OCC"),
        ("rejected", "Rejected by OCC"),
        ("refused", "Not served: refused"),
        ("held", "Held for OCC review"),
    ],
)
def test_status_tag_reads_in_words(bare_app: Flask, status: str, words: str) -> None:
    src = '{% from "macros.html" import status_tag %}{{ status_tag(s) }}'
    html = render(bare_app, src, s=status)
    assert f'eservice-status--{status}">{words}</span>' in html


def test_hash_shows_twelve_characters_and_keeps_the_whole(bare_app: Flask) -> None:
    digest = "ab" * 32
    html = render(bare_app, '{% from "macros.html" import hash %}{{ hash(h) }}', h=digest)
    assert f">{digest[:12]}…<" in html
    assert f'<code class="eservice-hash__full">{digest}</code>' in html
    assert f'data-copy="{digest}"' in html


def test_local_time_puts_the_office_zone_first_then_utc() -> None:
    dt = datetime(2026, 11, 23, 19, 5, tzinfo=UTC)
    assert local_time(dt, "America/New_York") == "Mon 23 Nov 2026, 2:05 PM EST (7:05 PM UTC)"
    late = datetime(2026, 11, 24, 2, 30, tzinfo=UTC)
    assert local_time(late, "America/Los_Angeles") == (
        "Mon 23 Nov 2026, 6:30 PM PST (Tue 24 Nov, 2:30 AM UTC)"
    )
    assert local_time(dt) == "Mon 23 Nov 2026, 7:05 PM UTC"
    assert local_time(dt.replace(tzinfo=None), "Nowhere/Such") == "Mon 23 Nov 2026, 7:05 PM UTC"


def test_size_reads_in_mb_or_kb() -> None:
    assert size_mb(int(2.4 * 1024 * 1024)) == "2.4 MB"
    assert size_mb(83 * 1024) == "83 KB"
    assert size_mb(10) == "1 KB"
    assert size_mb(0) == "0 KB"
    assert size_mb(25 * 1024 * 1024) == "25.0 MB"
