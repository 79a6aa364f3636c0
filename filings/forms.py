"""The form for serving a document set, and staff decision and token forms."""

from __future__ import annotations

from typing import Any

from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    DateField,
    HiddenField,
    SelectChoice,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.validators import InputRequired, Length, Optional

from filings.families import MAX_TEXT as MAX_RIDERS_TEXT
from filings.rules import DOCUMENT_TYPE_LABELS, MAX_TITLE


class HearingDateField(DateField):
    """A date, or nothing; a date that cannot be read says how to write one."""

    def process_formdata(self, valuelist: list[Any]) -> None:
        try:
            super().process_formdata(valuelist)
        except ValueError:
            self.data = None
            raise ValueError("Give the next hearing date as a date, like 2027-01-31.") from None


class ServeForm(FlaskForm):
    """Only parses what was typed: the checks, and their words, are filings.services' (one rule
    for the form and the API), so the form has no validators of its own."""

    office = SelectField("OCC field office", validate_choice=False)
    a_number = StringField("Respondent's A-Number")
    rider_a_numbers = TextAreaField(
        "Riders' A-Numbers", render_kw={"rows": 3, "maxlength": MAX_RIDERS_TEXT}
    )
    document_type = SelectField(
        "Document type of the set",
        choices=[SelectChoice("", "— choose —")]
        + [SelectChoice(str(k), v) for k, v in DOCUMENT_TYPE_LABELS.items()],
        validate_choice=False,
    )
    includes_e28 = BooleanField("This set includes my E-28 for this respondent")
    title = StringField("Title", render_kw={"maxlength": MAX_TITLE})
    next_hearing_on = HearingDateField("Next hearing date", validators=[Optional()])
    detained = BooleanField("The respondent is detained")
    # One per form page: a double-click or a resent form returns the first receipt.
    submission_id = HiddenField()


class StaffDecisionForm(FlaskForm):
    decision = SelectField(
        "Decision", choices=[SelectChoice("accept", "Accept"), SelectChoice("reject", "Reject")]
    )
    reason = TextAreaField(
        "Reason (required to reject; sent to the attorney)", validators=[Length(max=2000)]
    )


class TokenForm(FlaskForm):
    name = StringField(
        "Name (e.g. the case-management software)", validators=[InputRequired(), Length(max=100)]
    )
